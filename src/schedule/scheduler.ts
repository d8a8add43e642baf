import { Cron } from 'croner';
import type { ChildExit, ChildRun, StartRun } from './child-run.js';
import type { CronSchedule } from './cron-schedule.js';
import type { ScheduleMetrics } from './schedule-metrics.js';

/** What the scheduler tells its log, one event per tick, run end and stop. */
export type SchedulerEvent =
  | { readonly type: 'run-start'; readonly run: number; readonly pid: number | undefined }
  | {
      readonly type: 'run-end';
      readonly run: number;
      readonly outcome: 'success' | 'failure';
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly durationMs: number;
    }
  | { readonly type: 'overlap-skipped'; readonly run: number; readonly runningForMs: number }
  | {
      readonly type: 'stopping';
      readonly signal: string | undefined;
      readonly waitingForRun: number | undefined;
    };

export interface SchedulerOptions {
  readonly schedule: CronSchedule;
  readonly start: StartRun;
  readonly metrics: ScheduleMetrics;
  /** The metrics' labels: the scheduled command and its database. */
  readonly labels: { readonly command: string; readonly database: string };
  readonly onEvent: (event: SchedulerEvent) => void;
}

/**
 * Runs a command at each tick of a cron schedule (croner), one run at a time: a tick while the
 * previous run still goes on is skipped, logged (`overlap-skipped`) and counted
 * (`dbfork_schedule_overlaps_skipped_total`). A run succeeds when its process exits 0.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  #job: Cron | undefined;
  #runs = 0;
  #current: { run: number; child: ChildRun; startedAt: number; ended: Promise<void> } | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** Start ticking. */
  start(): void {
    const { expression, timezone } = this.#options.schedule;
    this.#job = new Cron(expression, { mode: '5-or-6-parts', ...(timezone ? { timezone } : {}) }, () =>
      this.#tick(),
    );
    this.#setNextRun();
  }

  /**
   * Stop ticking, then wait for the run that goes on (if any) to end; with a signal, forward it to
   * that run first.
   */
  async stop(signal?: NodeJS.Signals): Promise<void> {
    this.#job?.stop();
    const current = this.#current;
    this.#options.onEvent({ type: 'stopping', signal, waitingForRun: current?.run });
    if (!current) return;
    if (signal) current.child.kill(signal);
    await current.ended;
  }

  #tick(): void {
    const { metrics, labels, onEvent } = this.#options;
    this.#setNextRun();
    if (this.#current) {
      metrics.overlaps.inc(labels);
      onEvent({
        type: 'overlap-skipped',
        run: this.#current.run,
        runningForMs: Date.now() - this.#current.startedAt,
      });
      return;
    }
    const run = ++this.#runs;
    const startedAt = Date.now();
    const child = this.#options.start();
    metrics.running.set(labels, 1);
    onEvent({ type: 'run-start', run, pid: child.pid });
    const ended = child.done.then((exit) => this.#ended(run, startedAt, exit));
    this.#current = { run, child, startedAt, ended };
  }

  #ended(run: number, startedAt: number, exit: ChildExit): void {
    const { metrics, labels, onEvent } = this.#options;
    const durationMs = Date.now() - startedAt;
    const outcome = exit.exitCode === 0 ? 'success' : 'failure';
    metrics.runs.inc({ ...labels, outcome });
    metrics.duration.observe(labels, durationMs / 1000);
    metrics.running.set(labels, 0);
    if (outcome === 'success') metrics.lastSuccess.set(labels, Date.now() / 1000);
    this.#current = undefined;
    onEvent({ type: 'run-end', run, outcome, exitCode: exit.exitCode, signal: exit.signal, durationMs });
  }

  #setNextRun(): void {
    const next = this.#job?.nextRun();
    if (next) this.#options.metrics.nextRun.set(this.#options.labels, next.getTime() / 1000);
  }
}
