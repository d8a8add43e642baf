import { MongoDbSource } from '../mongodb/mongodb-source.js';
import type { CapturePlanRow } from '../source/capture-plan.js';
import type { CaptureSelection, ReadPreference } from '../source/snapshot-source.js';

/**
 * What a capture of `db` would read, without reading a document: every collection, whether the
 * selection takes it, and its estimated count (listCollections and counts only). The dry runs of
 * `snapshot create` and `refresh` both show this; the capture itself selects with the same function.
 *
 * @throws SourceError when the source cannot be reached
 */
export async function previewCapture(
  uri: string,
  db: string,
  selection: CaptureSelection & { readonly readPreference: ReadPreference },
): Promise<CapturePlanRow[]> {
  const source = await MongoDbSource.connect(uri, { readPreference: selection.readPreference });
  try {
    return await source.list(db, selection);
  } finally {
    await source.close();
  }
}
