import type { CapturePlanRow } from '../source/capture-plan.js';
import type { StreamTransform } from './stream-transform.js';

/**
 * Classify what a capture would read (the dry-run preview of `db`) the way the real run does before
 * it writes: every collection the selection takes must be named by a rules key or excluded. Lets a
 * dry run, and a plan about to be saved, fail as the run would. Index and option literals are checked
 * by the run itself, which reads the collections' metadata.
 *
 * @throws PolicyError `UNCLASSIFIED_NAMESPACE` as the run would
 */
export function checkPreviewClassification(
  anonymizer: StreamTransform,
  db: string,
  rows: readonly CapturePlanRow[],
): void {
  anonymizer.check(
    rows
      .filter((r) => r.action === 'capture')
      .map((r) => ({
        namespace: { db, collection: r.namespace.slice(db.length + 1) },
        collectionType: r.type,
        metadataJson: '',
      })),
  );
}
