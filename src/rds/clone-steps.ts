import { z } from 'zod';
import type { RdsMutation } from './rds-port.js';

/**
 * How a plan reaches RDS, resolved again at apply time: the region, and optionally a role assumed
 * with an MFA code (`--role-arn`, `--mfa-serial`) for `sessionSeconds`. Never a credential.
 */
export const RdsConnectionSchema = z.strictObject({
  region: z.string().min(1),
  roleArn: z.string().optional(),
  mfaSerial: z.string().optional(),
  /** STS session length, in seconds (900–43200). */
  sessionSeconds: z.number().int().min(900).max(43200).optional(),
});

export type RdsConnection = z.infer<typeof RdsConnectionSchema>;

/** What a destructive step re-checks on the instance it renames or deletes, just before the call. */
export const ProtectSchema = z.strictObject({
  productionTag: z.string(),
  protectedIds: z.array(z.string()),
  /** The source root: its tree is never renamed or deleted. */
  source: z.string(),
});

/** Parameters of every step that sends one RDS request. */
export const RdsStepParamsSchema = z.strictObject({
  connection: RdsConnectionSchema,
  /** The clone run this step belongs to (its copies are tagged `dbfork:run=<runId>`). */
  runId: z.string().min(1),
  /** The target-tree name the step works for (`db-replica` for `temp-db-replica`). */
  logical: z.string().min(1),
  /** The request as the RDS API spells it. */
  request: z.record(z.string(), z.json()),
  protect: ProtectSchema.optional(),
});

export type RdsStepParams = z.infer<typeof RdsStepParamsSchema>;

/** The step kinds that each send one RDS request, with the request they send. */
export const RDS_STEP_ACTIONS = {
  'rds.create-replica': 'CreateDBInstanceReadReplica',
  'rds.restore-snapshot': 'RestoreDBInstanceFromDBSnapshot',
  'rds.promote': 'PromoteReadReplica',
  'rds.modify': 'ModifyDBInstance',
  'rds.reboot': 'RebootDBInstance',
  'rds.rename': 'ModifyDBInstance',
  'rds.delete': 'DeleteDBInstance',
} as const satisfies Record<string, RdsMutation>;

export type RdsStepKind = keyof typeof RDS_STEP_ACTIONS;

/** `rds.lease`: take the run lock on the target root (and re-check the guard on live state). */
export const RdsLeaseParamsSchema = z.strictObject({
  connection: RdsConnectionSchema,
  runId: z.string().min(1),
  source: z.string(),
  target: z.string(),
  /** How long the lease holds, in ms: the sum of every step's wait deadline. */
  ttlMs: z.number().int().min(1),
  guard: z.strictObject({
    productionTag: z.string(),
    protectedIds: z.array(z.string()),
    confirm: z.string().optional(),
    rawCopyAccepted: z.boolean(),
  }),
});

export type RdsLeaseParams = z.infer<typeof RdsLeaseParamsSchema>;

/** `rds.await` (instances available under these ids) and `rds.release` (drop the run lock). */
export const RdsRunParamsSchema = z.strictObject({
  connection: RdsConnectionSchema,
  runId: z.string().min(1),
  target: z.string(),
  ids: z.array(z.string()),
});

export type RdsRunParams = z.infer<typeof RdsRunParamsSchema>;
