import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../../src/core/version.js';
import { freePort } from '../../helpers/free-port.js';
import { CLI } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

interface LogLine {
  readonly msg: string;
  readonly time: string;
  readonly type?: string;
  readonly run?: number;
  readonly exitCode?: number | null;
  readonly outcome?: string;
  readonly waitingForRun?: number;
}

/** `dbfork --json --log-level info schedule …` as a real process, its JSON log lines collected. */
class ScheduleProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  stdout = '';
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [CLI, '--json', '--log-level', 'info', 'schedule', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.child.stderr!.on('data', (b: Buffer) => {
      pending += b.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) this.logs.push(JSON.parse(line) as LogLine);
    });
    this.child.stdout!.on('data', (b: Buffer) => (this.stdout += b.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  of(type: string): LogLine[] {
    return this.logs.filter((l) => l.type === type);
  }

  async until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out; logs: ${JSON.stringify(this.logs)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const metricValue = (text: string, name: string, outcome?: string): number =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && (outcome === undefined || l.includes(`outcome="${outcome}"`)))
      ?.split(' ')
      .at(-1) ?? NaN,
  );

describe('dbfork schedule --cron, in-process, with real dbfork runs', () => {
  const running: ScheduleProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-schedule-'));
  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs `dbfork --version` at each scheduled second and serves the runs on /metrics', async () => {
    const port = await freePort();
    const scheduler = new ScheduleProcess([
      '--cron',
      '* * * * * *',
      '--metrics-port',
      String(port),
      '--',
      '--version',
    ]);
    running.push(scheduler);
    await scheduler.until(() => scheduler.of('run-end').length >= 3);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    scheduler.child.kill('SIGTERM');
    expect(await scheduler.exited).toBe(0);

    const starts = scheduler.of('run-start').map((l) => new Date(l.time));
    // each run starts on a whole second (croner fires within milliseconds of it), and every second
    // from the first run to the last ticked: it ran, or (on a machine slow enough that a run took
    // over a second) it was refused as an overlap
    const skips = scheduler.of('overlap-skipped').map((l) => new Date(l.time));
    for (const t of [...starts, ...skips]) expect(t.getMilliseconds()).toBeLessThan(400);
    const second = (t: Date): number => Math.floor(t.getTime() / 1000);
    const ticks = [...starts, ...skips].map(second).sort((a, b) => a - b);
    const first = second(starts[0]!);
    const last = second(starts.at(-1)!);
    expect(ticks.filter((t) => t <= last)).toEqual(
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
    );
    expect(scheduler.of('run-end').every((l) => l.exitCode === 0 && l.outcome === 'success')).toBe(true);
    expect(scheduler.stdout.trim().split('\n').slice(0, 3)).toEqual([
      TOOL_VERSION,
      TOOL_VERSION,
      TOOL_VERSION,
    ]);
    expect(metricValue(metrics, 'dbfork_schedule_runs_total', 'success')).toBeGreaterThanOrEqual(3);
    expect(metricValue(metrics, 'dbfork_last_success_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 30,
    );
    expect(metrics).toContain('dbfork_schedule_run_duration_seconds_count{command="version",database=""}');
  });

  it('refuses a tick while the previous run still goes on, counts it, and forwards SIGTERM to the run', async () => {
    const port = await freePort();
    // a real slow command: a restore that waits 3 s for a snapshot that never comes, then fails (exit 6)
    const db = `${uniqueDbName('sched')}_pr_1`; // ephemeral: the guard allows it, and nothing is written
    const scheduler = new ScheduleProcess([
      '--cron',
      '* * * * * *',
      '--metrics-port',
      String(port),
      '--',
      '--json',
      'restore',
      '--snapshot',
      'never@latest',
      '--store',
      join(dir, 'store'),
      '--wait',
      '3s',
      '--wait-interval',
      '500ms',
      '--to',
      servers.targetUri,
      '--db',
      db,
    ]);
    running.push(scheduler);
    await scheduler.until(() => scheduler.of('run-start').length >= 2);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const [first, second] = scheduler.of('run-start');
    const firstEnd = scheduler.of('run-end')[0]!;
    const skipped = scheduler.of('overlap-skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    for (const s of skipped) {
      expect(s.run).toBe(1);
      expect(new Date(s.time) > new Date(first!.time) && new Date(s.time) < new Date(firstEnd.time)).toBe(
        true,
      );
    }
    expect(new Date(second!.time) > new Date(firstEnd.time)).toBe(true);
    expect(firstEnd).toMatchObject({ outcome: 'failure', exitCode: 6 });
    expect(metricValue(metrics, 'dbfork_schedule_overlaps_skipped_total')).toBe(skipped.length);
    expect(metricValue(metrics, 'dbfork_schedule_runs_total', 'failure')).toBe(1);
    expect(metricValue(metrics, 'dbfork_schedule_running')).toBe(1);

    // SIGTERM while run 2 waits (its NDJSON says so: the child shares the scheduler's stdout): it is
    // forwarded, the run ends as dbfork does on SIGTERM (130), then the scheduler exits 0
    const seen = scheduler.stdout.length;
    await scheduler.until(() => scheduler.stdout.slice(seen).includes('"type":"operation-wait"'));
    scheduler.child.kill('SIGTERM');
    expect(await scheduler.exited).toBe(0);
    expect(scheduler.of('stopping')[0]).toMatchObject({ waitingForRun: 2 });
    expect(scheduler.of('run-end').at(-1)).toMatchObject({ run: 2, exitCode: 130 });
    expect(scheduler.of('run-start')).toHaveLength(2);
  });

  it('validates the cron expression before anything runs', async () => {
    const scheduler = new ScheduleProcess(['--cron', '0 25 * * *', '--', '--version']);
    expect(await scheduler.exited).toBe(2);
    expect(scheduler.stdout).toContain('SCHEDULE_BAD_CRON');
    expect(scheduler.of('run-start')).toEqual([]);
  });
});
