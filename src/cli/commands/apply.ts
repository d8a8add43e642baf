import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { parsePlan } from '../../plan/serialize-plan.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { addMetricsOptions, type MetricsFlags } from '../option-groups.js';
import type { Plan } from '../../plan/plan-schema.js';
import { droppedBy, printRestoreResult } from '../restore-report.js';
import { planFigures } from '../run-figures.js';
import { withRunMetrics } from '../run-metrics.js';
import { runPlan } from '../run-plan.js';

interface ApplyOptions extends MetricsFlags {
  allowCommands?: boolean;
  yes?: boolean;
}

/**
 * `dbfork apply <plan.json>`: run a plan saved with `--plan-out`. Live state is re-checked first (the
 * target guard against the connection string resolved now, snapshots still there and not `latest`);
 * references are resolved now (`{ config: key }` from the run's dbfork.yaml, see the global
 * `--config`); destructive plans are confirmed (`--yes`, or y on a terminal).
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .argument('<plan>', 'the plan file (JSON, schemas/plan.schema.json)')
    .option('--allow-commands', 'let the plan run its shell steps')
    .option('--yes', 'confirm destructive operations without asking');
  addMetricsOptions(command).action(async (file: string, options: ApplyOptions) => {
    const ctx = context();
    await withRunMetrics(ctx, options, { command: 'apply', database: '' }, async (metrics) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError('PLAN_INVALID', `cannot read the plan ${file}`, {
          subject: { file },
          cause: error,
        });
      }
      const plan = parsePlan(text, file);
      metrics.database(planDatabase(plan));
      const result = await runPlan(ctx, plan, {
        confirm: options.yes ? true : 'ask',
        allowCommands: Boolean(options.allowCommands),
      });
      const figures = planFigures(result);
      if (figures) metrics.figures(figures);
      const restore = result.operations.find((o) => o.kind === 'restore.run' && o.output !== undefined);
      if (restore && !ctx.json) printRestoreResult(ctx, restore.output as RestoreResult, droppedBy(result));
      ctx.output.result({ ...result, error: result.error?.toJSON() });
      ctx.output.line(`plan (${plan.command}): ${plan.summary}`);
      ctx.output.line(
        table(
          ['operation', 'kind', 'status', 'note'],
          result.operations.map((o) => [
            o.id,
            o.kind,
            o.status,
            o.reason ??
              `${o.attempts} attempt(s), ${o.durationMs} ms${o.compensation ? `, undone: ${o.compensation.status}` : ''}`,
          ]),
        ),
      );
      if (result.error) throw result.error;
    });
  });
}

/** The database a plan is about, for its metrics: its first operation's `db`, else none. */
function planDatabase(plan: Plan): string {
  const db = plan.operations.find((o) => typeof o.params.db === 'string')?.params.db;
  return typeof db === 'string' ? db : '';
}
