import { spawn } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, newTestKey } from '../../helpers/backup-kit.js';
import { CLI, runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const key = newTestKey();

/**
 * Run the CLI on a pseudo-terminal (util-linux `script`), type `answer` once the prompt shows, and
 * resolve with the exit code and what the terminal showed.
 */
function onTerminal(
  args: readonly string[],
  answer: string,
): Promise<{ code: number | null; screen: string }> {
  const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (b: Buffer) => {
      screen += b.toString('utf8');
      if (!typed && screen.includes('type the database name')) {
        typed = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe('backup restore on a terminal (a pseudo-terminal from util-linux script): the typed confirmation', () => {
  const db = uniqueDbName('bktty');
  const prod = uniqueDbName('bktty_prod');
  const store = fileStore();
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const args = [
    'backup',
    'restore',
    '--store',
    store.url,
    '--snapshot',
    `${db}@latest`,
    '--target-uri',
    servers.targetUri,
    '--db',
    prod,
    '--identity',
    key.file,
    '--disaster-recovery',
    '--confirm',
    prod,
  ];

  beforeAll(async () => {
    await source
      .db(db)
      .collection<{ _id: number }>('c')
      .insertMany([{ _id: 1 }, { _id: 2 }]);
    const run = await runCli([
      'backup',
      'run',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      store.url,
      '--recipient',
      key.recipient,
    ]);
    expect(run.code, run.stderr).toBe(0);
  });
  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(prod).dropDatabase();
    await Promise.all([source.close(), target.close()]);
  });

  it('refuses a mistyped name and writes nothing; restores once the name is typed', async () => {
    const wrong = await onTerminal(args, `${prod}x`);
    expect(wrong.code).toBe(8);
    expect(wrong.screen).toContain('DR_NOT_CONFIRMED');
    expect(await target.db(prod).listCollections().toArray()).toEqual([]);
    const right = await onTerminal(args, prod);
    expect(right.code, right.screen).toBe(0);
    expect(await target.db(prod).collection('c').countDocuments()).toBe(2);
  });
});
