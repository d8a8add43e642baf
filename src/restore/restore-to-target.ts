import type { MongoClient } from 'mongodb';
import type { DumpEventStream } from '../archive/dump-event.js';
import { connectMongo } from '../source/mongodb/connect.js';
import { clientCommandRunner } from '../source/mongodb/command-runner.js';
import { assertTargetAllowed } from '../target/guard/assert-target-allowed.js';
import { checkTargetLive, type LiveGuardReport } from '../target/guard/check-target-live.js';
import type { HostResolver } from '../target/guard/resolve-host-keys.js';
import {
  evaluateTargetGuard,
  type GuardVerdict,
  type TargetGuardConfig,
} from '../target/guard/target-guard.js';
import { ArchiveError } from '../errors/index.js';
import { restoreDump, type RestoreOptions } from './restore-engine.js';
import { planRestore, type RestorePlan } from './restore-plan.js';
import type { RestoreResult } from './restore-result.js';
import { newRunId } from './swap-names.js';

/** A restore by connection string: the guard's settings plus the engine's options. */
export interface RestoreToTargetOptions extends Omit<RestoreOptions, 'client' | 'guard'> {
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
  const client = await connectMongo(options.uri, { role: 'target' });
  try {
    await liveCheck(client, options);
    return await restoreDump({ ...options, client, guard: verdict });
  } finally {
    await client.close();
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
  if (!verdict.allowed) return { plan, live: null, existing: [] };
  const client = await connectMongo(options.uri, { role: 'target' });
  try {
    const live = await liveCheck(client, options);
    const names = await client.db(options.targetDb).listCollections({}, { nameOnly: true }).toArray();
    const targets = new Set(plan.collections.map((c) => c.target));
    return {
      plan,
      live,
      existing: names
        .map((n) => n.name)
        .filter((n) => targets.has(n))
        .sort(),
    };
  } finally {
    await client.close();
  }
}

function guard(options: RestoreToTargetOptions): GuardVerdict {
  const verdict = evaluateTargetGuard({ uri: options.uri, db: options.targetDb }, options.guardConfig);
  assertTargetAllowed(verdict, options.targetDb);
  return verdict;
}

async function liveCheck(client: MongoClient, options: RestoreToTargetOptions): Promise<LiveGuardReport> {
  return checkTargetLive(clientCommandRunner(client), {
    target: { uri: options.uri, db: options.targetDb },
    connectedHosts: client.options.hosts.map((h) => h.toString()),
    protectedDbs: options.guardConfig.protectedDbs ?? [],
    ...(options.guardConfig.source ? { source: options.guardConfig.source } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
}
