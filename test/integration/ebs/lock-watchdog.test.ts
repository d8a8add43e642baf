import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/servers.js';

const HOLDER = join(REPO_ROOT, 'test', 'fixtures', 'ebs', 'lock-holder.mjs');
const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];

async function until(what: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe('the lock watchdog process at a seam (a recording member: FerretDB has no fsyncLock)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-ebs-watchdog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM while CreateSnapshot hangs: dbfork exits 130 and the detached watchdog unlocks the member', async () => {
    const file = join(dir, 'record.log');
    const holder = spawn(process.execPath, [HOLDER, file], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => holder.on('exit', (code) => r(code)));
    await until(() => lines(file).includes('dbfork CreateSnapshot'), 15_000);
    expect(lines(file)).toEqual([
      'dbfork hello',
      'dbfork replSetGetConfig',
      'dbfork fsyncLock',
      'dbfork CreateSnapshot',
    ]);
    holder.kill('SIGTERM');
    expect(await exited).toBe(130);
    await until(() => lines(file).includes('watchdog parent-gone'), 15_000);
    expect(lines(file)).toEqual([
      'dbfork hello',
      'dbfork replSetGetConfig',
      'dbfork fsyncLock',
      'dbfork CreateSnapshot',
      'watchdog fsyncUnlock',
      'watchdog parent-gone',
    ]);
  }, 40_000);

  it('the deadline: the watchdog unlocks the member while dbfork still waits for CreateSnapshot', async () => {
    const file = join(dir, 'deadline.log');
    const holder = spawn(process.execPath, [HOLDER, file, '1000'], { stdio: 'ignore' });
    try {
      await until(() => lines(file).includes('watchdog deadline'), 15_000);
      expect(holder.exitCode).toBeNull(); // dbfork is still running
      expect(lines(file).slice(2)).toEqual([
        'dbfork fsyncLock',
        'dbfork CreateSnapshot',
        'watchdog fsyncUnlock',
        'watchdog deadline',
      ]);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 40_000);
});

describe('the built watchdog entry point (dist/cli/ebs-lock-watchdog.js)', () => {
  it('reports watching, holds the connection string off its command line, and exits when released', async () => {
    const { spawnWatchdog } = await import('../../../src/pipeline/lock-watchdog-spawn.js');
    const { Secret } = await import('../../../src/plan/secret.js');
    const { execFileSync } = await import('node:child_process');
    const uri = 'mongodb://watchdog-user:watchdog-pw@127.0.0.1:1/?directConnection=true';
    const start = spawnWatchdog(join(REPO_ROOT, 'dist', 'cli', 'ebs-lock-watchdog.js'));
    const handle = await start(new Secret(uri, 'test'), 600_000);
    const alive = () => {
      try {
        process.kill(handle.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    expect(execFileSync('ps', ['-o', 'args=', '-p', String(handle.pid)], { encoding: 'utf8' })).not.toContain(
      'watchdog-pw',
    );
    handle.release();
    await until(() => !alive(), 10_000);
    expect(alive()).toBe(false);
  }, 30_000);
});
