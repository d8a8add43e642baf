import type { MongoClient } from 'mongodb';
import type { CapturePlanRow } from '../source/capture-plan.js';
import type { CaptureSelection } from '../source/snapshot-source.js';
import { selectCollections } from './select-collections.js';

/**
 * What a capture would read, without reading any document: the collections, whether the
 * include/exclude globs select them, and their estimated counts. Read-only (listCollections, count).
 */
export async function planCapture(
  client: MongoClient,
  db: string,
  options: CaptureSelection,
): Promise<CapturePlanRow[]> {
  const infos = await client.db(db).listCollections({}, { nameOnly: false }).toArray();
  const rows: CapturePlanRow[] = [];
  for (const { info, selected: include } of selectCollections(db, infos, options)) {
    const type = info.type ?? 'collection';
    const query = options.queries?.[info.name] ?? null;
    rows.push({
      namespace: `${db}.${info.name}`,
      type,
      action: include ? 'capture' : 'skip',
      estimatedDocuments:
        include && type === 'collection' && query === null
          ? Number(await client.db(db).collection(info.name).estimatedDocumentCount())
          : null,
      query,
    });
  }
  return rows;
}
