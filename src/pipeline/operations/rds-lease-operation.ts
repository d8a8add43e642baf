import { hostname } from 'node:os';
import { PolicyError, TargetError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { targetTree } from '../../rds/clone-state.js';
import { RdsLeaseParamsSchema, type RdsLeaseParams } from '../../rds/clone-steps.js';
import { TAG_LEASE } from '../../rds/clone-tags.js';
import { checkInfraTarget } from '../../rds/infra-guard.js';
import { formatLease, mayTake, parseLease, type LeaseHost } from '../../rds/run-lease.js';
import { loadCloneState } from '../rds-clone-state.js';
import type { RdsApiFor } from './rds-step-operation.js';

/** This process as a lease holder. */
export function thisHost(): LeaseHost {
  return {
    owner: `${hostname()}/${process.pid}`,
    now: Date.now(),
    alive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}

/**
 * `rds.lease`: the run lock. Its live check describes the trees again and re-runs the target guard
 * (a saved plan is refused if the target became production, lost its confirmation, …) and refuses a
 * lock held by another live run; its run writes the lock on the target root (under its `old-` name
 * once renamed) and reads it back.
 *
 * @throws PolicyError with the guard's code; TargetError `RDS_LEASE_HELD` (labels `retryable`,
 *   `noWritesPerformed`) while another run holds the lock
 */
export function rdsLeaseOperation(
  apiFor: RdsApiFor,
  host: () => LeaseHost = thisHost,
): OperationKind<RdsLeaseParams> {
  const held = async (params: RdsLeaseParams) => {
    const api = await apiFor(params.connection);
    const { state, lease } = await loadCloneState(api, params.source, params.target);
    return { api, state, lease };
  };
  return {
    kind: 'rds.lease',
    params: RdsLeaseParamsSchema,
    async check(params) {
      const { state, lease } = await held(params);
      const verdict = checkInfraTarget(
        state,
        { ...params.guard, source: params.source, target: params.target },
        params.runId,
      );
      if (!verdict.allowed)
        throw new PolicyError(
          verdict.code ?? 'TARGET_NOT_ALLOWED',
          `target guard refused (rule ${verdict.rule}): ${verdict.reason}`,
          {
            subject: { instance: params.target, rule: verdict.rule },
            labels: ['noWritesPerformed'],
          },
        );
      if (lease && !mayTake(lease, host())) throw busy(params.target, lease.owner, lease.expires);
    },
    async run(params) {
      const { api, state } = await held(params);
      const root = targetTree(state, params.target, params.runId)[0]?.instance;
      if (!root)
        throw new TargetError('RDS_INSTANCE_NOT_FOUND', `${params.target} is gone`, {
          subject: { instance: params.target },
        });
      const me = host();
      const value = formatLease({
        runId: params.runId,
        owner: me.owner,
        expires: new Date(me.now + params.ttlMs).toISOString(),
      });
      await api.addTags(root.arn, { [TAG_LEASE]: value });
      const back = (await api.describe(root.id))?.tags[TAG_LEASE];
      const lease = parseLease(back);
      if (back !== value && lease) throw busy(params.target, lease.owner, lease.expires);
      return { instance: root.id, lease: value };
    },
  };
}

function busy(target: string, owner: string, expires: string): TargetError {
  return new TargetError(
    'RDS_LEASE_HELD',
    `another clone of ${target} holds its lock (${owner}, until ${expires})`,
    {
      subject: { instance: target },
      hint: 'wait for it to finish; a lock whose run died is taken over once it expires (or at once on the same host)',
      labels: ['retryable', 'noWritesPerformed'],
    },
  );
}
