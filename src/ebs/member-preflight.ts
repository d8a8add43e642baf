import { PolicyError } from '../errors/index.js';

/** The fields of `hello` the preflight reads (https://www.mongodb.com/docs/manual/reference/command/hello/). */
export interface HelloReply {
  readonly isWritablePrimary?: unknown;
  readonly secondary?: unknown;
  readonly hidden?: unknown;
  readonly setName?: unknown;
  /** `host:port` of the member answering. */
  readonly me?: unknown;
}

/** One member of `replSetGetConfig`'s `config.members`. */
export interface ConfigMember {
  readonly _id?: unknown;
  readonly host?: unknown;
  readonly priority?: unknown;
  readonly votes?: unknown;
  readonly hidden?: unknown;
}

/** `replSetGetConfig`'s reply (https://www.mongodb.com/docs/manual/reference/command/replSetGetConfig/). */
export interface ReplSetConfigReply {
  readonly config?: { readonly _id?: unknown; readonly members?: readonly ConfigMember[] };
}

/** The member the snapshot is taken of, and every member's host (the staging guard refuses them). */
export interface HiddenMember {
  readonly setName: string;
  readonly host: string;
  readonly memberHosts: readonly string[];
}

/** BSON numbers arrive as Int32/Double wrappers (values are not promoted): read them as numbers. */
const num = (value: unknown): number => Number(value ?? Number.NaN);

/**
 * Check that the member answering `hello` is a secondary of a replica set, hidden, with priority 0 and
 * votes 0 in the replica set's configuration: the only member whose snapshot is taken. The primary is
 * always refused.
 *
 * @throws PolicyError `EBS_MEMBER_IS_PRIMARY`, `EBS_NOT_REPLICA_MEMBER`, `EBS_MEMBER_NOT_HIDDEN`
 *   (`subject.rule`: `secondary`, `in-config`, `hidden`, `priority`, `votes`), all `noWritesPerformed`
 */
export function checkHiddenMember(hello: HelloReply, config: ReplSetConfigReply): HiddenMember {
  const { me, setName } = checkHello(hello);
  const members = config.config?.members ?? [];
  const hosts = members.map((m) => String(m.host ?? '')).filter((h) => h.length > 0);
  const member = members.find((m) => String(m.host ?? '').toLowerCase() === me.toLowerCase());
  if (hello.secondary !== true) throw notHidden('secondary', `${me} is not a secondary`);
  if (!member) throw notHidden('in-config', `${me} is not among the members of replSetGetConfig`);
  if (member.hidden !== true || hello.hidden !== true) throw notHidden('hidden', `${me} is not hidden`);
  if (num(member.priority) !== 0)
    throw notHidden('priority', `${me} has priority ${String(member.priority)}, not 0`);
  if (num(member.votes) !== 0) throw notHidden('votes', `${me} has votes ${String(member.votes)}, not 0`);
  return { setName, host: me, memberHosts: hosts };
}

/**
 * The part of the preflight `hello` alone decides, before `replSetGetConfig` is asked (a primary or a
 * server outside a replica set is refused at once).
 *
 * @throws PolicyError `EBS_MEMBER_IS_PRIMARY`, `EBS_NOT_REPLICA_MEMBER`
 */
export function checkHello(hello: HelloReply): { me: string; setName: string } {
  const me = typeof hello.me === 'string' ? hello.me : '';
  if (hello.isWritablePrimary === true)
    throw refuse('EBS_MEMBER_IS_PRIMARY', 'primary', `${me || 'the server'} is a primary: never locked`);
  if (typeof hello.setName !== 'string' || !me)
    throw refuse('EBS_NOT_REPLICA_MEMBER', 'replica-set', 'the server is not a replica-set member');
  return { me, setName: hello.setName };
}

function notHidden(rule: string, reason: string): PolicyError {
  return refuse('EBS_MEMBER_NOT_HIDDEN', rule, reason);
}

function refuse(code: string, rule: string, reason: string): PolicyError {
  return new PolicyError(code, `refusing to snapshot: ${reason}`, {
    subject: { rule },
    hint: 'point --secondary at a hidden member with priority 0 and votes 0 (the replica-init SSM document adds one)',
    labels: ['noWritesPerformed'],
  });
}
