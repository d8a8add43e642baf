import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-file.js';
import { previousSuccessSeconds } from './previous-success.js';
import { renderRunMetrics } from './run-metrics.js';
import type { RunReport } from './run-report.js';

/**
 * Write a run's metrics for node_exporter's textfile collector: the whole file replaced atomically
 * (a temporary file in the same folder, then a rename, so the collector never reads half a file; its
 * `.dbfork-tmp-*` name does not end in `.prom`, so the collector skips it). A failed run keeps the
 * last success timestamp the file held. The file is 0640: give the folder node_exporter's group
 * (setgid) so the collector can read it.
 *
 * Format: https://github.com/prometheus/node_exporter#textfile-collector
 * @throws the file system's errors as they are
 */
export async function writeMetricsTextfile(path: string, report: RunReport): Promise<void> {
  const previous = await readFile(path, 'utf8').catch(() => '');
  const since = previousSuccessSeconds(previous, report);
  const text = await renderRunMetrics(report, since === undefined ? {} : { previousSuccessSeconds: since });
  await writeFileAtomic(path, text, { mode: 0o640, dirMode: 0o750 });
}
