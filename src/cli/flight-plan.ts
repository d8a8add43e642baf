import type { Plan } from '../plan/plan-schema.js';
import { formatPlan } from '../plan/format-plan.js';

/**
 * An RDS clone plan as a flight plan: the plan's lines, then per RDS call its API action, instance id
 * and request parameters, and for a partly done run the steps a run skips and why.
 */
export function flightPlanLines(plan: Plan): string[] {
  const skipped = (plan.preview?.skipped ?? {}) as Record<string, string>;
  const lines = [...formatPlan(plan), '', 'flight plan:'];
  for (const op of plan.operations) {
    const request = (op.params as { request?: Record<string, unknown> }).request;
    const id = request?.DBInstanceIdentifier ?? '';
    const skip = skipped[op.id];
    lines.push(`  ${op.kind.padEnd(20)} ${String(id).padEnd(32)}${skip ? ` skipping: ${skip}` : ''}`);
    if (request && !skip) {
      const { DBInstanceIdentifier: _id, ...rest } = request;
      lines.push(`      ${JSON.stringify(rest)}`);
    }
  }
  return lines;
}
