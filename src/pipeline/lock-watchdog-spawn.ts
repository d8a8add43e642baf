import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TargetError } from '../errors/index.js';
import type { Secret } from '../plan/secret.js';

/** A running watchdog: release it once the member is unlocked. */
export interface WatchdogHandle {
  readonly pid: number;
  /** Tell it the lock is gone (it exits without unlocking) and let go of it. */
  release(): void;
}

/** Start a watchdog over the member at `uri` that unlocks it after `deadlineMs`. */
export type StartWatchdog = (uri: Secret, deadlineMs: number) => Promise<WatchdogHandle>;

/** The built watchdog entry point, next to the CLI. */
const ENTRY = fileURLToPath(new URL('../cli/ebs-lock-watchdog.js', import.meta.url));

/**
 * Spawn the watchdog as a detached Node process with an IPC channel (so it notices this process's end,
 * however it ends), hand it the connection string on stdin (never on its command line), and wait until
 * it reports watching.
 *
 * @param entry the watchdog's script (default: dist/cli/ebs-lock-watchdog.js)
 * @throws TargetError `EBS_WATCHDOG_FAILED` when it does not report within 10 s
 */
export function spawnWatchdog(entry: string = ENTRY): StartWatchdog {
  return (uri, deadlineMs) =>
    new Promise<WatchdogHandle>((resolve, reject) => {
      const child = spawn(process.execPath, [entry], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore', 'ipc'],
      });
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill();
        reject(
          new TargetError('EBS_WATCHDOG_FAILED', `the lock watchdog did not start: ${why}`, {
            hint: 'nothing was locked; check that node can run dist/cli/ebs-lock-watchdog.js',
            labels: ['noWritesPerformed'],
          }),
        );
      };
      const timer = setTimeout(() => fail('no answer within 10 s'), 10_000);
      child.once('error', (error) => fail(error.message));
      child.once('exit', (code) => fail(`it exited (${code})`));
      child.once('message', () => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.unref();
        child.channel?.unref();
        resolve({
          pid: child.pid ?? 0,
          release: () => {
            if (!child.connected) return;
            child.send({ release: true }, () => child.disconnect());
          },
        });
      });
      child.stdin?.end(JSON.stringify({ uri: uri.reveal(), deadlineMs }));
    });
}
