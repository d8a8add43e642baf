import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size of the process (VmHWM), in bytes. */
  readonly peakRssBytes: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/**
 * Run a command and measure its wall time and peak RSS. Peak RSS is the kernel's high-water mark
 * (`VmHWM` in /proc/<pid>/status), polled every 10 ms; it only ever grows, so the last value read
 * before exit is the peak up to the last 10 ms (Linux only).
 */
export function measure(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let peak = 0;
    const stderr: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m?.[1]) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // exited between polls
      }
    }, 10);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearInterval(poll);
      resolve({
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        peakRssBytes: peak,
        exitCode,
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

export function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
