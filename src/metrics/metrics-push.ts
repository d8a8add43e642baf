import { Pushgateway } from 'prom-client';
import { runMetricsRegistry } from './run-metrics.js';
import type { RunReport } from './run-report.js';

/** The Pushgateway job every dbfork run pushes under. */
export const PUSH_JOB = 'dbfork';

export interface PushOptions {
  /** Give up on a Pushgateway that does not answer, in ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * Push a run's metrics to a Prometheus Pushgateway, as job `dbfork` grouped by `command` and (when the
 * run has one) `database`: one group per scheduled job, never per run. It is a `POST`, which replaces
 * the metrics of the same names in the group and keeps the others, so a failed run (which pushes no
 * last success timestamp) leaves the last success pushed before.
 *
 * API: https://github.com/prometheus/pushgateway#api
 * @throws Error for a network failure, a timeout or an HTTP status ≥ 400 (the Pushgateway's body in
 *   the message)
 */
export async function pushRunMetrics(
  url: string,
  report: RunReport,
  options: PushOptions = {},
): Promise<void> {
  const gateway = new Pushgateway(url, { timeout: options.timeoutMs ?? 10_000 }, runMetricsRegistry(report));
  await gateway.pushAdd({
    jobName: PUSH_JOB,
    groupings: { command: report.command, ...(report.database ? { database: report.database } : {}) },
  });
}
