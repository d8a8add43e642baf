import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../core/progress.js';
import type { CommandContext } from './context.js';

/**
 * Show progress events: bars per collection on a TTY (stderr), NDJSON `progress` events on stdout with
 * `--json`, and one line per finished collection otherwise. Call `stop()` when the work ends.
 */
export function progressView(ctx: CommandContext): { listener: ProgressListener; stop: () => void } {
  if (ctx.json) {
    return {
      listener: (event) => ctx.output.event('progress', { ...event, event: event.type }),
      stop: () => undefined,
    };
  }
  if (!process.stderr.isTTY) {
    return {
      listener: (event) => {
        if (event.type === 'collection-done') {
          process.stderr.write(
            `  ${event.namespace}: ${event.documents} documents, ${formatBytes(event.bytes)} in ${event.durationMs} ms\n`,
          );
        } else if (event.type === 'info') {
          process.stderr.write(`  ${event.message}\n`);
        } else if (event.type === 'warning' || event.type === 'retry') {
          ctx.logger.warn(
            { ...event },
            event.type === 'warning' ? event.message : `retrying ${event.namespace ?? ''}`,
          );
        }
      },
      stop: () => undefined,
    };
  }
  const multibar = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {namespace} | {value}/{total} docs | {size}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const listener = (event: ProgressEvent): void => {
    switch (event.type) {
      case 'collection-start':
        bars.set(
          event.namespace,
          multibar.create(Math.max(1, event.estimatedDocuments ?? 1), 0, {
            namespace: event.namespace,
            size: '0 B',
          }),
        );
        break;
      case 'collection-progress':
      case 'collection-done': {
        const bar = bars.get(event.namespace);
        if (!bar) break;
        if (bar.getTotal() < event.documents) bar.setTotal(event.documents);
        if (event.type === 'collection-done') bar.setTotal(Math.max(1, event.documents));
        bar.update(event.documents, { size: formatBytes(event.bytes) });
        break;
      }
      case 'info':
        multibar.log(`${event.message}\n`);
        break;
      case 'warning':
        multibar.log(`warning ${event.code}: ${event.message}\n`);
        break;
      case 'retry':
        multibar.log(
          `retry ${event.attempt} for ${event.namespace ?? ''} in ${event.delayMs} ms: ${event.reason}\n`,
        );
        break;
      default:
        break;
    }
  };
  return { listener, stop: () => multibar.stop() };
}

/** Human-readable byte count (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
