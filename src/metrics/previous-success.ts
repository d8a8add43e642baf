import { RUN_METRIC_NAMES } from './run-metrics.js';
import type { RunLabels } from './run-report.js';

/**
 * The `dbfork_last_success_timestamp_seconds` sample for `labels` in a text exposition written
 * earlier (a textfile being replaced), so that a failed run keeps the last success.
 *
 * @returns unix seconds, or undefined when the text has no such sample
 */
export function previousSuccessSeconds(text: string, labels: RunLabels): number | undefined {
  const prefix = `${RUN_METRIC_NAMES.lastSuccess}{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const close = line.lastIndexOf('}');
    const sample = parseLabels(line.slice(prefix.length, close));
    if (sample.command !== labels.command || (sample.database ?? '') !== labels.database) continue;
    const value = Number(
      line
        .slice(close + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

/** `a="x",b="y\"z"` → `{ a: 'x', b: 'y"z' }` (the exposition format's escapes: `\\`, `\"`, `\n`). */
function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    out[m[1] ?? ''] = (m[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return out;
}
