import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import {
  dumpRestoreInput,
  snapshotRestoreInput,
  type RestoreAnonymization,
  type RestoreInput,
} from '../../pipeline/restore-input.js';
import { waitForSnapshot } from '../../pipeline/wait-for-snapshot.js';
import { defaultStoreUrl, normalizeStoreUrl, openSnapshotStore } from '../../store/open-snapshot-store.js';
import { formatSnapshotRef, parseSnapshotRef } from '../../store/snapshot-ref.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import { UsageError } from '../../errors/index.js';
import { planRestoreCommand } from '../../pipeline/restore-command-plan.js';
import type { RestoreRunParams } from '../../pipeline/operations/restore-run-operation.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { planRestoreDryRun, type RestoreToTargetOptions } from '../../pipeline/restore-to-target.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import type { RestoreDryRun } from '../../pipeline/restore-to-target.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import type { CommandContext } from '../context.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import { printRestoreDryRun, printRestoreResult } from '../restore-report.js';
import { parseCount } from '../parse-count.js';
import { connectionFrom, type PlannedConnection } from '../connection-options.js';
import { anonymizationParam } from '../plan-anonymization.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { runPlan } from '../run-plan.js';
import { toJsonValue } from '../json-value.js';

interface RestoreCliOptions extends AnonymizationFlags, GuardFlags, PlanFlags {
  in?: string;
  snapshot?: string;
  store?: string;
  wait?: string;
  waitInterval: string;
  to?: string;
  toEnv?: string;
  toFile?: string;
  db: string;
  nsFrom: string[];
  nsTo: string[];
  collections?: string;
  strictIndexes?: boolean;
  exactCount?: boolean;
  parallelCollections: string;
  insertWorkers: string;
  requireSameKey?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `dbfork restore`: restore a dump into a target db behind the target guard, with a safe swap. */
export function registerRestore(program: Command, context: () => CommandContext): void {
  const command = program
    .command('restore')
    .description(
      'restore a snapshot or dump into a target database: guarded, loaded aside, verified, then swapped in',
    )
    .option('--snapshot <ref>', 'snapshot to restore: <name>, <name>@latest or <name>@<id>')
    .option('--store <url>', `snapshot store URL (default ${defaultStoreUrl()})`)
    .option('--wait <duration>', 'wait this long for the snapshot to appear (e.g. 6m)', '0s')
    .option('--wait-interval <duration>', 'pause between looks while waiting', '30s')
    .option(
      '--in <archive|dir|->',
      'or a dump to restore: archive file (gzip detected), dump folder, or - for an archive on stdin',
    )
    .option('--to <mongodb-uri>', 'target connection string')
    .option('--to-env <NAME>', 'or the environment variable holding it (plans name it, never the value)')
    .option('--to-file <path>', 'or a file holding it')
    .requiredOption('--db <target-db>', 'target database')
    .option(
      '--ns-from <pattern>',
      'rename: source namespace pattern with $var$ wildcards (repeatable, paired with --ns-to)',
      collect,
      [],
    )
    .option('--ns-to <pattern>', 'rename: target namespace pattern (repeatable)', collect, [])
    .option('--collections <a,b>', 'restore only these source collections (comma-separated)')
    .option('--strict-indexes', 'fail when the target refuses an index (default: warn and go on)')
    .option('--exact-count', 'verify with an exact count of every collection (slower on some servers)')
    .option('--require-same-key', 'refuse when the target holds data anonymized with another key')
    .option('--dry-run', 'print the plan and the guard verdict (with --json: the plan); write nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; write nothing else')
    .option('--parallel-collections <n>', 'collections loading and finishing at once', '4')
    .option('--insert-workers <n>', 'insert batches in flight at once', '4');
  addGuardOptions(command);
  addAnonymizationOptions(command, 'restore').action(async (options: RestoreCliOptions) => {
    const ctx = context();
    const target = connectionFrom(
      { value: options.to, env: options.toEnv, file: options.toFile },
      '--to',
      options.planOut !== undefined,
    );
    const params = restoreParams(options, target);
    if (planOnly(options)) return planOnlyRestore(ctx, options, target, params);
    const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
    const guard = evaluateTargetGuard({ uri, db: options.db }, guardConfigFrom(options));
    const plan = planRestoreCommand({ restore: params, wait: waitOf(options), guard });
    const result = await runPlan(ctx, plan, { args: target.args, confirm: true });
    const restored = result.operations.find((o) => o.kind === 'restore.run')?.output as
      RestoreResult | undefined;
    if (restored) printRestoreResult(ctx, restored);
    if (result.error) throw result.error;
  });
}

/** `restore.run`'s parameters from the flags: connections by reference, paths absolute. */
function restoreParams(options: RestoreCliOptions, target: PlannedConnection): RestoreRunParams {
  if ((options.in === undefined) === (options.snapshot === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'restore needs exactly one of --snapshot and --in', {
      hint: 'e.g. --snapshot prod@latest, or --in dump.archive',
    });
  }
  const guard = guardConfigFrom(options);
  return {
    input:
      options.in !== undefined
        ? { dump: options.in === '-' ? '-' : resolve(options.in) }
        : {
            snapshot: formatSnapshotRef(parseSnapshotRef(options.snapshot ?? '')),
            store: normalizeStoreUrl(options.store),
          },
    target: target.ref,
    db: options.db,
    guard: {
      ephemeralPattern: guard.ephemeralPattern ?? options.ephemeralPattern,
      allowTargets: [...(guard.allowTargets ?? [])],
      protectedDbs: [...(guard.protectedDbs ?? [])],
      ...(guard.confirm === undefined ? {} : { confirm: guard.confirm }),
    },
    anonymization: anonymizationParam(options, false),
    nsFrom: options.nsFrom,
    nsTo: options.nsTo,
    collections: (options.collections ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
    strictIndexes: Boolean(options.strictIndexes),
    exactCount: Boolean(options.exactCount),
    parallelCollections: parseCount(options.parallelCollections, '--parallel-collections'),
    insertWorkers: parseCount(options.insertWorkers, '--insert-workers'),
    requireSameKey: Boolean(options.requireSameKey),
  };
}

function waitOf(options: RestoreCliOptions): { waitMs: number; intervalMs: number } {
  return {
    waitMs: parseDuration(options.wait ?? '0s', '--wait'),
    intervalMs: parseDuration(options.waitInterval, '--wait-interval'),
  };
}

/**
 * `--dry-run` / `--plan-out`: read the input's prelude and look at the target (read-only) for the
 * preview, print or write the plan, then fail as the guard says.
 */
async function planOnlyRestore(
  ctx: CommandContext,
  options: RestoreCliOptions,
  target: PlannedConnection,
  params: RestoreRunParams,
): Promise<void> {
  const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
  const request = toRequest(options, params, uri, await restoreInput(ctx, options));
  const dry: RestoreDryRun = await planRestoreDryRun({ ...request, events: request.events });
  const plan = planRestoreCommand({
    restore: params,
    wait: waitOf(options),
    guard: dry.plan.guard,
    preview: toJsonValue({
      collections: dry.plan.collections,
      warnings: dry.plan.warnings,
      live: dry.live,
      existing: dry.existing,
    }),
  });
  if (options.dryRun) {
    await emitPlan(ctx, plan, { dryRun: true });
    printRestoreDryRun(ctx, dry);
  }
  // a refused plan is shown, never saved
  if (options.planOut !== undefined && dry.plan.guard.allowed)
    await emitPlan(ctx, plan, { planOut: options.planOut });
  assertTargetAllowed(dry.plan.guard, dry.plan.targetDb);
}

/**
 * The input: a snapshot from the store (waiting for it if asked) or a dump. Rules and key are loaded
 * here, before anything is read from the input or written to the target.
 */
async function restoreInput(ctx: CommandContext, options: RestoreCliOptions): Promise<RestoreInput> {
  const anonymization = await resolveAnonymization(options, ctx.logger);
  const request: RestoreAnonymization =
    anonymization.kind === 'rules'
      ? { rules: anonymization.anonymizer }
      : anonymization.kind === 'none'
        ? { none: true }
        : null;
  if (options.in !== undefined) return dumpRestoreInput(options.in, request);
  const ref = parseSnapshotRef(options.snapshot ?? '');
  const snapshot = await waitForSnapshot(await openSnapshotStore(options.store), ref, {
    waitMs: parseDuration(options.wait ?? '0s', '--wait'),
    intervalMs: parseDuration(options.waitInterval, '--wait-interval'),
    onWait: (waitedMs) =>
      ctx.logger.warn({ snapshot: options.snapshot, waitedMs }, 'snapshot not there yet; waiting'),
  });
  return snapshotRestoreInput(snapshot, request);
}

/** The dry run's engine options: the plan's parameters with the input read now. */
function toRequest(
  options: RestoreCliOptions,
  params: RestoreRunParams,
  uri: string,
  input: RestoreInput,
): RestoreToTargetOptions {
  const { nsFrom, nsTo, collections, strictIndexes, exactCount, parallelCollections, insertWorkers } = params;
  return {
    uri,
    targetDb: params.db,
    guardConfig: guardConfigFrom(options, input.source),
    events: input.events,
    ...(input.expected ? { expected: input.expected } : {}),
    ...(input.transform ? { transform: input.transform } : {}),
    ...{ nsFrom, nsTo, collections, strictIndexes, exactCount, parallelCollections, insertWorkers },
    provenance: input.provenance,
  };
}
