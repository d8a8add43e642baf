import { writeFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';
import { formatPlan } from '../plan/format-plan.js';
import { argReferences } from '../plan/new-plan.js';
import type { PlanResult } from '../plan/plan-result.js';
import type { Plan } from '../plan/plan-schema.js';
import { serializePlan } from '../plan/serialize-plan.js';
import type { CommandContext } from './context.js';
import { table } from './output.js';

/** The flags every mutating command shares. */
export interface PlanFlags {
  dryRun?: boolean;
  planOut?: string;
}

/** True when the command only shows or saves its plan. */
export function planOnly(flags: PlanFlags): boolean {
  return Boolean(flags.dryRun) || flags.planOut !== undefined;
}

/**
 * Show or save a plan: `--dry-run` prints it (text, or with `--json` the plan as one JSON document),
 * `--plan-out <file>` writes it for `dbfork apply`. The file is written only when the plan can be
 * applied later: no connection given by value with a password.
 *
 * @throws UsageError `PLAN_NEEDS_REFERENCE` for a connection given by value with a password,
 *   `PLAN_HOLDS_SECRET` (see serializePlan), `PLAN_OUT_UNWRITABLE`
 */
export async function emitPlan(ctx: CommandContext, plan: Plan, flags: PlanFlags): Promise<void> {
  if (flags.dryRun) {
    if (ctx.json) ctx.output.document(plan);
    for (const line of formatPlan(plan)) ctx.output.line(line);
  }
  if (flags.planOut === undefined) return;
  const args = argReferences(plan);
  if (args.length > 0) {
    throw new UsageError(
      'PLAN_NEEDS_REFERENCE',
      `${args.join(', ')} holds a password, and a plan file never holds one`,
      { hint: `pass it by name instead: ${args.map((a) => `${a}-env NAME or ${a}-file PATH`).join('; ')}` },
    );
  }
  const text = serializePlan(plan);
  try {
    await writeFile(flags.planOut, text, { mode: 0o600 });
  } catch (error) {
    throw new UsageError('PLAN_OUT_UNWRITABLE', `cannot write the plan to ${flags.planOut}`, {
      subject: { file: flags.planOut },
      cause: error,
    });
  }
  ctx.logger.info({ planOut: flags.planOut, operations: plan.operations.length }, 'plan written');
  ctx.output.line(`plan written to ${flags.planOut}; run it with: dbfork apply ${flags.planOut}`);
}

/**
 * Print an applied plan's outcome: the result as data (`--json`), then a table of each operation's
 * status and attempts; throws the plan's error, if any, after printing.
 */
export function printPlanResult(ctx: CommandContext, result: PlanResult): void {
  ctx.output.result({ ...result, error: result.error?.toJSON() });
  ctx.output.line(
    table(
      ['operation', 'status', 'note'],
      result.operations.map((o) => [
        o.id,
        o.status,
        o.reason ?? `${o.attempts} attempt(s), ${o.durationMs} ms`,
      ]),
    ),
  );
  if (result.error) throw result.error;
}
