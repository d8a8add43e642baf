import { Writable } from 'node:stream';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { scrub } from '../core/redact.js';

export type { Logger };

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** JSON lines (one object per line) instead of human text. */
  readonly json: boolean;
  /** Where to write (default stderr). */
  readonly stream?: NodeJS.WritableStream;
}

/**
 * The structured logger. Logs go to stderr so stdout stays for results; every line is scrubbed of
 * secrets ({@link scrub}) before it is written, in both human and JSON modes.
 */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.stream ?? process.stderr;
  const destination = options.json
    ? new Writable({
        write(chunk: Buffer, _enc, done) {
          out.write(scrub(chunk.toString('utf8')));
          done();
        },
      })
    : new Writable({
        write(chunk: Buffer, _enc, done) {
          out.write(scrub(humanLine(chunk.toString('utf8'))));
          done();
        },
      });
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

function humanLine(jsonLine: string): string {
  try {
    const { level, msg, time: _time, ...rest } = JSON.parse(jsonLine) as Record<string, unknown>;
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `dbfork ${String(level)}: ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`;
  } catch {
    return jsonLine;
  }
}
