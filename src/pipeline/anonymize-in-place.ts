import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { stripUriCredentials } from '../core/redact.js';
import type { RestoreResult } from '../restore/restore-result.js';
import type { StreamTransform } from './stream-transform.js';
import { restoreToTarget } from './restore-to-target.js';
import { withCapture } from './with-capture.js';

export interface AnonymizeInPlaceOptions {
  /** The server holding the raw copy (a maintenance mongod no client reaches). */
  readonly uri: string;
  readonly db: string;
  readonly anonymizer: StreamTransform;
  readonly onProgress?: ProgressListener;
}

/**
 * Anonymize a database where it is: capture it, through the rules and key (the same transform as
 * `dbfork anonymize`, so the same pseudonyms), into the restore engine writing beside each collection,
 * verifying, then swapping it in per collection (in-place updates would collide under unique indexes),
 * and writing `snapshot_metadata`. The capture fails closed before any write when the rules leave a
 * collection unclassified; a failure before a collection's swap leaves it as it was.
 *
 * @returns the restore engine's result (`error` set when a collection failed)
 * @throws PolicyError from the rules check, SourceError / TargetError when the server cannot be used
 */
export async function anonymizeInPlace(options: AnonymizeInPlaceOptions): Promise<RestoreResult> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const { anonymizer } = options;
  return withCapture(
    {
      uri: options.uri,
      db: options.db,
      transform: anonymizer,
      readPreference: 'primaryPreferred',
      onProgress,
    },
    (capture) =>
      restoreToTarget({
        uri: options.uri,
        targetDb: options.db,
        // the database is its own source: allowed by name, the rules have classified every collection
        guardConfig: { allowTargets: [options.db], confirm: options.db },
        events: capture.events,
        transform: (events) => anonymizer.apply(events),
        provenance: {
          snapshotId: null,
          source: { uri: stripUriCredentials(options.uri), db: options.db },
          takenAt: new Date(),
          rulesDigest: anonymizer.rulesDigest,
          anonymized: 'restore',
          anonymization: anonymizer.record,
        },
        onProgress,
      }),
  );
}
