import type { PlanGuard } from '../plan/plan-schema.js';
import type { Ec2Instance } from './ebs-port.js';

export interface StagingGuardInput {
  readonly staging: Ec2Instance;
  /** The hosts of every member of the production replica set (`host:port`). */
  readonly memberHosts: readonly string[];
  /** The instances holding the hidden member (and any other production instance named). */
  readonly productionInstances: readonly string[];
  /** `key=value`: an instance carrying it is production. */
  readonly productionTag: string;
  /** `--confirm`: must repeat the staging instance id. */
  readonly confirm?: string;
}

/**
 * The staging side's guard, evaluated before any call that changes anything: the staging instance must
 * not host a member of the production replica set (by id, by the production tag, or because one of its
 * private addresses or DNS names is a member's host), and the run must name it with `--confirm`.
 *
 * @returns the verdict recorded in the plan (rules `staging-is-member`, `production-tag`,
 *   `confirm-required`; `staging` when allowed)
 */
export function checkStagingInstance(input: StagingGuardInput): PlanGuard {
  const { staging } = input;
  const refuse = (rule: string, code: string, reason: string): PlanGuard => ({
    allowed: false,
    rule,
    code,
    reason,
  });
  if (input.productionInstances.includes(staging.id))
    return refuse('staging-is-member', 'EBS_STAGING_IS_PRODUCTION', `${staging.id} hosts the hidden member`);
  const names = new Set([...staging.privateIps, ...staging.privateDnsNames].map((n) => n.toLowerCase()));
  const hosting = input.memberHosts.find((h) => names.has(hostOf(h)));
  if (hosting)
    return refuse(
      'staging-is-member',
      'EBS_STAGING_IS_PRODUCTION',
      `${staging.id} hosts the replica-set member ${hosting}`,
    );
  const [key = '', value = ''] = input.productionTag.split('=', 2);
  if (key && staging.tags[key] === value)
    return refuse('production-tag', 'TARGET_PRODUCTION', `${staging.id} is tagged ${input.productionTag}`);
  if (input.confirm !== staging.id)
    return refuse(
      'confirm-required',
      'TARGET_CONFIRM_REQUIRED',
      `replacing the data of ${staging.id} needs --confirm ${staging.id}`,
    );
  return {
    allowed: true,
    rule: 'staging',
    code: null,
    reason: `${staging.id} is a staging instance, confirmed`,
  };
}

/** `host` of `host:port` (or `[v6]:port`), lower case. */
function hostOf(member: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(member);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  return member.replace(/:\d+$/, '').toLowerCase();
}
