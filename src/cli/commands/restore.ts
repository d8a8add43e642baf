import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../errors/index.js';
import type { RestoreRunParams } from '../../pipeline/operations/restore-run-operation.js';
import { dryRunRestoreCommand } from '../../pipeline/restore-command-dry-run.js';
import { planRestoreCommand } from '../../pipeline/restore-command-plan.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import { normalizeStoreUrl } from '../../store/open-snapshot-store.js';
import { formatSnapshotRef, parseSnapshotRef } from '../../store/snapshot-ref.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  restoreAnonymizationOf,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import { addConnectionOptions, plannedConnection, type PlannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import {
  addIdentityOption,
  addLoadOptions,
  addMetricsOptions,
  collect,
  loadTuningFrom,
  type LoadFlags,
  type MetricsFlags,
  storeOption,
} from '../option-groups.js';
import { anonymizationParam } from '../plan-anonymization.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { droppedBy, printRestoreDryRun, printRestoreResult } from '../restore-report.js';
import { restoreFigures } from '../run-figures.js';
import { withRunMetrics } from '../run-metrics.js';
import { runPlan, secretResolver } from '../run-plan.js';
import { addSubsetOptions, subsetParam, type SubsetFlags } from '../subset-options.js';

interface RestoreCliOptions
  extends AnonymizationFlags, GuardFlags, PlanFlags, LoadFlags, MetricsFlags, Omit<SubsetFlags, 'rules'> {
  in?: string;
  snapshot?: string;
  identity?: string;
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
  exactCount?: boolean;
  oplogReplay?: boolean;
  replace?: boolean;
}

/** `dbfork restore`: restore a dump into a target db behind the target guard, with a safe swap. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .option(
      '--snapshot <ref>',
      'snapshot to restore: <name>, <name>@latest, <name>@<id> or <name>@<YYYY-MM-DD> (UTC day)',
    )
    .addOption(storeOption())
    .option('--wait <duration>', 'wait this long for the snapshot to appear (e.g. 6m)', '0s')
    .option('--wait-interval <duration>', 'pause between looks while waiting', '30s')
    .option(
      '--in <archive|dir|->',
      'or a dump to restore: archive file (gzip and age detected), dump folder, or - for an archive on stdin',
    );
  addConnectionOptions(command, 'to', 'target connection string', 'target')
    .requiredOption('--db <target-db>', 'target database')
    .option(
      '--ns-from <pattern>',
      'rename: source namespace pattern with $var$ wildcards (repeatable, paired with --ns-to)',
      collect,
      [],
    )
    .option('--ns-to <pattern>', 'rename: target namespace pattern (repeatable)', collect, [])
    .option('--collections <a,b>', 'restore only these source collections (comma-separated)')
    .option('--exact-count', 'verify with an exact count of every collection (slower on some servers)')
    .option(
      '--oplog-replay',
      'apply the oplog of a mongodump --oplog dump after loading, before the swap (as ordinary writes)',
    )
    .option(
      '--replace',
      "after the swap, drop the target's collections the snapshot does not hold (the target ends equal to it)",
    )
    .option('--dry-run', 'print the plan and the guard verdict (with --json: the plan); write nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; write nothing else');
  addLoadOptions(command);
  addSubsetOptions(command);
  addIdentityOption(command);
  addGuardOptions(command);
  // a snapshot anonymized at capture restores as it is: the file's rules would anonymize it twice
  addMetricsOptions(command);
  addAnonymizationOptions(command, 'restore', false).action(async (options: RestoreCliOptions) => {
    const ctx = context();
    await withRunMetrics(ctx, options, { command: 'restore', database: options.db }, async (metrics) => {
      const target = plannedConnection(options, 'to');
      const params = await restoreParams(options, target);
      if (planOnly(options)) return planOnlyRestore(ctx, options, target, params);
      const uri = (await secretResolver(ctx, target.args).resolve(target.ref)).reveal();
      const guard = evaluateTargetGuard({ uri, db: options.db }, guardConfigFrom(options));
      const plan = planRestoreCommand({
        restore: params,
        wait: waitOf(options),
        guard,
        ...(options.replace ? { replace: { planned: null } } : {}),
      });
      const result = await runPlan(ctx, plan, { args: target.args, confirm: true });
      const restored = result.operations.find((o) => o.kind === 'restore.run')?.output as
        RestoreResult | undefined;
      if (restored) {
        metrics.figures(restoreFigures(restored));
        printRestoreResult(ctx, restored, droppedBy(result));
      }
      if (result.error) throw result.error;
    });
  });
}

/** `restore.run`'s parameters from the flags: connections by reference, paths absolute. */
async function restoreParams(
  options: RestoreCliOptions,
  target: PlannedConnection,
): Promise<RestoreRunParams> {
  if (options.replace && options.collections !== undefined) {
    throw new UsageError('CONFIG_CONFLICTING_OPTIONS', '--replace and --collections contradict each other', {
      hint: '--replace makes the target equal to the whole snapshot; restore a subset without --replace',
    });
  }
  if ((options.in === undefined) === (options.snapshot === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'restore needs exactly one of --snapshot and --in', {
      hint: 'e.g. --snapshot prod@latest, or --in dump.archive',
    });
  }
  const subset = await subsetParam(options);
  if (subset && options.in === '-')
    throw new UsageError('CONFIG_CONFLICTING_OPTIONS', '--subset cannot restore a dump on stdin', {
      hint: 'a subset reads its input twice (select, then restore): give a file, a folder or --snapshot',
    });
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
    exactCount: Boolean(options.exactCount),
    ...(options.oplogReplay ? { oplogReplay: true } : {}),
    ...(options.identity === undefined ? {} : { identityFile: resolve(options.identity) }),
    ...(subset ? { subset } : {}),
    ...loadTuningFrom(options),
  };
}

function waitOf(options: RestoreCliOptions): { waitMs: number; intervalMs: number } {
  return {
    waitMs: parseDuration(options.wait ?? '0s', '--wait'),
    intervalMs: parseDuration(options.waitInterval, '--wait-interval'),
  };
}

/**
 * `--dry-run` / `--plan-out`: the plan with what the input and the target show now as its preview;
 * print or write it, then fail as the guard says. Rules and key are loaded first, before anything is
 * read from the input or the target.
 */
async function planOnlyRestore(
  ctx: CommandContext,
  options: RestoreCliOptions,
  target: PlannedConnection,
  params: RestoreRunParams,
): Promise<void> {
  const { dry, plan } = await dryRunRestoreCommand(params, {
    uri: (await secretResolver(ctx, target.args).resolve(target.ref)).reveal(),
    anonymization: restoreAnonymizationOf(await resolveAnonymization(options, ctx.logger)),
    wait: waitOf(options),
    replace: Boolean(options.replace),
    onWait: (waitedMs) =>
      ctx.logger.warn({ snapshot: options.snapshot, waitedMs }, 'snapshot not there yet; waiting'),
  });
  if (options.dryRun) {
    await emitPlan(ctx, plan, { dryRun: true });
    printRestoreDryRun(ctx, dry, Boolean(options.replace));
  }
  // a refused plan is shown, never saved
  if (options.planOut !== undefined && dry.plan.guard.allowed)
    await emitPlan(ctx, plan, { planOut: options.planOut });
  assertTargetAllowed(dry.plan.guard, dry.plan.targetDb);
}
