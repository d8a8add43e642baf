import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { planPruneOfStore } from '../../pipeline/plan-snapshot-prune.js';
import type { RetentionPolicy } from '../../store/retention.js';
import type { CommandContext } from '../context.js';
import { addMetricsOptions, parseCount, storeOption, type MetricsFlags } from '../option-groups.js';
import { table } from '../output.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { withRunMetrics } from '../run-metrics.js';
import { runPlan } from '../run-plan.js';

interface PruneOptions extends PlanFlags, MetricsFlags {
  name?: string;
  keepLast?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  store?: string;
}

/**
 * `dbfork snapshot prune`: apply a retention policy (store/retention.ts). `latest` is never pruned;
 * abandoned incomplete snapshots (their writer is gone) are removed too.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption())
    .option('--name <name>', 'only snapshots of this name (default: every name, each on its own)')
    .option('--keep-last <n>', 'keep the n newest')
    .option('--keep-daily <n>', 'keep the newest of each of the n most recent days')
    .option('--keep-weekly <n>', 'keep the newest of each of the n most recent ISO weeks')
    .option('--keep-monthly <n>', 'keep the newest of each of the n most recent months')
    .option('--dry-run', 'print the plan: what would go (with --json: the plan); delete nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; delete nothing');
  addMetricsOptions(command).action(async (options: PruneOptions) => {
    const ctx = context();
    const labels = { command: 'snapshot_prune', database: options.name ?? '' };
    await withRunMetrics(ctx, options, labels, async () => {
      const policy = parsePolicy(options);
      const { plan, rows } = await planPruneOfStore(options.store, policy, options.name);
      const dryRun = planOnly(options);
      if (dryRun) await emitPlan(ctx, plan, options);
      else {
        const result = await runPlan(ctx, plan, { confirm: true });
        if (result.error) throw result.error;
        ctx.output.result({ dryRun, policy, snapshots: rows });
      }
      const verb = dryRun ? 'would delete' : 'deleted';
      ctx.output.line(
        table(
          ['name', 'id', 'action', 'why kept'],
          rows.map((r) => [r.name, r.id, r.action === 'keep' ? 'keep' : verb, r.reason]),
        ),
      );
      ctx.output.line(
        `${verb} ${rows.filter((r) => r.action === 'delete').length}, kept ${rows.filter((r) => r.action === 'keep').length}`,
      );
    });
  });
}

function parsePolicy(options: PruneOptions): RetentionPolicy {
  const n = (flag: string, value: string | undefined): number | undefined =>
    value === undefined ? undefined : parseCount(value, flag, 0);
  const policy: RetentionPolicy = {
    last: n('--keep-last', options.keepLast),
    daily: n('--keep-daily', options.keepDaily),
    weekly: n('--keep-weekly', options.keepWeekly),
    monthly: n('--keep-monthly', options.keepMonthly),
  };
  if (Object.values(policy).every((v) => v === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'prune needs a retention policy', {
      hint: 'e.g. --keep-daily 7 --keep-weekly 4 (a week of dailies, a month of weeklies), or --keep-last 10',
    });
  }
  return policy;
}
