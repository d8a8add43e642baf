import type { Document } from 'mongodb';
import type { Topology } from '../source/source-description.js';
import type { CommandRunner } from './command-runner.js';

export type { Topology } from '../source/source-description.js';

/** Ask `hello` (and `replSetGetConfig` for priority and votes) where the server stands. */
export async function describeTopology(run: CommandRunner): Promise<Topology> {
  const hello = await run('admin', { hello: 1 });
  if (hello.msg === 'isdbgrid') {
    return { kind: 'sharded', setName: null, role: null, priority: null, votes: null, me: null };
  }
  const setName = typeof hello.setName === 'string' ? hello.setName : null;
  if (setName === null) {
    return { kind: 'standalone', setName: null, role: null, priority: null, votes: null, me: null };
  }
  const me = typeof hello.me === 'string' ? hello.me : null;
  const role = hello.hidden
    ? 'hidden'
    : hello.arbiterOnly
      ? 'arbiter'
      : hello.isWritablePrimary
        ? 'primary'
        : hello.secondary
          ? 'secondary'
          : 'other';
  const member = me === null ? undefined : await findMember(run, me);
  return {
    kind: 'replicaSet',
    setName,
    role,
    priority: typeof member?.priority === 'number' ? member.priority : null,
    votes: typeof member?.votes === 'number' ? member.votes : null,
    me,
  };
}

async function findMember(run: CommandRunner, me: string): Promise<Document | undefined> {
  try {
    const reply = await run('admin', { replSetGetConfig: 1 });
    const members = (reply.config as Document | undefined)?.members as Document[] | undefined;
    return members?.find((m) => m.host === me);
  } catch {
    return undefined; // not authorized or not supported: priority and votes stay unknown
  }
}
