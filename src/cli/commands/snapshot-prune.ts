import type { Command } from 'commander';
import { planPruneOfStore } from '../../pipeline/plan-snapshot-prune.js';
import type { CommandContext } from '../context.js';
import {
  addMetricsOptions,
  addRetentionOptions,
  retentionPolicyFrom,
  storeOption,
  type MetricsFlags,
  type RetentionFlags,
} from '../option-groups.js';
import { table } from '../output.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { measureStore, withRunMetrics } from '../run-metrics.js';
import { runPlan } from '../run-plan.js';

interface PruneOptions extends PlanFlags, RetentionFlags, MetricsFlags {
  name?: string;
  store?: string;
}

/**
 * `dbfork snapshot prune`: apply a retention policy (store/retention.ts). `latest` is never pruned;
 * abandoned incomplete snapshots (their writer is gone) are removed too.
 */
export function define(command: Command, context: () => CommandContext): void {
  addRetentionOptions(command.addOption(storeOption()))
    .option('--name <name>', 'only snapshots of this name (default: every name, each on its own)')
    .option('--dry-run', 'print the plan: what would go (with --json: the plan); delete nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; delete nothing');
  addMetricsOptions(command).action(async (options: PruneOptions) => {
    const ctx = context();
    const labels = { command: 'snapshot_prune', database: options.name ?? '' };
    await withRunMetrics(ctx, options, labels, async (metrics) => {
      const policy = retentionPolicyFrom(options, true);
      const { plan, rows } = await planPruneOfStore(options.store, policy, {
        ...(options.name ? { name: options.name } : {}),
      });
      const dryRun = planOnly(options);
      if (dryRun) await emitPlan(ctx, plan, options);
      else {
        const result = await runPlan(ctx, plan, { confirm: true });
        if (result.error) throw result.error;
        await measureStore(ctx, metrics, options.store, options.name);
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
