import { Gauge, Registry } from 'prom-client';
import type { RunReport } from './run-report.js';

/**
 * The metric names of a run ({@link runMetricsRegistry}), after the Prometheus naming conventions:
 * base units in the name (`_seconds`, `_bytes`), gauges without `_total`. docs/operations.md lists them.
 */
export const RUN_METRIC_NAMES = {
  duration: 'dbfork_run_duration_seconds',
  documents: 'dbfork_run_documents',
  bytes: 'dbfork_run_bytes',
  collectionDocuments: 'dbfork_run_collection_documents',
  collectionBytes: 'dbfork_run_collection_bytes',
  success: 'dbfork_run_success',
  finished: 'dbfork_run_finished_timestamp_seconds',
  lastSuccess: 'dbfork_last_success_timestamp_seconds',
  storeBytes: 'dbfork_store_bytes',
  storeSnapshots: 'dbfork_store_snapshots',
} as const;

export interface RunMetricsOptions {
  /**
   * For a failed run, the last success known from before (unix seconds), so that a sink that rewrites
   * everything (a textfile) keeps it. Ignored for a successful run, whose own end is the last success.
   */
  readonly previousSuccessSeconds?: number;
}

const RUN = ['command', 'database', 'outcome'] as const;
const LABELS = ['command', 'database'] as const;
const COLLECTION = ['command', 'database', 'collection'] as const;

/**
 * A fresh prom-client registry holding one run's metrics, all gauges (a run reports its last values;
 * a textfile or a Pushgateway group holds one run at a time):
 * - `dbfork_run_duration_seconds`, `dbfork_run_documents`, `dbfork_run_bytes` {command, database, outcome}
 * - `dbfork_run_collection_documents`, `dbfork_run_collection_bytes` {command, database, collection}
 *   (only when the run has figures)
 * - `dbfork_run_success` {command, database}: 1 or 0
 * - `dbfork_run_finished_timestamp_seconds` {command, database, outcome}: unix seconds
 * - `dbfork_last_success_timestamp_seconds` {command, database}: the run's end if it succeeded, else
 *   `previousSuccessSeconds` if given, else absent (a Pushgateway `POST` then keeps the pushed one)
 * - `dbfork_store_bytes`, `dbfork_store_snapshots` {command, database}: the stored bytes and the
 *   number of complete snapshots of the name (every name when `database` is `''`) after the run;
 *   only for runs that measure it (snapshot create, snapshot prune)
 */
export function runMetricsRegistry(report: RunReport, options: RunMetricsOptions = {}): Registry {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const labels = { command: report.command, database: report.database };
  const run = { ...labels, outcome: report.outcome };
  const seconds = (d: Date): number => d.getTime() / 1000;

  gauge(RUN_METRIC_NAMES.duration, 'Wall time of the last dbfork run, in seconds.', RUN).set(
    run,
    (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000,
  );
  if (report.figures) {
    const { figures } = report;
    gauge(RUN_METRIC_NAMES.documents, 'Documents the last dbfork run processed.', RUN).set(
      run,
      figures.documents,
    );
    gauge(RUN_METRIC_NAMES.bytes, 'BSON bytes the last dbfork run processed.', RUN).set(run, figures.bytes);
    const docs = gauge(
      RUN_METRIC_NAMES.collectionDocuments,
      'Documents of one collection in the last dbfork run.',
      COLLECTION,
    );
    const bytes = gauge(
      RUN_METRIC_NAMES.collectionBytes,
      'BSON bytes of one collection in the last dbfork run.',
      COLLECTION,
    );
    for (const c of figures.collections) {
      docs.set({ ...labels, collection: c.collection }, c.documents);
      bytes.set({ ...labels, collection: c.collection }, c.bytes);
    }
  }
  gauge(RUN_METRIC_NAMES.success, '1 if the last dbfork run succeeded, else 0.', LABELS).set(
    labels,
    report.outcome === 'success' ? 1 : 0,
  );
  gauge(RUN_METRIC_NAMES.finished, 'When the last dbfork run ended, in unix seconds.', RUN).set(
    run,
    seconds(report.finishedAt),
  );
  const lastSuccess =
    report.outcome === 'success' ? seconds(report.finishedAt) : options.previousSuccessSeconds;
  if (lastSuccess !== undefined)
    gauge(RUN_METRIC_NAMES.lastSuccess, 'When a dbfork run last succeeded, in unix seconds.', LABELS).set(
      labels,
      lastSuccess,
    );
  if (report.store) {
    gauge(
      RUN_METRIC_NAMES.storeBytes,
      'Stored bytes of the complete snapshots of the name after the last dbfork run.',
      LABELS,
    ).set(labels, report.store.bytes);
    gauge(
      RUN_METRIC_NAMES.storeSnapshots,
      'Complete snapshots of the name in the store after the last dbfork run.',
      LABELS,
    ).set(labels, report.store.snapshots);
  }
  return registry;
}

/** One run's metrics in the Prometheus text exposition format (version 0.0.4). */
export async function renderRunMetrics(report: RunReport, options: RunMetricsOptions = {}): Promise<string> {
  return runMetricsRegistry(report, options).metrics();
}
