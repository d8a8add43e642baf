import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './servers.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI entry point (tests run after `npm run build`; scripts/run-tests.mjs builds first). */
export const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Run `dbfork …` as a real child process and collect its output. */
export function runCli(
  args: readonly string[],
  options: { input?: Buffer | string; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Run the built CLI with a crash point armed (`DBFORK_TEST_CRASH_AT`, see src/core/crash-point.ts) and
 * resolve with how it ended: `signal` is `SIGKILL` when it reached the point.
 */
export function runCliWithCrash(
  args: readonly string[],
  crashAt: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env, DBFORK_TEST_CRASH_AT: crashAt },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}
