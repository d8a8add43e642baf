import { PolicyError, UsageError, type DbforkError } from '../errors/index.js';
import { hasAspect } from './aspects.js';
import type { OperationKind } from './operation-kind.js';
import type { OperationRegistry } from './operation-registry.js';
import type { Plan, PlanOperation } from './plan-schema.js';
import { toDbforkError } from './run-operation.js';

/** An operation with its implementation and parsed parameters. */
export interface PreparedOperation {
  readonly op: PlanOperation;
  readonly kind: OperationKind;
  readonly params: unknown;
}

/**
 * The checks that need no live state, in order: every kind is known and its parameters parse, ids are
 * unique, the recorded guard verdict allows the plan, and commands run only when allowed.
 *
 * @returns the prepared operations, or the refusal
 */
export function preparePlan(
  plan: Plan,
  registry: OperationRegistry,
  allowCommands: boolean,
): { prepared: PreparedOperation[] } | { refusal: DbforkError } {
  const prepared: PreparedOperation[] = [];
  const ids = new Set<string>();
  try {
    for (const op of plan.operations) {
      if (ids.has(op.id)) throw new UsageError('PLAN_INVALID', `operation id ${op.id} appears twice`);
      ids.add(op.id);
      const kind = registry.get(op.kind);
      const parsed = kind.params.safeParse(op.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(
          'PLAN_BAD_PARAMS',
          `operation ${op.id} (${op.kind}): ${issue ? `${issue.path.map(String).join('.') || '(params)'}: ${issue.message}` : 'bad parameters'}`,
          { subject: { operation: op.id } },
        );
      }
      prepared.push({ op, kind, params: parsed.data });
    }
  } catch (error) {
    return { refusal: toDbforkError(error) };
  }
  if (plan.guard && !plan.guard.allowed) {
    return {
      refusal: new PolicyError(
        plan.guard.code ?? 'TARGET_NOT_ALLOWED',
        `target guard refused (rule ${plan.guard.rule}): ${plan.guard.reason}`,
        { subject: { rule: plan.guard.rule }, labels: ['noWritesPerformed'] },
      ),
    };
  }
  const command = prepared.find((p) => p.kind.runsCommands);
  if (command && !allowCommands) {
    return {
      refusal: new PolicyError(
        'PLAN_COMMANDS_NOT_ALLOWED',
        `operation ${command.op.id} runs a command (${command.op.description}) and commands are not allowed`,
        {
          subject: { operation: command.op.id },
          hint: 'read the plan, then apply it with --allow-commands',
          labels: ['noWritesPerformed'],
        },
      ),
    };
  }
  return { prepared };
}

/** The operations a run must confirm first. */
export function needingConfirmation(prepared: readonly PreparedOperation[]): PlanOperation[] {
  return prepared.filter((p) => hasAspect(p.op.aspects, 'needs-confirmation')).map((p) => p.op);
}
