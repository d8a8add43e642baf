import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measure.js';

/** One tool's figures for one run, as the JSON results record them. */
export interface Figures {
  readonly wallMs: number;
  /** User + system CPU time of the process, in ms. */
  readonly cpuMs: number;
  /** CPU seconds per GB (10^9 bytes) of input BSON. */
  readonly cpuSecondsPerGB: number;
  readonly peakRssMiB: number;
  /** Wall time per document, in µs. */
  readonly microsPerDocument: number;
  /** Input BSON MB (10^6 bytes) per wall second. */
  readonly mbPerSecond: number;
}

/** Figures of a {@link Measurement} over `documents` documents holding `bsonBytes` bytes of BSON. */
export function figures(m: Measurement, documents: number, bsonBytes: number): Figures {
  return {
    wallMs: Math.round(m.wallMs),
    cpuMs: m.cpuMs,
    cpuSecondsPerGB: +(m.cpuMs / 1000 / (bsonBytes / 1e9)).toFixed(2),
    peakRssMiB: +(m.peakRssBytes / 1048576).toFixed(1),
    microsPerDocument: +((m.wallMs * 1000) / documents).toFixed(2),
    mbPerSecond: +(bsonBytes / 1e6 / (m.wallMs / 1000)).toFixed(1),
  };
}

/** `a / b` to two decimals, or null when `b` is 0 or either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0) return null;
  return +(a / b).toFixed(2);
}

/** Document counts of this run: `BENCH_SIZES` (set by `npm run bench -- --sizes …`), else 10k,200k,1M. */
export function benchSizes(): number[] {
  const raw = process.env.BENCH_SIZES ?? '10000,200000,1000000';
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`BENCH_SIZES must be positive integers separated by commas, not ${raw}`);
  return sizes;
}

/**
 * Where a bench writes `<name>.json` (created if needed): `BENCH_RESULTS_DIR` (set by `npm run bench --
 * --results-dir …`), else bench/results/.
 */
export function resultsFile(name: string): string {
  const dir = process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../results', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.json`);
}
