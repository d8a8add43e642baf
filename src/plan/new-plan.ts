import { TOOL_VERSION } from '../core/version.js';
import { PLAN_SCHEMA_VERSION, type Plan, type PlanGuard, type PlanOperation } from './plan-schema.js';

export interface NewPlanOptions {
  readonly command: string;
  readonly summary: string;
  readonly operations: readonly PlanOperation[];
  readonly guard?: PlanGuard | null;
  readonly preview?: Plan['preview'];
  /** Planning time (default now). */
  readonly now?: Date;
}

/** Assemble a plan: version, tool, time, and the planner's operations. Pure but for the clock. */
export function newPlan(options: NewPlanOptions): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    command: options.command,
    summary: options.summary,
    createdAt: (options.now ?? new Date()).toISOString(),
    toolVersion: TOOL_VERSION,
    guard: options.guard ?? null,
    operations: [...options.operations],
    ...(options.preview === undefined ? {} : { preview: options.preview }),
  };
}

/** Flags whose values a plan names as `{ arg }` (given on the command line, never stored). */
export function argReferences(plan: Plan): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const keys = Object.keys(value);
    const arg = (value as { arg?: unknown }).arg;
    if (keys.length === 1 && typeof arg === 'string') found.add(arg);
    Object.values(value).forEach(walk);
  };
  plan.operations.forEach((op) => walk(op.params));
  return [...found];
}
