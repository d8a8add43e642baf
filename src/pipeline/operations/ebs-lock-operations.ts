import { describeRef } from '../../plan/secret-ref.js';
import { Secret } from '../../plan/secret.js';
import type { OperationContext, OperationKind } from '../../plan/operation-kind.js';
import { PolicyError, TargetError } from '../../errors/index.js';
import { unlockFully } from '../../ebs/lock-watchdog.js';
import {
  checkHello,
  checkHiddenMember,
  type HelloReply,
  type ReplSetConfigReply,
} from '../../ebs/member-preflight.js';
import { memberUri } from '../../ebs/member-uri.js';
import { MemberLockParamsSchema, type MemberLockParams } from '../../ebs/sync-params.js';
import type { WatchdogHandle } from '../lock-watchdog-spawn.js';
import type { EbsDeps } from './ebs-deps.js';

/**
 * The member's connection string with the credentials of Parameter Store, as a Secret (never logged,
 * never in a plan).
 */
export async function memberSecret(
  deps: EbsDeps,
  params: MemberLockParams,
  ctx: OperationContext,
): Promise<Secret> {
  const base = await ctx.secrets.resolve(params.secondary);
  const ssm = deps.apis(params.connection).ssm;
  const credentials = params.credentials
    ? {
        username: await ssm.secureParameter(params.credentials.username),
        password: await ssm.secureParameter(params.credentials.password),
      }
    : undefined;
  return new Secret(memberUri(base.reveal(), credentials), describeRef(params.secondary));
}

/**
 * Run `hello` and `replSetGetConfig` on the member and check it is the hidden member the plan names.
 *
 * @throws PolicyError from {@link checkHiddenMember}, or `EBS_MEMBER_CHANGED` for another member
 */
export async function preflight(deps: EbsDeps, uri: Secret, expectedHost?: string) {
  const admin = await deps.admin(uri.reveal());
  try {
    const hello = (await admin.run({ hello: 1 })) as HelloReply;
    checkHello(hello);
    const config = (await admin.run({ replSetGetConfig: 1 })) as ReplSetConfigReply;
    const member = checkHiddenMember(hello, config);
    if (expectedHost !== undefined && member.host !== expectedHost)
      throw new PolicyError(
        'EBS_MEMBER_CHANGED',
        `the plan locks ${expectedHost}, but the member is ${member.host}`,
        {
          subject: { host: member.host },
          hint: 'plan again against the hidden member',
          labels: ['noWritesPerformed'],
        },
      );
    return member;
  } finally {
    await admin.close();
  }
}

/**
 * `ebs.lock` and `ebs.unlock`, one pair over one watchdog table. The lock's live check repeats the
 * preflight; its run starts the watchdog (a process of its own that unlocks after `maxLockMs` or when
 * this process ends), then `fsync: 1, lock: true`. The unlock (always run) `fsyncUnlock`s until the
 * lock count is 0 ("not locked" counts as done), then releases the watchdog; when the member cannot be
 * reached, the watchdog stays and unlocks it itself.
 */
export function ebsLockOperations(deps: EbsDeps): OperationKind<MemberLockParams>[] {
  const watchdogs = new Map<string, WatchdogHandle>();
  const lock: OperationKind<MemberLockParams> = {
    kind: 'ebs.lock',
    params: MemberLockParamsSchema,
    async check(params, ctx) {
      await preflight(deps, await memberSecret(deps, params, ctx), params.host);
    },
    async run(params, ctx) {
      const uri = await memberSecret(deps, params, ctx);
      watchdogs.set(params.host, await deps.watchdog(uri, params.maxLockMs));
      const admin = await deps.admin(uri.reveal());
      try {
        const reply = await admin.run({ fsync: 1, lock: true });
        return { host: params.host, lockCount: Number(reply.lockCount ?? 1) };
      } finally {
        await admin.close();
      }
    },
  };
  const unlock: OperationKind<MemberLockParams> = {
    kind: 'ebs.unlock',
    params: MemberLockParamsSchema,
    async run(params, ctx) {
      const uri = await memberSecret(deps, params, ctx);
      const admin = await deps.admin(uri.reveal());
      try {
        const left = await unlockFully(admin.run);
        if (left !== 0)
          throw new TargetError(
            'EBS_UNLOCK_INCOMPLETE',
            `${params.host} is still locked (lock count ${left})`,
            {
              subject: { host: params.host },
              hint: 'the watchdog unlocks it at its deadline; or run db.fsyncUnlock() on the member',
            },
          );
        watchdogs.get(params.host)?.release();
        watchdogs.delete(params.host);
        return { host: params.host, lockCount: 0 };
      } finally {
        await admin.close();
      }
    },
  };
  return [lock, unlock];
}
