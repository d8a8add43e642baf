import { describe, expect, it } from 'vitest';
import { watchLock } from '../../../src/ebs/lock-watchdog.js';
import { planEbsSync } from '../../../src/ebs/plan-ebs-sync.js';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import type { Plan } from '../../../src/plan/plan-schema.js';
import type { EbsDeps } from '../../../src/pipeline/operations/ebs-deps.js';
import { ebsOperations } from '../../../src/pipeline/operations/ebs-operations.js';
import { memoryEc2, memorySsm, recordingMember, recordingWatchdog } from '../../helpers/ebs-fakes.js';
import { syncInput } from './sync-input.js';

/** Lock, snapshot, unlock: the first three operations of a sync plan. */
function lockPlan(): Plan {
  const plan = planEbsSync(syncInput());
  return { ...plan, operations: plan.operations.slice(0, 3) };
}

function world(options: { failCreateSnapshot?: boolean; hangCreateSnapshot?: Promise<void> } = {}) {
  const log: string[] = [];
  const member = recordingMember(log);
  const ec2 = memoryEc2(log, options);
  const ssm = memorySsm(log);
  const deps: EbsDeps = {
    apis: () => ({ ec2: ec2.api, ssm: ssm.api }),
    admin: member.admin,
    watchdog: recordingWatchdog(log),
    sleep: async () => undefined,
  };
  const registry = new OperationRegistry();
  for (const kind of ebsOperations(deps)) registry.register(kind);
  return { log, member, ec2, ssm, deps, registry };
}

describe('lock and unlock at a seam (a recording command runner: FerretDB has no fsyncLock)', () => {
  it('success: the unlock follows the snapshot, and the watchdog is released', async () => {
    const w = world();
    const result = await executePlan(lockPlan(), { registry: w.registry });
    expect(result.ok).toBe(true);
    expect(w.log).toEqual([
      'watchdog-start',
      'fsyncLock',
      'CreateSnapshot',
      'fsyncUnlock',
      'watchdog-release',
    ]);
    expect(w.member.lockCount).toBe(0);
    // the credentials come from Parameter Store, never from the plan
    expect(w.member.uris[0]).toBe(
      'mongodb://backup-user:s3cr3t-pw@10.0.2.12:27017/?directConnection=true&authSource=admin',
    );
    expect(JSON.stringify(lockPlan())).not.toContain('s3cr3t-pw');
  });

  it('a failed CreateSnapshot: the unlock still runs (always run) and the run fails', async () => {
    const w = world({ failCreateSnapshot: true });
    const result = await executePlan(lockPlan(), { registry: w.registry });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('EBS_API_FAILED');
    expect(w.log).toEqual([
      'watchdog-start',
      'fsyncLock',
      'CreateSnapshot',
      'fsyncUnlock',
      'watchdog-release',
    ]);
    expect(result.operations.map((o) => o.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(w.member.lockCount).toBe(0);
  });

  it('a timeout: CreateSnapshot hangs past the lock deadline, the watchdog unlocks, the unlock step finds it unlocked', async () => {
    let finish!: () => void;
    const hang = new Promise<void>((r) => (finish = r));
    const w = world({ hangCreateSnapshot: hang });
    const watched: Promise<unknown>[] = [];
    // the watchdog's logic (its process is tested in the SIGTERM test) over the same member
    const deps: EbsDeps = {
      ...w.deps,
      watchdog: async (_uri, deadlineMs) => {
        w.log.push('watchdog-start');
        let release = () => undefined as void;
        watched.push(
          watchLock(
            {
              onRelease: (l) => (release = l),
              onParentGone: () => undefined,
              setTimer: (l, ms) => {
                const t = setTimeout(l, ms);
                return { clear: () => clearTimeout(t) };
              },
            },
            deadlineMs,
            w.member.run,
          ).then((r) => w.log.push(`watchdog-${r.outcome}`)),
        );
        return { pid: 0, release: () => release() };
      },
    };
    const registry = new OperationRegistry();
    for (const kind of ebsOperations(deps)) registry.register(kind);
    const plan = lockPlan();
    const params = plan.operations[0]!.params as { maxLockMs: number };
    params.maxLockMs = 1000;
    (plan.operations[2]!.params as { maxLockMs: number }).maxLockMs = 1000;
    const running = executePlan(plan, { registry });
    await new Promise((r) => setTimeout(r, 1300));
    expect(w.member.lockCount).toBe(0); // unlocked while CreateSnapshot still hangs
    finish();
    const result = await running;
    await Promise.all(watched);
    expect(result.ok).toBe(true);
    expect(w.log).toEqual([
      'watchdog-start',
      'fsyncLock',
      'CreateSnapshot',
      'fsyncUnlock',
      'watchdog-deadline',
    ]);
  });
});
