import { isDocument, isTimestamp } from '../bson-value.js';

/**
 * An oplog entry's optime for messages: `Timestamp(<seconds>, <increment>)`, the form the mongo shell
 * prints `ts` in, or `(no ts)`. For a nested `applyOps` entry, the optime of its transaction's entry.
 * Never a value of the entry's documents.
 */
export function formatOptime(entry: Record<string, unknown>): string {
  const ts = entry.ts;
  if (isTimestamp(ts)) return `Timestamp(${ts.high >>> 0}, ${ts.low >>> 0})`;
  if (isDocument(ts) && typeof ts.t === 'number') return `Timestamp(${ts.t}, ${String(ts.i)})`;
  return '(no ts)';
}
