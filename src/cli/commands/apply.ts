import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { parsePlan } from '../../plan/serialize-plan.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { droppedBy, printRestoreResult } from '../restore-report.js';
import { runPlan } from '../run-plan.js';

interface ApplyOptions {
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
    .option('--yes', 'confirm destructive operations without asking')
    .action(async (file: string, options: ApplyOptions) => {
      const ctx = context();
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
      const result = await runPlan(ctx, plan, {
        confirm: options.yes ? true : 'ask',
        allowCommands: Boolean(options.allowCommands),
      });
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
}
