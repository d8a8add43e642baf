import { EJSON } from 'bson';
import type { Document } from 'mongodb';
import { buildCollectionMetadata } from '../../archive/collection-metadata.js';
import { crashPoint } from '../../core/crash-point.js';
import { SourceError } from '../../errors/index.js';
import type { CaptureSelection } from '../../source/snapshot-source.js';
import { normalizeIndexSpec, type IndexSpec } from '../../target/index-spec.js';
import { selectCollections } from '../select-collections.js';

/**
 * The seam of a server-side copy: one command on one database, with the read preference the
 * command is routed by (`aggregate … $out` from a secondary). The real one wraps a driver client;
 * the seam tests wrap it to record every command and to answer `$out` as MongoDB does.
 */
export type CopyCommandRunner = (db: string, command: Document, readPreference?: string) => Promise<Document>;

/** One collection copied server-side. */
export interface CopiedCollection {
  readonly name: string;
  /** `view`, `collection`, `timeseries`. */
  readonly type: string;
  readonly documents: number;
  /** Sum of the BSON sizes of the copied documents (`$bsonSize`, counted by the server). */
  readonly bytes: number;
  /** listIndexes of the source, verbatim. */
  readonly indexes: Document[];
  readonly options: Document;
  /** The collection's `metadata.json` text, as mongodump writes it. */
  readonly metadataJson: string;
  /** `indexes` and `options` as relaxed Extended JSON, as manifests record them. */
  readonly relaxedIndexes: Record<string, unknown>[];
  readonly relaxedOptions: Record<string, unknown>;
  /** Indexes the destination refused, with the server's reason. */
  readonly rejected: { readonly name: string; readonly reason: string }[];
}

export interface ServerSideCopyRequest {
  readonly sourceDb: string;
  readonly destinationDb: string;
  /** The destination collection of a source collection (a generation's or a temporary's name). */
  readonly destinationOf: (collection: string) => string;
  readonly selection: CaptureSelection;
  /** `secondary` (MongoDB 5.0+: `$out` may run on a secondary) or `primary`. */
  readonly readPreference: 'secondary' | 'secondaryPreferred' | 'primary';
  readonly onCollection?: (copied: CopiedCollection) => Promise<void> | void;
}

/**
 * Copy the selected collections of `sourceDb` into `destinationDb` inside one cluster: per
 * collection one `aggregate [{$out: {db, coll}}]` (no document leaves the cluster), then its
 * indexes from `listIndexes` (options normalized; the `_id` index comes with the collection), then
 * a count on the destination (`$group` with `$bsonSize`). Views are recorded, not copied. Production
 * sees only `listCollections`, `listIndexes` and the `aggregate`: never `find` or `getMore`.
 *
 * @throws SourceError `SOURCE_READ_FAILED` when a command fails
 */
export async function serverSideCopy(
  run: CopyCommandRunner,
  request: ServerSideCopyRequest,
): Promise<CopiedCollection[]> {
  const listed = await command(run, request.sourceDb, { listCollections: 1, filter: {}, nameOnly: false });
  const infos = ((listed.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch ??
    []) as (Document & {
    name: string;
  })[];
  const out: CopiedCollection[] = [];
  for (const { info, selected } of selectCollections(request.sourceDb, infos, request.selection)) {
    if (!selected) continue;
    const type = typeof info.type === 'string' ? info.type : 'collection';
    const options = (info.options ?? {}) as Document;
    if (type === 'view') {
      const view = described({
        name: info.name,
        type,
        documents: 0,
        bytes: 0,
        indexes: [],
        options,
        rejected: [],
      });
      out.push(view);
      await request.onCollection?.(view);
      continue;
    }
    const destination = request.destinationOf(info.name);
    crashPoint('server-copy:collection');
    await command(
      run,
      request.sourceDb,
      {
        aggregate: info.name,
        pipeline: [{ $out: { db: request.destinationDb, coll: destination } }],
        cursor: {},
      },
      request.readPreference,
    );
    const indexReply = await command(run, request.sourceDb, { listIndexes: info.name, cursor: {} });
    const indexes = ((indexReply.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch ??
      []) as Document[];
    const rejected: { name: string; reason: string }[] = [];
    for (const spec of indexes
      .map((i) => normalizeIndexSpec(i))
      .filter((s): s is IndexSpec => s !== undefined)) {
      try {
        await run(request.destinationDb, {
          createIndexes: destination,
          indexes: [{ key: spec.key, name: spec.name, ...spec.options }],
        });
      } catch (error) {
        rejected.push({ name: spec.name, reason: (error as Error).message });
      }
    }
    const counted = await command(run, request.destinationDb, {
      aggregate: destination,
      pipeline: [{ $group: { _id: null, n: { $sum: 1 }, bytes: { $sum: { $bsonSize: '$$ROOT' } } } }],
      cursor: {},
    });
    const row = ((counted.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch ?? [])[0] ?? {};
    const copied = described({
      name: info.name,
      type,
      documents: Number(row.n ?? 0),
      bytes: Number(row.bytes ?? 0),
      indexes,
      options,
      rejected,
    });
    out.push(copied);
    await request.onCollection?.(copied);
  }
  return out;
}

function described(
  c: Omit<CopiedCollection, 'metadataJson' | 'relaxedIndexes' | 'relaxedOptions'>,
): CopiedCollection {
  const relaxed = (d: Document) => EJSON.serialize(d, { relaxed: true }) as Record<string, unknown>;
  return {
    ...c,
    metadataJson: buildCollectionMetadata({
      options: c.options,
      indexes: c.indexes,
      collectionName: c.name,
      collectionType: c.type,
    }),
    relaxedIndexes: c.indexes.map(relaxed),
    relaxedOptions: relaxed(c.options),
  };
}

async function command(
  run: CopyCommandRunner,
  db: string,
  doc: Document,
  readPreference?: string,
): Promise<Document> {
  try {
    return await run(db, doc, readPreference);
  } catch (error) {
    const name = Object.keys(doc)[0] ?? 'command';
    throw new SourceError(
      'SOURCE_READ_FAILED',
      `${name} on ${db} failed during the server-side copy: ${(error as Error).message}`,
      {
        hint: 'check the user’s roles (`dbfork access check`) and that the server runs $out',
        cause: error,
      },
    );
  }
}
