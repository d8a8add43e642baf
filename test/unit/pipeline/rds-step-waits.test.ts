import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { newPlan } from '../../../src/plan/new-plan.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import type { PlanEvent } from '../../../src/plan/plan-events.js';
import type { PlanOperation } from '../../../src/plan/plan-schema.js';
import type { WaitClock } from '../../../src/plan/wait-for-condition.js';
import { rdsOperations } from '../../../src/pipeline/operations/rds-operations.js';
import type { DbInstance } from '../../../src/rds/db-instance.js';
import type { RdsApi, RdsMutation, RdsRequest } from '../../../src/rds/rds-port.js';

/**
 * Seam: moto changes instance states instantly and never leaves a parameter group `pending-reboot`,
 * so the waits (backoff, fail-fast on a broken state, deadline) and the conditional reboot run here
 * against a scripted RdsApi whose statuses change look by look, as RDS's do.
 */
function scriptedApi(statuses: string[], extra: Partial<DbInstance> = {}) {
  const calls: { action: RdsMutation; request: RdsRequest }[] = [];
  const clock = fakeClock();
  const api: RdsApi = {
    async describe(id) {
      if (id !== 'temp-demo') return undefined;
      // the status changes with time: one step of the script per pause of the executor
      const status = statuses[Math.min(clock.slept.length, statuses.length - 1)]!;
      return {
        id,
        arn: `arn:aws:rds:us-east-1:123456789012:db:${id}`,
        engine: 'mysql',
        status,
        replicaIds: [],
        instanceClass: 'db.t3.micro',
        multiAz: false,
        securityGroupIds: [],
        backupRetention: 1,
        sourceId: 'prod',
        tags: { 'dbfork:run': 'run-1' },
        ...extra,
      };
    },
    latestSnapshot: async () => undefined,
    mutate: async (action, request) => void calls.push({ action, request }),
    addTags: async () => undefined,
    removeTags: async () => undefined,
  };
  return { api, calls, clock };
}

function fakeClock(): WaitClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

const step = (kind: string, request: Record<string, string | boolean>): PlanOperation => ({
  id: `${kind.slice(4)}.temp-demo`,
  kind,
  description: `${kind} temp-demo`,
  aspects: ['idempotent'],
  params: { connection: { region: 'us-east-1' }, runId: 'run-1', logical: 'demo', request },
  waitFor: { timeoutMs: 10_000, intervalMs: 1_000, maxIntervalMs: 4_000 },
});

async function run(api: RdsApi, op: PlanOperation, clock: ReturnType<typeof fakeClock>) {
  const registry = new OperationRegistry();
  for (const kind of rdsOperations(async () => api)) registry.register(kind);
  const events: PlanEvent[] = [];
  const result = await executePlan(newPlan({ command: 'rds clone', summary: 't', operations: [op] }), {
    registry,
    clock,
    onEvent: (e) => events.push(e),
  });
  return { result, events };
}

describe('RDS step waits (seam: moto states change instantly)', () => {
  it('waits with backoff (1 s, 2 s, 4 s) until the instance settles, then calls', async () => {
    const { api, calls, clock } = scriptedApi(['modifying', 'modifying', 'modifying', 'available']);
    const { result } = await run(api, step('rds.promote', { DBInstanceIdentifier: 'temp-demo' }), clock);
    expect(result.ok).toBe(true);
    expect(clock.slept).toEqual([1_000, 2_000, 4_000]);
    expect(calls).toEqual([{ action: 'PromoteReadReplica', request: { DBInstanceIdentifier: 'temp-demo' } }]);
  });

  it('fails fast, without a call, when the instance is in a state it never leaves', async () => {
    const { api, calls, clock } = scriptedApi(['modifying', 'failed']);
    const { result } = await run(api, step('rds.promote', { DBInstanceIdentifier: 'temp-demo' }), clock);
    expect(result.error?.code).toBe('RDS_INSTANCE_FAILED');
    expect(clock.slept).toEqual([1_000]);
    expect(calls).toEqual([]);
  });

  it('stops at the deadline with RDS_WAIT_TIMEOUT, never a blind long wait', async () => {
    const { api, calls, clock } = scriptedApi(['modifying']);
    const { result } = await run(api, step('rds.promote', { DBInstanceIdentifier: 'temp-demo' }), clock);
    expect(result.error?.code).toBe('RDS_WAIT_TIMEOUT');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(calls).toEqual([]);
  });

  it('reboots only when the parameter group change waits for a reboot', async () => {
    const reboot = step('rds.reboot', { DBInstanceIdentifier: 'temp-demo' });
    const pending = scriptedApi(['available'], { parameterApplyStatus: 'pending-reboot' });
    expect((await run(pending.api, reboot, pending.clock)).result.operations[0]?.status).toBe('succeeded');
    expect(pending.calls.map((c) => c.action)).toEqual(['RebootDBInstance']);
    const inSync = scriptedApi(['available'], { parameterApplyStatus: 'in-sync' });
    expect((await run(inSync.api, reboot, inSync.clock)).result.operations[0]).toMatchObject({
      status: 'skipped',
      reason: 'already done',
    });
    expect(inSync.calls).toEqual([]);
  });
});
