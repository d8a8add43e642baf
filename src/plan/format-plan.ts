import type { Plan } from './plan-schema.js';

/**
 * A plan as text lines for `--dry-run`: the summary, the guard verdict, then one numbered line per
 * operation with its aspects and markers (always runs, waits up to …).
 */
export function formatPlan(plan: Plan): string[] {
  const lines = [`plan (${plan.command}): ${plan.summary}`];
  if (plan.guard) {
    lines.push(
      `guard: ${plan.guard.allowed ? 'allowed' : 'REFUSED'} (rule ${plan.guard.rule}): ${plan.guard.reason}`,
    );
  }
  if (plan.operations.length === 0) lines.push('  nothing to do');
  plan.operations.forEach((op, index) => {
    const marks = [
      ...op.aspects,
      ...(op.alwaysRun ? ['always runs'] : []),
      ...(op.waitFor ? [`waits up to ${op.waitFor.timeoutMs} ms`] : []),
    ];
    lines.push(`  ${index + 1}. ${op.description}${marks.length ? ` [${marks.join(', ')}]` : ''}`);
  });
  return lines;
}
