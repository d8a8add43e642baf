import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/plan/execute-plan.js';
import type { PlanEvent } from '../../../src/plan/plan-events.js';
import { newWorld, plan, registry, step } from './plan-kit.js';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('executePlan', () => {
  it('runs operations in order and returns a result per operation', async () => {
    const world = newWorld();
    const events: PlanEvent[] = [];
    const result = await executePlan(plan([step('a'), step('b')]), {
      registry: registry(world),
      onEvent: (e) => events.push(e),
    });
    expect(result.ok).toBe(true);
    expect(result.operations.map((o) => [o.id, o.status, o.attempts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
    ]);
    expect(result.operations[0]?.output).toEqual({ made: 'a' });
    expect([...world.done]).toEqual(['a', 'b']);
    expect(events.map((e) => e.type)).toEqual([
      'plan-start',
      'operation-start',
      'operation-end',
      'operation-start',
      'operation-end',
      'plan-end',
    ]);
    expect(events.every((e) => e.schemaVersion === 1)).toBe(true);
  });

  it('a failing operation compensates the earlier ones in reverse order and skips the rest, without throwing', async () => {
    const world = newWorld();
    world.failures.set('c', 1);
    const result = await executePlan(plan([step('a'), step('b'), step('c'), step('d')]), {
      registry: registry(world),
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('TEST_FAILED');
    expect(result.operations.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'failed', 'skipped']);
    expect(result.operations[3]?.reason).toBe('an earlier operation failed');
    expect(result.operations[0]?.compensation).toEqual({ status: 'succeeded' });
    expect(world.log.filter((l) => l.startsWith('compensate'))).toEqual([
      'compensate b {"made":"b"}',
      'compensate a {"made":"a"}',
    ]);
    expect(world.done.size).toBe(0);
  });

  it('an always-run operation runs after a failure; the others after it do not', async () => {
    const world = newWorld();
    world.failures.set('b', 1);
    const result = await executePlan(
      plan([step('lock'), step('b'), step('c'), step('unlock', { alwaysRun: true })]),
      { registry: registry(world) },
    );
    expect(result.operations.map((o) => o.status)).toEqual(['succeeded', 'failed', 'skipped', 'succeeded']);
    expect(world.done.has('unlock')).toBe(true);
    expect(world.log).not.toContain('run c');
  });

  it('asks each operation whether its effect is in place and skips it as already done', async () => {
    const world = newWorld();
    world.done.add('a');
    const result = await executePlan(plan([step('a'), step('b')]), { registry: registry(world) });
    expect(result.operations[0]).toMatchObject({ status: 'skipped', reason: 'already done', attempts: 0 });
    expect(world.log).toEqual(['isDone a', 'isDone b', 'run b']);
  });

  it('dry run calls nothing, not even resume or live checks', async () => {
    const world = newWorld();
    const result = await executePlan(
      plan([
        step('a'),
        { id: 'c', kind: 'test.check', description: 'check', aspects: [], params: { refuse: false } },
      ]),
      { registry: registry(world), dryRun: true },
    );
    expect(result.ok).toBe(true);
    expect(result.dryRun).toBe(true);
    expect(result.operations.map((o) => [o.status, o.reason])).toEqual([
      ['skipped', 'dry run'],
      ['skipped', 'dry run'],
    ]);
    expect(world.log).toEqual([]);
  });

  it('retries a retryable-labelled failure of a retryable operation, up to N attempts', async () => {
    const world = newWorld();
    world.failures.set('a', 3);
    const events: PlanEvent[] = [];
    const op = step('a', { aspects: ['retryable'], retryableFailure: true });
    const result = await executePlan(plan([op]), {
      registry: registry(world),
      retry: fast,
      onEvent: (e) => events.push(e),
    });
    expect(result.operations[0]).toMatchObject({ status: 'succeeded', attempts: 4 });
    expect(
      events.filter((e) => e.type === 'operation-retry').map((e) => 'attempt' in e && e.attempt),
    ).toEqual([1, 2, 3]);

    const exhausted = newWorld();
    exhausted.failures.set('a', 9);
    const failed = await executePlan(plan([op]), { registry: registry(exhausted), retry: fast });
    expect(failed.operations[0]).toMatchObject({ status: 'failed', attempts: 4 });
    expect(exhausted.log.filter((l) => l === 'run a')).toHaveLength(4);
  });

  it('does not retry without the label, nor an operation not declared retryable', async () => {
    const world = newWorld();
    world.failures.set('a', 1);
    world.failures.set('b', 1);
    const result = await executePlan(plan([step('a', { aspects: ['retryable'] })]), {
      registry: registry(world),
      retry: fast,
    });
    expect(result.operations[0]).toMatchObject({ status: 'failed', attempts: 1 });
    const other = await executePlan(plan([step('b', { retryableFailure: true })]), {
      registry: registry(world),
      retry: fast,
    });
    expect(other.operations[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('refuses, running nothing, when a live check refuses, the recorded guard refused, or confirmation is missing', async () => {
    const world = newWorld();
    const check = {
      id: 'c',
      kind: 'test.check',
      description: 'check',
      aspects: [],
      params: { refuse: true },
    };
    const refused = await executePlan(plan([step('a'), check]), { registry: registry(world) });
    expect(refused.error?.code).toBe('TEST_REFUSED');
    expect(
      refused.operations.every((o) => o.status === 'skipped' && o.reason === 'refused: TEST_REFUSED'),
    ).toBe(true);
    expect(world.log).toEqual(['check']);

    const guarded = await executePlan(
      plan([step('a')], {
        guard: { allowed: false, rule: 'system-db', code: 'TARGET_PROTECTED', reason: 'admin' },
      }),
      { registry: registry(world) },
    );
    expect(guarded.error?.code).toBe('TARGET_PROTECTED');
    expect(guarded.error?.exitCode).toBe(8);

    const asking = plan([step('a', { aspects: ['destructive', 'needs-confirmation'] })]);
    const unconfirmed = await executePlan(asking, { registry: registry(world) });
    expect(unconfirmed.error?.code).toBe('PLAN_NOT_CONFIRMED');
    const declined = await executePlan(asking, { registry: registry(world), confirm: () => false });
    expect(declined.error?.code).toBe('PLAN_NOT_CONFIRMED');
    expect(world.done.size).toBe(0);
    const asked: string[] = [];
    const confirmed = await executePlan(asking, {
      registry: registry(world),
      confirm: (ops) => (asked.push(...ops.map((o) => o.id)), true),
    });
    expect(confirmed.ok).toBe(true);
    expect(asked).toEqual(['a']);
  });

  it('refuses unknown kinds and bad parameters before anything runs', async () => {
    const world = newWorld();
    const unknown = await executePlan(
      plan([step('a'), { id: 'x', kind: 'rds.create', description: 'x', aspects: [], params: {} }]),
      { registry: registry(world) },
    );
    expect(unknown.error?.code).toBe('PLAN_UNKNOWN_KIND');
    const bad = await executePlan(plan([{ ...step('a'), params: { name: 3 } }]), {
      registry: registry(world),
    });
    expect(bad.error?.code).toBe('PLAN_BAD_PARAMS');
    expect(world.log).toEqual([]);
  });

  it('waits for a condition with backoff up to its deadline', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
    let readyAt = 700;
    const { OperationRegistry } = await import('../../../src/plan/operation-registry.js');
    const { z } = await import('zod');
    const reg = new OperationRegistry().register({
      kind: 'test.wait',
      params: z.object({}),
      ready: async () => now >= readyAt,
      run: async () => now,
    });
    const op = {
      id: 'w',
      kind: 'test.wait',
      description: 'wait',
      aspects: [],
      params: {},
      waitFor: { timeoutMs: 1000, intervalMs: 100, maxIntervalMs: 400 },
    };
    const ok = await executePlan(plan([op]), { registry: reg, clock });
    expect(ok.operations[0]).toMatchObject({ status: 'succeeded', output: 700 });
    expect(sleeps).toEqual([100, 200, 400]);

    now = 0;
    sleeps.length = 0;
    readyAt = Infinity;
    const late = await executePlan(plan([op]), { registry: reg, clock });
    expect(late.operations[0]?.status).toBe('failed');
    expect(late.error?.code).toBe('PLAN_WAIT_TIMEOUT');
    expect(sleeps).toEqual([100, 200, 400, 300]);
  });
});
