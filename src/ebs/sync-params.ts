import { z } from 'zod';
import { ConnectionRefSchema } from '../plan/secret-ref.js';
import { EbsConnectionSchema } from './ebs-connection.js';

/** The SecureString parameters holding the MongoDB user and password (names, never values). */
export const CredentialParametersSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
});

/** `ebs.lock` / `ebs.unlock`: the hidden member, how to log in to it, and the lock's deadline. */
export const MemberLockParamsSchema = z.strictObject({
  connection: EbsConnectionSchema,
  /** The hidden member's connection string, with no password (credentials come from the parameters). */
  secondary: ConnectionRefSchema,
  credentials: CredentialParametersSchema.nullable(),
  /** The member the plan was made for (`host:port`): the live check refuses any other. */
  host: z.string().min(1),
  /** The watchdog unlocks the member once the lock has been held this long, in ms. */
  maxLockMs: z.number().int().min(1000),
});

/** Every EC2 step: its run, the request it makes (ids known at planning time). */
export const Ec2StepParamsSchema = z.strictObject({
  connection: EbsConnectionSchema,
  runId: z.string().min(1),
  /** The request in EC2's own terms (`VolumeId`, `AvailabilityZone`, `InstanceId`, `Device`, `Tags`, …). */
  request: z.record(z.string(), z.json()),
});

/** `ebs.command`: one Run Command invocation of a dbfork document, polled until it ends. */
export const SsmCommandParamsSchema = z.strictObject({
  connection: EbsConnectionSchema,
  runId: z.string().min(1),
  document: z.string().min(1),
  instanceId: z.string().min(1),
  parameters: z.record(z.string(), z.string()),
  /** Add `VolumeId`: the id of this run's staging volume, found by its tags when the command is sent. */
  withRunVolume: z.boolean(),
  /** Deadline for the invocation, in ms; looks every `intervalMs`. */
  timeoutMs: z.number().int().min(1),
  intervalMs: z.number().int().min(1),
});

/** `ebs.install-document`: create or update one SSM document. */
export const InstallDocumentParamsSchema = z.strictObject({
  connection: EbsConnectionSchema,
  name: z.string().min(1),
  /** The document's YAML. */
  content: z.string().min(1),
  /** SHA-256 of `content` (hex), as SSM reports a document's hash. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type MemberLockParams = z.infer<typeof MemberLockParamsSchema>;
export type Ec2StepParams = z.infer<typeof Ec2StepParamsSchema>;
export type SsmCommandParams = z.infer<typeof SsmCommandParamsSchema>;
export type InstallDocumentParams = z.infer<typeof InstallDocumentParamsSchema>;
