import { z } from 'zod';
import type { ProgressListener } from '../../core/progress.js';
import { isDbforkError, UsageError } from '../../errors/index.js';
import { restoreServerSide } from '../snapshot-db/restore-server-side.js';
import { SnapshotDbCatalog } from '../snapshot-db/snapshot-db-catalog.js';
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
  /** False skips the structural BSON check of each document read (`--no-objcheck`; default true). */
  objcheck: z.boolean().optional(),
  /** From a snapshot database store: fail instead of streaming when `$out` cannot copy in the cluster. */
  requireServerSide: z.boolean().optional(),
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
  const serverSide = await serverSideRestore(params, uri, input, ctx.onProgress);
  const result: RestoreResult =
    serverSide ??
    (await restoreToTarget({
      ...restoreTargetOptions(params, uri, input),
      onProgress: ctx.onProgress,
    }));
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
    ...(input.beforeSwap ? { beforeSwap: input.beforeSwap } : {}),
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
  const checks = { objcheck: params.objcheck ?? true };
  if ('dump' in params.input) {
    const path = params.input.dump;
    const reopen = () => dumpRestoreInput(path, request, keys, checks);
    return { input: reopen(), reopen };
  }
  const store = await openSnapshotStore(params.input.store);
  // resolved once: both passes read the same snapshot even if `latest` moves meanwhile
  const snapshot = await store.resolve(parseSnapshotRef(params.input.snapshot));
  const reopen = () => snapshotRestoreInput(snapshot, request, keys, checks, store);
  const input = reopen();
  await checkIdentity(snapshot, keys);
  return { input, reopen };
}

/**
 * From a snapshot database store, a restore with nothing to do in dbfork (no rules at restore, no
 * renames, every collection) copies server-side when it can; null means stream.
 */
async function serverSideRestore(
  params: RestoreRunParams,
  uri: string,
  input: RestoreInput,
  onProgress: ProgressListener,
): Promise<RestoreResult | null> {
  if (!('snapshot' in params.input) || input.provenance.snapshotId === null) return null;
  const store = await openSnapshotStore(params.input.store);
  if (!(store instanceof SnapshotDbCatalog)) return null;
  const resolved = input.provenance.snapshotId;
  const refreshing = (await store.list(parseSnapshotRef(resolved).name)).filter((s) => s.inProgress);
  if (refreshing.length > 0)
    onProgress({
      type: 'info',
      code: 'REFRESH_IN_PROGRESS',
      message: `reading ${resolved}: a refresh (${refreshing.map((s) => s.id).join(', ')}) is in progress and stays invisible until it completes`,
    });
  const plain =
    !input.transform &&
    params.nsFrom.length === 0 &&
    params.collections.length === 0 &&
    params.subset === undefined;
  if (!plain) {
    if (params.requireServerSide)
      throw new UsageError(
        'SERVER_SIDE_UNAVAILABLE',
        'the restore cannot run server-side: rules at restore, renames, a collection list or a subset need dbfork to see the documents',
        {
          hint: 'drop --require-server-side, or restore every collection of an anonymized snapshot as it is',
        },
      );
    onProgress({
      type: 'info',
      code: 'STREAMING_FALLBACK',
      message:
        'streaming the documents through dbfork: rules at restore, renames or a collection list need them',
    });
    return null;
  }
  return restoreServerSide({
    store,
    snapshotId: input.provenance.snapshotId,
    uri,
    targetDb: params.db,
    guardConfig: guardConfig(params, input.source),
    provenance: input.provenance,
    ...(params.requireServerSide ? { requireServerSide: true } : {}),
    onProgress,
  });
}

async function snapshotSource(params: RestoreRunParams): Promise<RestoreInput['source']> {
  if ('dump' in params.input) return undefined;
  const store = await openSnapshotStore(params.input.store);
  const { manifest } = await store.resolve(parseSnapshotRef(params.input.snapshot));
  return { uri: manifest.source.uri, db: manifest.source.db };
}

function guardConfig(params: RestoreRunParams, source: RestoreInput['source']): TargetGuardConfig {
  // a snapshot database is read by restores, never written: it is protected like production
  const snapshotDb =
    'snapshot' in params.input && /^mongodb(\+srv)?:\/\//i.test(params.input.store)
      ? [parseSnapshotRef(params.input.snapshot).name]
      : [];
  return {
    ephemeralPattern: params.guard.ephemeralPattern,
    allowTargets: params.guard.allowTargets,
    protectedDbs: [...params.guard.protectedDbs, ...snapshotDb],
    ...(params.guard.confirm === undefined ? {} : { confirm: params.guard.confirm }),
    ...(source ? { source } : {}),
  };
}
