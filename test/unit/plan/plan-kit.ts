import { z } from 'zod';
import { DbforkError, TargetError } from '../../../src/errors/index.js';
import type { Aspect } from '../../../src/plan/aspects.js';
import type { OperationKind } from '../../../src/plan/operation-kind.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import type { Plan, PlanOperation } from '../../../src/plan/plan-schema.js';

/** A world the test operations change: named effects in place, and a log of every call in order. */
export interface World {
  readonly done: Set<string>;
  readonly log: string[];
  /** Remaining failures per step name; a failure is retryable when the step says so. */
  readonly failures: Map<string, number>;
}

export function newWorld(): World {
  return { done: new Set(), log: [], failures: new Map() };
}

const StepParams = z.strictObject({ name: z.string(), retryableFailure: z.boolean().optional() });

/** `test.step`: puts `name` in place; fails while `failures` says so; undone by compensate. */
export function stepKind(world: World): OperationKind<z.infer<typeof StepParams>> {
  return {
    kind: 'test.step',
    params: StepParams,
    async isDone(p) {
      world.log.push(`isDone ${p.name}`);
      return world.done.has(p.name);
    },
    async run(p) {
      world.log.push(`run ${p.name}`);
      const left = world.failures.get(p.name) ?? 0;
      if (left > 0) {
        world.failures.set(p.name, left - 1);
        throw new TargetError('TEST_FAILED', `${p.name} failed`, {
          labels: p.retryableFailure ? ['retryable'] : [],
        });
      }
      world.done.add(p.name);
      return { made: p.name };
    },
    async compensate(p, output) {
      world.log.push(`compensate ${p.name} ${JSON.stringify(output)}`);
      world.done.delete(p.name);
    },
  };
}

/** `test.check`: a live check that refuses when `refuse` is set. */
export function checkKind(world: World): OperationKind<{ refuse: boolean }> {
  return {
    kind: 'test.check',
    params: z.strictObject({ refuse: z.boolean() }),
    async check(p) {
      world.log.push('check');
      if (p.refuse) throw new DbforkError('policy', 'TEST_REFUSED', 'live state changed');
    },
    async run() {
      world.log.push('run check');
    },
  };
}

export function registry(world: World): OperationRegistry {
  return new OperationRegistry().register(stepKind(world)).register(checkKind(world));
}

export function step(
  name: string,
  extra: Partial<PlanOperation> & { retryableFailure?: boolean } = {},
): PlanOperation {
  const { retryableFailure, ...rest } = extra;
  return {
    id: name,
    kind: 'test.step',
    description: `make ${name}`,
    aspects: ['idempotent'] as Aspect[],
    params: { name, ...(retryableFailure ? { retryableFailure } : {}) },
    ...rest,
  };
}

export function plan(operations: PlanOperation[], extra: Partial<Plan> = {}): Plan {
  return {
    schemaVersion: 1,
    command: 'test',
    summary: 'a test plan',
    createdAt: '2026-01-01T00:00:00.000Z',
    toolVersion: '0.0.0',
    guard: null,
    operations,
    ...extra,
  };
}
