import type { Document, MongoClient } from 'mongodb';
import { isWorkCollection } from '../../core/own-collections.js';
import { namespaceSelector } from './namespace-filter.js';

/** One collection of a capture plan. */
export interface CapturePlanRow {
  readonly namespace: string;
  readonly type: string;
  readonly action: 'capture' | 'skip';
  /** The server's estimated count (null for views, skipped collections, and when a query applies). */
  readonly estimatedDocuments: number | null;
  readonly query: Document | null;
}

/**
 * What a capture would read, without reading any document: the collections, whether the
 * include/exclude globs select them, and their estimated counts. Read-only (listCollections, count).
 */
export async function planCapture(
  client: MongoClient,
  db: string,
  options: {
    include?: readonly string[];
    exclude?: readonly string[];
    queries?: Readonly<Record<string, Document>>;
  },
): Promise<CapturePlanRow[]> {
  const selected = namespaceSelector(options.include ?? [], options.exclude ?? []);
  const infos = await client.db(db).listCollections({}, { nameOnly: false }).toArray();
  const rows: CapturePlanRow[] = [];
  for (const info of infos
    .filter((i) => !i.name.startsWith('system.') && !isWorkCollection(i.name))
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const type = info.type ?? 'collection';
    const include = selected(db, info.name);
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
