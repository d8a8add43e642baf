import { spawn } from 'node:child_process';
import { CLI, type CliResult } from './run-cli.js';
import { REPO_ROOT } from './servers.js';

/**
 * Run `dbfork --json …` as a child process and call `onEvent` for each NDJSON line of stdout as it
 * arrives (progress events, the result, errors), so a test can act in the middle of a run (inject a
 * fault when a collection starts). Resolves with the whole output when the process ends.
 */
export function runCliWatching(
  args: readonly string[],
  onEvent: (event: Record<string, unknown>) => void | Promise<void>,
  options: { env?: Record<string, string> } = {},
): { done: Promise<CliResult>; pid: number | undefined; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [CLI, '--json', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let pending = '';
  child.stdout.on('data', (b: Buffer) => {
    out.push(b);
    pending += b.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        void onEvent(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON: kept in stdout for the test to see
      }
    }
  });
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
  return { done, pid: child.pid, kill: (signal) => child.kill(signal) };
}

/** The NDJSON lines of a `--json` run's stdout, parsed. */
export function eventsOf(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
