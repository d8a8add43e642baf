import { openSnapshotStore } from '../store/open-snapshot-store.js';
import { storeUsage } from '../store/store-usage.js';
import { writeMetricsTextfile } from '../metrics/metrics-textfile.js';
import { pushRunMetrics } from '../metrics/metrics-push.js';
import { RunRecorder } from '../metrics/run-recorder.js';
import type { RunLabels, RunReport } from '../metrics/run-report.js';
import type { CommandContext } from './context.js';
import { metricsTargetsFrom, type MetricsFlags, type MetricsTargets } from './option-groups.js';
import { planOnly, type PlanFlags } from './plan-output.js';

/**
 * Run a long command's body and report its metrics where `--metrics-textfile` / `--pushgateway` say:
 * outcome `success`, or `failure` when the body throws (the error is rethrown as it was, so the exit
 * code stays the command's). The body records its figures on the recorder from its result. A dry run
 * or `--plan-out` reports nothing. A sink that fails is logged (`METRICS_PUBLISH_FAILED`) and does not
 * change the outcome or the exit code.
 *
 * @throws UsageError `CONFIG_BAD_OPTION` for a bad metrics flag, before the body runs
 */
export async function withRunMetrics(
  ctx: CommandContext,
  flags: MetricsFlags & PlanFlags,
  labels: RunLabels,
  body: (recorder: RunRecorder) => Promise<void>,
): Promise<void> {
  const targets = metricsTargetsFrom(flags);
  const recorder = new RunRecorder(labels);
  ctx.lifecycle?.watch(recorder);
  if ((!targets.textfile && !targets.pushgateway) || planOnly(flags)) return body(recorder);
  try {
    await body(recorder);
  } catch (error) {
    await publish(ctx, targets, recorder.finish('failure'));
    throw error;
  }
  const failed = typeof process.exitCode === 'number' && process.exitCode !== 0;
  await publish(ctx, targets, recorder.finish(failed ? 'failure' : 'success'));
}

async function publish(ctx: CommandContext, targets: MetricsTargets, report: RunReport): Promise<void> {
  const sinks: [string, string | undefined, (to: string) => Promise<void>][] = [
    ['textfile', targets.textfile, (to) => writeMetricsTextfile(to, report)],
    ['pushgateway', targets.pushgateway, (to) => pushRunMetrics(to, report)],
  ];
  for (const [sink, to, send] of sinks) {
    if (to === undefined) continue;
    try {
      await send(to);
      ctx.logger.debug({ sink, to, outcome: report.outcome }, 'metrics published');
    } catch (error) {
      ctx.logger.error(
        { code: 'METRICS_PUBLISH_FAILED', sink, to, error: (error as Error).message },
        'metrics not published',
      );
    }
  }
}

/**
 * Record what the store holds of `name` (every name when undefined) after a run, for
 * `dbfork_store_bytes` / `dbfork_store_snapshots`. A store that cannot be listed now only leaves
 * the two metrics out (logged): the run's outcome does not depend on it.
 */
export async function measureStore(
  ctx: CommandContext,
  recorder: RunRecorder,
  store: string | undefined,
  name: string | undefined,
): Promise<void> {
  try {
    recorder.storeUsage(await storeUsage(await openSnapshotStore(store), name));
  } catch (error) {
    ctx.logger.debug({ error: (error as Error).message }, 'store usage not measured');
  }
}
