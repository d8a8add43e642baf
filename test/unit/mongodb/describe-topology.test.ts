import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../src/mongodb/command-runner.js';
import { describeTopology } from '../../../src/mongodb/describe-topology.js';

/** A runner answering `hello` and `replSetGetConfig` as a replica-set member would. */
function member(hello: Record<string, unknown>, config?: Record<string, unknown>): CommandRunner {
  return async (_db, command) => {
    if (command.hello) return { ok: 1, ...hello };
    if (command.replSetGetConfig) {
      if (!config) throw Object.assign(new Error('not authorized'), { code: 13 });
      return { ok: 1, config };
    }
    throw new Error(`unexpected command ${JSON.stringify(command)}`);
  };
}

const config = {
  _id: 'rs0',
  members: [
    { host: 'db1:27017', priority: 2, votes: 1 },
    { host: 'db2:27017', priority: 1, votes: 1 },
    { host: 'db3:27017', priority: 0, votes: 0, hidden: true },
  ],
};

describe('topology (seam: FerretDB has no replica sets, so hello and replSetGetConfig are answered as MongoDB does)', () => {
  it('reports a hidden member with its priority and votes', async () => {
    const t = await describeTopology(
      member({ setName: 'rs0', secondary: true, hidden: true, me: 'db3:27017' }, config),
    );
    expect(t).toEqual({
      kind: 'replicaSet',
      setName: 'rs0',
      role: 'hidden',
      priority: 0,
      votes: 0,
      me: 'db3:27017',
    });
  });

  it('reports the primary', async () => {
    const t = await describeTopology(
      member({ setName: 'rs0', isWritablePrimary: true, me: 'db1:27017' }, config),
    );
    expect(t).toMatchObject({ role: 'primary', priority: 2, votes: 1 });
  });

  it('leaves priority and votes unknown when the config cannot be read', async () => {
    const t = await describeTopology(member({ setName: 'rs0', secondary: true, me: 'db2:27017' }));
    expect(t).toMatchObject({ role: 'secondary', priority: null, votes: null });
  });

  it('reports a standalone and a mongos', async () => {
    expect((await describeTopology(member({ isWritablePrimary: true }))).kind).toBe('standalone');
    expect((await describeTopology(member({ msg: 'isdbgrid' }))).kind).toBe('sharded');
  });
});
