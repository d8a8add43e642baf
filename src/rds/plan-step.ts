import type { Aspect } from '../plan/aspects.js';
import type { PlanOperation, WaitFor } from '../plan/plan-schema.js';
import type { RdsConnection, RdsStepKind, RdsStepParams } from './clone-steps.js';

/** What each RDS step declares about itself. */
export const STEP_ASPECTS: Readonly<Record<RdsStepKind, Aspect[]>> = {
  'rds.create-replica': ['costs-money', 'idempotent', 'retryable'],
  'rds.restore-snapshot': ['costs-money', 'idempotent', 'retryable'],
  'rds.promote': ['idempotent', 'retryable'],
  'rds.modify': ['idempotent', 'retryable'],
  'rds.reboot': ['idempotent'],
  'rds.rename': ['destructive', 'needs-confirmation', 'idempotent'],
  'rds.delete': ['destructive', 'needs-confirmation', 'idempotent'],
};

/** True for the kinds that send one RDS request. */
export function isRdsStep(kind: string): kind is RdsStepKind {
  return Object.hasOwn(STEP_ASPECTS, kind);
}

/** What every step of one plan shares. */
export interface StepContext {
  readonly connection: RdsConnection;
  readonly runId: string;
  readonly wait: WaitFor;
}

/** One step: its id is `<phase>.<instance id>` (lower case). */
export interface StepSpec {
  readonly kind: RdsStepKind;
  /** `copy`, `promote`, `modify`, `reboot`, `rename-old`, `rename-temp`, `delete`. */
  readonly phase: string;
  /** The instance it acts on, as named in the request. */
  readonly instance: string;
  /** The target-tree name it works for. */
  readonly logical: string;
  readonly description: string;
  readonly request: RdsStepParams['request'];
  readonly protect?: RdsStepParams['protect'];
}

/** The plan operation of a step: kind, declared aspects, parameters and its wait. */
export function planStep(ctx: StepContext, spec: StepSpec): PlanOperation {
  return {
    id: `${spec.phase}.${spec.instance.toLowerCase()}`,
    kind: spec.kind,
    description: spec.description,
    aspects: STEP_ASPECTS[spec.kind],
    params: {
      connection: ctx.connection,
      runId: ctx.runId,
      logical: spec.logical,
      request: spec.request,
      ...(spec.protect ? { protect: spec.protect } : {}),
    },
    waitFor: ctx.wait,
  };
}
