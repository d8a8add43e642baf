import { scrub } from '../core/redact.js';

/**
 * Where command results go. In human mode, text lines on stdout; in `--json` mode, NDJSON on stdout:
 * `{"type": …}` events while working and one `{"type":"result", …}` object at the end, each with
 * `schemaVersion` (the JSON output's format version, see docs/plans.md). Everything is scrubbed of
 * secrets first.
 */
export class Output {
  readonly json: boolean;
  readonly #stdout: NodeJS.WritableStream;

  constructor(json: boolean, stdout: NodeJS.WritableStream = process.stdout) {
    this.json = json;
    this.#stdout = stdout;
  }

  /** A line of human output (ignored in JSON mode). */
  line(text = ''): void {
    if (!this.json) this.#stdout.write(scrub(text) + '\n');
  }

  /** An NDJSON event (ignored in human mode). Units go in field names: `bytes`, `durationMs`. */
  event(type: string, data: Record<string, unknown> = {}): void {
    if (this.json)
      this.#stdout.write(scrub(JSON.stringify({ type, schemaVersion: 1, ...data }, jsonReplacer)) + '\n');
  }

  /** One JSON document, as it is (a plan for `--dry-run --json`; ignored in human mode). */
  document(data: unknown): void {
    if (this.json) this.#stdout.write(scrub(JSON.stringify(data, jsonReplacer)) + '\n');
  }

  /** The final result object in JSON mode. */
  result(data: unknown): void {
    if (this.json)
      this.#stdout.write(
        scrub(JSON.stringify({ type: 'result', schemaVersion: 1, result: data }, jsonReplacer)) + '\n',
      );
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Render rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}
