import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The scheduler's metrics, all labelled by the scheduled command and its database. */
export interface ScheduleMetrics {
  readonly registry: Registry;
  /** `dbfork_schedule_runs_total{outcome}`: runs that ended, by outcome. */
  readonly runs: Counter<'command' | 'database' | 'outcome'>;
  /** `dbfork_schedule_overlaps_skipped_total`: ticks skipped because the previous run still went on. */
  readonly overlaps: Counter<'command' | 'database'>;
  /** `dbfork_schedule_run_duration_seconds`: run wall times. */
  readonly duration: Histogram<'command' | 'database'>;
  /** `dbfork_last_success_timestamp_seconds`: when a run last succeeded (unix seconds). */
  readonly lastSuccess: Gauge<'command' | 'database'>;
  /** `dbfork_schedule_running`: 1 while a run goes on. */
  readonly running: Gauge<'command' | 'database'>;
  /** `dbfork_schedule_next_run_timestamp_seconds`: the next tick (unix seconds). */
  readonly nextRun: Gauge<'command' | 'database'>;
}

const LABELS = ['command', 'database'] as const;

/** Buckets for run wall times, in seconds: a second to four hours. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400];

/**
 * A registry with the scheduler's metrics and Node's process metrics (`process_*`, `nodejs_*`), for
 * `dbfork schedule --metrics-port`.
 */
export function scheduleMetrics(): ScheduleMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    runs: new Counter({
      name: 'dbfork_schedule_runs_total',
      help: 'Scheduled dbfork runs that ended, by outcome.',
      labelNames: [...LABELS, 'outcome'],
      registers,
    }),
    overlaps: new Counter({
      name: 'dbfork_schedule_overlaps_skipped_total',
      help: 'Ticks skipped because the previous scheduled run was still going on.',
      labelNames: LABELS,
      registers,
    }),
    duration: new Histogram({
      name: 'dbfork_schedule_run_duration_seconds',
      help: 'Wall time of scheduled dbfork runs, in seconds.',
      labelNames: LABELS,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'dbfork_last_success_timestamp_seconds',
      help: 'When a dbfork run last succeeded, in unix seconds.',
      labelNames: LABELS,
      registers,
    }),
    running: new Gauge({
      name: 'dbfork_schedule_running',
      help: '1 while a scheduled dbfork run is going on, else 0.',
      labelNames: LABELS,
      registers,
    }),
    nextRun: new Gauge({
      name: 'dbfork_schedule_next_run_timestamp_seconds',
      help: 'When the next scheduled dbfork run is due, in unix seconds.',
      labelNames: LABELS,
      registers,
    }),
  };
}
