import type { DumpEventStream } from '../core/dump-event.js';
import { ArchiveError } from '../errors/index.js';
import { MongoDbTarget } from '../mongodb/mongodb-target.js';
import { restoreDump, type RestoreOptions } from '../restore/restore-engine.js';
import { planRestore, type RestorePlan } from '../restore/restore-plan.js';
import type { RestoreResult } from '../restore/restore-result.js';
import { collectionsToDrop } from '../restore/replace-drops.js';
import { newRunId } from '../restore/swap-names.js';
import { assertTargetAllowed } from '../target/guard/assert-target-allowed.js';
import type { LiveGuardReport } from '../target/guard/live-guard.js';
import type { HostResolver } from '../target/guard/resolve-host-keys.js';
import {
  evaluateTargetGuard,
  type GuardVerdict,
  type TargetGuardConfig,
} from '../target/guard/target-guard.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';

/** A restore by connection string: the guard's settings plus the engine's options. */
export interface RestoreToTargetOptions extends Omit<RestoreOptions, 'target' | 'guard'> {
  /** Target connection string. */
  readonly uri: string;
  /** `--allow-target`, `--confirm`, protected names, the snapshot's source. */
  readonly guardConfig: TargetGuardConfig;
  /** DNS seam for the live source comparison (tests). */
  readonly resolver?: HostResolver;
}

/** What a dry run shows: the plan, the guard's verdict, and which targets exist already. */
export interface RestoreDryRun {
  readonly plan: RestorePlan;
  readonly live: LiveGuardReport | null;
  /** Target collection names that exist now (they would be replaced). */
  readonly existing: readonly string[];
  /** Target collections that exist now and that the restore would not bring (`--replace` drops them). */
  readonly extra: readonly string[];
}

/**
 * Guard, connect, check live, restore, close. The pure guard runs first (a refusal needs no
 * connection), then the live check on the open connection; both before any write.
 *
 * @returns the engine's result set
 * @throws PolicyError from the guard (nothing written), TargetError `TARGET_UNREACHABLE`
 */
export async function restoreToTarget(options: RestoreToTargetOptions): Promise<RestoreResult> {
  const verdict = guard(options);
  const target = await MongoDbTarget.connect(options.uri, options.targetDb);
  try {
    await liveCheck(target, options);
    return await restoreDump({ ...options, target, guard: verdict });
  } finally {
    await target.close();
  }
}

/**
 * The dry run: read only the prelude, plan, run both guard checks (read-only commands), and list which
 * target collections exist. Writes nothing. A guard refusal is returned in `plan.guard` (and the live
 * one thrown), so the caller prints the plan before failing.
 *
 * @throws ArchiveError `ARCHIVE_BAD_EVENT_ORDER`, PolicyError from the live check, TargetError `TARGET_UNREACHABLE`
 */
export async function planRestoreDryRun(
  options: RestoreToTargetOptions & { readonly events: DumpEventStream },
): Promise<RestoreDryRun> {
  const verdict = evaluateTargetGuard({ uri: options.uri, db: options.targetDb }, options.guardConfig);
  const iterator = options.events[Symbol.asyncIterator]();
  let plan: RestorePlan;
  try {
    const first = await iterator.next();
    if (first.done || first.value.type !== 'prelude') {
      throw new ArchiveError('ARCHIVE_BAD_EVENT_ORDER', 'the dump stream does not start with its prelude');
    }
    plan = planRestore(first.value.collections, options, verdict, options.runId ?? newRunId());
  } finally {
    await iterator.return?.(undefined);
  }
  if (!verdict.allowed) return { plan, live: null, existing: [], extra: [] };
  const target = await MongoDbTarget.connect(options.uri, options.targetDb);
  try {
    const live = await liveCheck(target, options);
    const names = await target.listCollections();
    const restored = plan.collections.filter((c) => c.action === 'restore').map((c) => c.target);
    const targets = new Set(plan.collections.map((c) => c.target));
    return {
      plan,
      live,
      existing: names.filter((n) => targets.has(n)).sort(),
      extra: collectionsToDrop(names, restored),
    };
  } finally {
    await target.close();
  }
}

function guard(options: RestoreToTargetOptions): GuardVerdict {
  const verdict = evaluateTargetGuard({ uri: options.uri, db: options.targetDb }, options.guardConfig);
  assertTargetAllowed(verdict, options.targetDb);
  return verdict;
}

function liveCheck(target: SnapshotTarget, options: RestoreToTargetOptions): Promise<LiveGuardReport> {
  return target.checkLive({
    target: { uri: options.uri, db: options.targetDb },
    protectedDbs: options.guardConfig.protectedDbs ?? [],
    ...(options.guardConfig.source ? { source: options.guardConfig.source } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
}
