import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size of the process (VmHWM), in bytes. */
  readonly peakRssBytes: number;
  /** CPU time of the process (user + system), in ms, as last read before it exited (10 ms ticks). */
  readonly cpuMs: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/**
 * Run a command and measure its wall time and peak RSS. Peak RSS is the kernel's high-water mark
 * (`VmHWM` in /proc/<pid>/status), polled every 10 ms; it only ever grows, so the last value read
 * before exit is the peak up to the last 10 ms (Linux only). CPU time is read the same way from
 * `/proc/<pid>/stat` (user + system clock ticks of 10 ms), so it misses at most the last poll interval.
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
    let cpuTicks = 0;
    const stderr: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m?.[1]) peak = Math.max(peak, Number(m[1]) * 1024);
        // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the parenthesised command name
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
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
        cpuMs: cpuTicks * 10,
        exitCode,
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

export function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
