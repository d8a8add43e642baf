import type { DbforkError } from '../errors/index.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { CollectionLoad } from './collection-load.js';
import type { RestorePlan } from './restore-plan.js';
import type { CollectionResult, RestoreResult } from './restore-result.js';
import type { SnapshotMetadataDoc } from './snapshot-metadata.js';

/** What a run knows when it stops, successful or not. */
export interface RunOutcome {
  readonly runId: string;
  readonly targetDb: string;
  readonly swapStrategy: SwapStrategy;
  /** Null when the run stopped before it could plan. */
  readonly plan: RestorePlan | null;
  /** Source namespace → its load. */
  readonly loads: ReadonlyMap<string, CollectionLoad>;
  readonly recovered: readonly string[];
  readonly warnings: readonly string[];
  /** The snapshot_metadata written, or null. */
  readonly metadata: SnapshotMetadataDoc | null;
  /** Whether every collection was swapped in. */
  readonly swapped: boolean;
  /** Epoch ms of the run's start. */
  readonly startedAt: number;
  readonly failure: DbforkError | null;
}

/** The result set of a run: one row per planned collection, in plan order. */
export function assembleResult(outcome: RunOutcome): RestoreResult {
  const collections = (outcome.plan?.collections ?? []).map((c): CollectionResult => {
    const load = outcome.loads.get(c.source);
    const base = { namespace: c.source, target: c.target };
    if (c.action === 'skip' || !load) {
      return {
        ...base,
        status: c.action === 'skip' ? 'skipped' : 'failed',
        reason: c.reason ?? 'not started',
        documents: 0,
        bytes: 0,
        durationMs: 0,
        verification: null,
        indexesBuilt: [],
        indexesRejected: [],
      };
    }
    const status = outcome.swapped
      ? 'restored'
      : load.failed
        ? 'failed'
        : load.verification?.ok
          ? 'not-swapped'
          : 'failed';
    return {
      ...base,
      status,
      ...(load.failed
        ? { reason: load.failed }
        : status === 'failed'
          ? { reason: 'not complete when the run stopped' }
          : {}),
      documents: load.written,
      bytes: load.writtenBytes,
      durationMs: load.durationMs || Date.now() - load.startedAt,
      verification: load.verification,
      indexesBuilt: load.indexesBuilt,
      indexesRejected: load.indexesRejected,
    };
  });
  return {
    runId: outcome.runId,
    targetDb: outcome.targetDb,
    swapStrategy: outcome.swapStrategy,
    collections,
    recovered: outcome.recovered,
    warnings: outcome.warnings,
    metadata: outcome.metadata,
    durationMs: Date.now() - outcome.startedAt,
    ...(outcome.failure ? { error: outcome.failure } : {}),
  };
}
