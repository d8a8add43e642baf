import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SSM_DOCUMENTS } from '../../../src/ebs/ssm-document-names.js';
import { CONFIG } from '../../helpers/ebs-fakes.js';
import { REPO_ROOT } from '../../helpers/servers.js';

interface CommandDocument {
  schemaVersion: string;
  parameters: Record<
    string,
    { type: string; default?: string; allowedPattern?: string; allowedValues?: string[] }
  >;
  mainSteps: { action: string; inputs: { runCommand: string[] } }[];
}

const read = (name: string): CommandDocument =>
  parse(readFileSync(join(REPO_ROOT, 'deploy', 'aws', 'ssm', `${name}.yaml`), 'utf8')) as CommandDocument;

/** The mongosh script replica-init writes, with the document's parameters filled in. */
function replicaInitScript(memberHost: string): string {
  const script = read('replica-init').mainSteps[0]!.inputs.runCommand.join('\n');
  const body = script.slice(
    script.indexOf('// BEGIN replica-init.js'),
    script.indexOf('// END replica-init.js'),
  );
  return body.replaceAll('{{ MemberHost }}', memberHost);
}

/** mongosh's globals for the script: `connect` to a recording primary, the credentials in the environment. */
function member(config: Record<string, unknown>, sent: Record<string, unknown>[], uris: string[]) {
  return {
    process: { env: { MONGO_USER: 'backup user', MONGO_PASSWORD: 'p@ss' } },
    connect: (uri: string) => {
      uris.push(uri);
      return {
        adminCommand: (c: Record<string, unknown>) => {
          if (c.replSetGetConfig) return { config, ok: 1 };
          sent.push(structuredClone(c));
          return { ok: 1 };
        },
      };
    },
    print: () => undefined,
  };
}

describe('the SSM documents in deploy/aws/ssm/', () => {
  it.each(SSM_DOCUMENTS)('%s is a Command document whose every parameter is constrained', (name) => {
    const doc = read(name);
    expect(doc.schemaVersion).toBe('2.2');
    expect(doc.mainSteps[0]!.action).toBe('aws:runShellScript');
    for (const [key, p] of Object.entries(doc.parameters))
      expect(p.allowedPattern ?? p.allowedValues, `${name}.${key}`).toBeDefined();
  });

  it('no password is ever on a mongosh command line', () => {
    for (const name of SSM_DOCUMENTS)
      expect(read(name).mainSteps[0]!.inputs.runCommand.join('\n'), name).not.toMatch(/--password/);
  });

  it('every {{ parameter }} a script uses is declared', () => {
    for (const name of SSM_DOCUMENTS) {
      const doc = read(name);
      const used = [...doc.mainSteps[0]!.inputs.runCommand.join('\n').matchAll(/\{\{ (\w+) \}\}/g)].map(
        (m) => m[1],
      );
      for (const p of used) expect(Object.keys(doc.parameters), `${name} uses ${p}`).toContain(p);
    }
  });

  it('replica-init generates the replSetReconfig adding the hidden member {priority: 0, votes: 0, hidden: true}', () => {
    const sent: Record<string, unknown>[] = [];
    const config = structuredClone((CONFIG as { config: Record<string, unknown> }).config);
    const uris: string[] = [];
    runInNewContext(replicaInitScript('10.0.3.30:27017'), member(config, sent, uris));
    expect(uris).toEqual(['mongodb://backup%20user:p%40ss@127.0.0.1:{{ Port }}/admin?authSource=admin']);
    expect(sent).toHaveLength(1);
    const reconfig = sent[0]!.replSetReconfig as { version: number; members: Record<string, unknown>[] };
    expect(reconfig.version).toBe(8);
    expect(reconfig.members).toHaveLength(7);
    expect(reconfig.members.at(-1)).toEqual({
      _id: 6,
      host: '10.0.3.30:27017',
      priority: 0,
      votes: 0,
      hidden: true,
    });
  });

  it('replica-init turns an existing member hidden instead of adding it twice', () => {
    const sent: Record<string, unknown>[] = [];
    const config = structuredClone((CONFIG as { config: Record<string, unknown> }).config);
    runInNewContext(replicaInitScript('10.0.2.11:27017'), member(config, sent, []));
    const members = (sent[0]!.replSetReconfig as { members: Record<string, unknown>[] }).members;
    expect(members).toHaveLength(6);
    expect(members.find((m) => m.host === '10.0.2.11:27017')).toMatchObject({
      priority: 0,
      votes: 0,
      hidden: true,
    });
  });

  it('mongo-snapshot unlocks on every exit (trap) and after MaxLockSeconds (a timer on the host)', () => {
    const script = read('mongo-snapshot').mainSteps[0]!.inputs.runCommand.join('\n');
    const lock = script.indexOf("admin 'db.fsyncLock()'");
    expect(lock).toBeGreaterThan(script.indexOf('isWritablePrimary || !h.hidden'));
    expect(script.indexOf('trap unlock EXIT')).toBeGreaterThan(lock);
    expect(script).toMatch(/\( sleep '\{\{ MaxLockSeconds \}\}'; unlock \) &/);
    expect(script).not.toMatch(/--password/);
    expect(script.indexOf('aws ec2 create-snapshot')).toBeGreaterThan(script.indexOf('trap unlock EXIT'));
  });
});
