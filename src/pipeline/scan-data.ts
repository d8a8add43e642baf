import { readDump } from '../archive/index.js';
import type { CodecKeys } from '../codec/codec-keys.js';
import type { DumpEventStream } from '../core/dump-event.js';
import { sampleDatabase } from '../mongodb/sample-database.js';
import type { ScanReport } from '../policy/scan-report.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../store/snapshot-ref.js';
import { renameDatabase } from '../streams/rename-database.js';
import { decryptionKeys, decryptOptions } from './decryption-keys.js';
import { readSnapshotData } from './read-snapshot-data.js';

/** What to scan: a dump, a stored snapshot, or a sample of a live database (read-only). */
export type ScanInput =
  | { readonly dump: string }
  | { readonly snapshot: string; readonly store?: string }
  | { readonly uri: string; readonly db: string };

export interface ScanDataOptions {
  readonly input: ScanInput;
  /** Anonymization rules file: fields it transforms or keeps are not findings. */
  readonly rules?: string;
  /** Read the scanned database (every database of a dump) as this one for the rules. */
  readonly rulesDb?: string;
  /** Also fail on sampled fields the rules neither transform nor keep (needs `rules`). */
  readonly strict: boolean;
  /** Documents examined per collection (0: all). */
  readonly sample: number;
  /** age identity file for an encrypted dump or snapshot. */
  readonly identityFile?: string;
}

/**
 * Look for personal data in a dump, a snapshot or a live sample. The rules engine and the detectors
 * are imported here, on demand: they are heavy for a CLI start-up.
 *
 * @throws UsageError for a rules file's errors (file:line); ArchiveError / StoreError / SourceError
 *   when the input cannot be read
 */
export async function scanData(options: ScanDataOptions): Promise<ScanReport> {
  const [{ loadRules }, { scanEvents }] = await Promise.all([
    import('../config/load-rules.js'),
    import('../policy/scan-events.js'),
  ]);
  const rules = options.rules === undefined ? undefined : await loadRules(options.rules);
  const events = await eventsOf(options.input, options.sample, await decryptionKeys(options.identityFile));
  const live = 'db' in options.input ? options.input.db : null;
  // live: the scanned database; dumps and snapshots: every database they hold
  return scanEvents(options.rulesDb === undefined ? events : renameDatabase(events, live, options.rulesDb), {
    ...(rules ? { rules: rules.rules } : {}),
    strict: options.strict,
    sample: options.sample,
  });
}

async function eventsOf(input: ScanInput, sample: number, keys: CodecKeys): Promise<DumpEventStream> {
  if ('dump' in input) return readDump(input.dump, decryptOptions(keys));
  if ('snapshot' in input) {
    const store = await openSnapshotStore(input.store);
    return readSnapshotData(await store.resolve(parseSnapshotRef(input.snapshot)), keys);
  }
  return sampleDatabase({ uri: input.uri, db: input.db, sample });
}
