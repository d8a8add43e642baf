import { MongoClient, MongoServerError, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCommandRunner, type CommandRunner } from '../../../src/mongodb/command-runner.js';
import { probeCapabilities } from '../../../src/mongodb/probe-capabilities.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe('dbfork doctor against FerretDB', () => {
  const db = uniqueDbName('doctor');
  const client = new MongoClient(servers.sourceUri);
  beforeAll(async () => {
    await client
      .db(db)
      .collection('people')
      .insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });
  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
  });

  it('reports version, topology, databases with counts and probed capabilities (--json)', async () => {
    const res = await runCli(['doctor', '--uri', servers.sourceUri, '--json']);
    expect(res.code).toBe(0);
    const result = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result;
    expect(result.server.version).toMatch(/^\d+\.\d+/);
    expect(result.topology.kind).toBe('standalone');
    const ours = result.databases.find((d: { name: string }) => d.name === db);
    expect(ours.collections).toEqual([{ name: 'people', type: 'collection', documents: 3 }]);
    const caps = Object.fromEntries(
      result.capabilities.map((c: { name: string; supported: boolean }) => [c.name, c]),
    );
    expect(caps.$out.supported).toBe(false);
    expect(caps.$out.evidence).toMatch(/NotImplemented|not implemented/i);
    expect(caps.fsyncLock.supported).toBe(false);
    expect(caps.fsyncLock.evidence).toMatch(/listCommands/);
    expect(caps.decimal128.supported).toBe(false);
    expect(caps.renameDropTarget.supported).toBe(false);
  });

  it('creates nothing on the server while probing', async () => {
    const before = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name).sort();
    const res = await runCli(['doctor', '--uri', servers.sourceUri]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('$out');
    const after = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name).sort();
    expect(after).toEqual(before);
  });
});

describe('capability detection is by the server answers, not hard-coded', () => {
  // Seam: FerretDB has no $out and no fsync, so a runner wraps the real FerretDB connection and
  // answers those probes as MongoDB does; everything else still goes to the real server.
  it('seam (FerretDB cannot run $out or fsyncLock): a server answering like MongoDB is reported as supporting them', async () => {
    const client = new MongoClient(servers.sourceUri);
    try {
      const real = clientCommandRunner(client);
      const mongoLike: CommandRunner = async (db, command: Document) => {
        const stage = (command.pipeline as Document[] | undefined)?.[0];
        if (command.aggregate && stage && ('$out' in stage || '$merge' in stage)) {
          throw new MongoServerError({
            code: 73,
            codeName: 'InvalidNamespace',
            errmsg: 'Invalid $out target namespace',
          });
        }
        if (command.listCommands) {
          const reply = await real(db, command);
          return { ...reply, commands: { ...reply.commands, fsync: {}, fsyncUnlock: {} } };
        }
        return real(db, command);
      };
      const commands = new Set(Object.keys((await mongoLike('admin', { listCommands: 1 })).commands));
      const caps = await probeCapabilities(mongoLike, commands);
      const byName = Object.fromEntries(caps.map((c) => [c.name, c.supported]));
      expect(byName.$out).toBe(true);
      expect(byName.$merge).toBe(true);
      expect(byName.fsyncLock).toBe(true);
      // the probes the seam does not intercept still get FerretDB's real answers
      expect(byName.renameDropTarget).toBe(false);

      const realCaps = await probeCapabilities(
        real,
        new Set(Object.keys((await real('admin', { listCommands: 1 })).commands)),
      );
      expect(Object.fromEntries(realCaps.map((c) => [c.name, c.supported])).$out).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('dbfork doctor failures', () => {
  const password = 'Sup3r-Secret-Pa55word';

  it('exits non-zero on an unreachable host and prints neither the password nor a stack trace', async () => {
    const res = await runCli([
      'doctor',
      '--uri',
      `mongodb://admin:${password}@127.0.0.1:1/?directConnection=true`,
      '--timeout',
      '1500',
    ]);
    expect(res.code).toBe(3);
    const all = res.stdout + res.stderr;
    expect(all).not.toContain(password);
    expect(all).not.toMatch(/\n\s+at /);
    expect(res.stderr.trim().split('\n')[0]).toMatch(
      /^dbfork: error SOURCE_UNREACHABLE: cannot reach the source server 127\.0\.0\.1:1/,
    );
  });

  it('keeps the password out of --json output and --log-level debug too', async () => {
    const res = await runCli([
      '--json',
      '--log-level',
      'info',
      'doctor',
      '--uri',
      `mongodb://admin:${encodeURIComponent(password)}@127.0.0.1:1/`,
      '--timeout',
      '1000',
    ]);
    expect(res.code).toBe(3);
    expect(res.stdout + res.stderr).not.toContain(password);
    expect(JSON.parse(res.stdout.trim()).error.code).toBe('SOURCE_UNREACHABLE');
  });

  it('rejects a malformed URI as a usage error (exit 2)', async () => {
    const res = await runCli(['doctor', '--uri', `http://user:${password}@example.invalid/`]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/CONFIG_BAD_URI/);
    expect(res.stderr).not.toContain(password);
  });
});
