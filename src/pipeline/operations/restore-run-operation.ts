import { z } from 'zod';
import { isDbforkError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { OperationFailure } from '../../plan/operation-failure.js';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { restoreToTarget, type RestoreToTargetOptions } from '../restore-to-target.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard, type TargetGuardConfig } from '../../target/guard/target-guard.js';
import { warnOnOtherKey } from '../check-same-key.js';
import { checkIdentity } from '../check-identity.js';
import { decryptionKeys } from '../decryption-keys.js';
import { dumpRestoreInput, snapshotRestoreInput, type RestoreInput } from '../restore-input.js';
import { selectDumpSubset } from '../subset-restore.js';
import { AnonymizationParamSchema, loadAnonymization } from './anonymization-param.js';
import { SubsetParamSchema, subsetRequest } from './snapshot-capture-operation.js';
import { RestoreGuardParamsSchema } from './restore-guard-params.js';

export const RestoreRunParamsSchema = z.strictObject({
  /** A snapshot (`name@id|latest` in the store URL) or a dump path (`-`: stdin). */
  input: z.union([
    z.strictObject({ snapshot: z.string(), store: z.string() }),
    z.strictObject({ dump: z.string() }),
  ]),
  target: ConnectionRefSchema,
  db: z.string(),
  guard: RestoreGuardParamsSchema,
  anonymization: AnonymizationParamSchema,
  nsFrom: z.array(z.string()),
  nsTo: z.array(z.string()),
  collections: z.array(z.string()),
  strictIndexes: z.boolean(),
  exactCount: z.boolean(),
  /** Replay the dump's oplog after loading, before the swap (`--oplog-replay`). */
  oplogReplay: z.boolean().optional(),
  parallelCollections: z.number().int().min(1),
  insertWorkers: z.number().int().min(1),
  /** An age identity file that decrypts an encrypted snapshot (its path only: the key stays in the file). */
  identityFile: z.string().optional(),
  /** Refuse when the target holds data anonymized with another key (default: a warning). */
  requireSameKey: z.boolean().optional(),
  /** Restore only a referentially complete subset of the input (docs/subsets.md). */
  subset: SubsetParamSchema.optional(),
});

export type RestoreRunParams = z.infer<typeof RestoreRunParamsSchema>;

/**
 * `restore.run`: restore a snapshot or dump into the target db with the restore engine (guard, load
 * aside, verify, swap). Its live check re-evaluates the target guard against the connection string
 * resolved now and the snapshot's recorded source (when the snapshot is there already).
 *
 * @throws OperationFailure carrying the engine's RestoreResult when the restore failed
 */
export const restoreRunOperation: OperationKind<RestoreRunParams> = {
  kind: 'restore.run',
  params: RestoreRunParamsSchema,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    const source = await snapshotSource(params).catch((error: unknown) => {
      if (isDbforkError(error) && error.code === 'SNAPSHOT_NOT_FOUND') return undefined;
      throw error;
    });
    const config = guardConfig(params, source);
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, config), params.db);
  },
  async run(params, ctx) {
    const request = await loadAnonymization(params.anonymization, ctx);
    const opened = await restoreInput(params, request);
    const subset = params.subset
      ? await selectDumpSubset(
          opened.reopen().events,
          opened.input.source?.db,
          subsetRequest(params.subset),
          opened.input.expected,
          ctx.onProgress,
        )
      : undefined;
    try {
      const input: RestoreInput = subset
        ? {
            ...opened.input,
            events: subset.filter(opened.input.events),
            ...(subset.expected ? { expected: subset.expected } : {}),
          }
        : opened.input;
      return await restoreWith(params, input, ctx);
    } finally {
      subset?.release();
    }
  },
};

async function restoreWith(
  params: RestoreRunParams,
  input: RestoreInput,
  ctx: Parameters<OperationKind<RestoreRunParams>['run']>[1],
): Promise<RestoreResult> {
  const uri = (await ctx.secrets.resolve(params.target)).reveal();
  if (input.provenance.anonymized !== 'none') {
    await warnOnOtherKey(
      {
        to: uri,
        targetDb: params.db,
        requireSameKey: Boolean(params.requireSameKey),
        onWarning: (message) => ctx.onProgress({ type: 'warning', code: 'KEY_DIFFERS', message }),
      },
      input.provenance.anonymization?.keyFingerprint ?? null,
    );
  }
  const result: RestoreResult = await restoreToTarget({
    ...restoreTargetOptions(params, uri, input),
    onProgress: ctx.onProgress,
  });
  if (result.error) throw new OperationFailure(result.error, result);
  return result;
}

/** The restore engine's options for `params`, with the input opened and the target URI resolved. */
export function restoreTargetOptions(
  params: RestoreRunParams,
  uri: string,
  input: RestoreInput,
): RestoreToTargetOptions {
  return {
    uri,
    targetDb: params.db,
    guardConfig: guardConfig(params, input.source),
    events: input.events,
    ...(input.expected ? { expected: input.expected } : {}),
    ...(input.transform ? { transform: input.transform } : {}),
    nsFrom: params.nsFrom,
    nsTo: params.nsTo,
    collections: params.collections,
    strictIndexes: params.strictIndexes,
    exactCount: params.exactCount,
    ...(params.oplogReplay ? { oplogReplay: true } : {}),
    parallelCollections: params.parallelCollections,
    insertWorkers: params.insertWorkers,
    provenance: input.provenance,
  };
}

/** The restore's input, and how to open another pass over the same data (a subset reads it twice). */
async function restoreInput(
  params: RestoreRunParams,
  request: Awaited<ReturnType<typeof loadAnonymization>>,
): Promise<{ input: RestoreInput; reopen: () => RestoreInput }> {
  const keys = await decryptionKeys(params.identityFile);
  if ('dump' in params.input) {
    const path = params.input.dump;
    const reopen = () => dumpRestoreInput(path, request, keys);
    return { input: reopen(), reopen };
  }
  const store = await openSnapshotStore(params.input.store);
  // resolved once: both passes read the same snapshot even if `latest` moves meanwhile
  const snapshot = await store.resolve(parseSnapshotRef(params.input.snapshot));
  const reopen = () => snapshotRestoreInput(snapshot, request, keys);
  const input = reopen();
  await checkIdentity(snapshot, keys);
  return { input, reopen };
}

async function snapshotSource(params: RestoreRunParams): Promise<RestoreInput['source']> {
  if ('dump' in params.input) return undefined;
  const store = await openSnapshotStore(params.input.store);
  const { manifest } = await store.resolve(parseSnapshotRef(params.input.snapshot));
  return { uri: manifest.source.uri, db: manifest.source.db };
}

function guardConfig(params: RestoreRunParams, source: RestoreInput['source']): TargetGuardConfig {
  return {
    ephemeralPattern: params.guard.ephemeralPattern,
    allowTargets: params.guard.allowTargets,
    protectedDbs: params.guard.protectedDbs,
    ...(params.guard.confirm === undefined ? {} : { confirm: params.guard.confirm }),
    ...(source ? { source } : {}),
  };
}
