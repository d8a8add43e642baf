import { Binary, type Db } from 'mongodb';
import { parseCollectionMetadata } from '../../archive/collection-metadata.js';
import { StoreError } from '../../errors/index.js';
import { normalizeIndexSpec, type IndexSpec } from '../../target/index-spec.js';
import { buildIndexes } from '../build-indexes.js';
import { insertBatch } from '../insert-batch.js';
import { bsonFrames } from './bson-frames.js';
import {
  FILES_COLLECTION,
  generationCollection,
  generationDocId,
  METADATA_COLLECTION,
} from './snapshot-db-layout.js';

const BATCH_DOCUMENTS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The collection a dump object stands for: `dump/<db>/<stem>.bson` or `.metadata.json` → the
 * collection name (`<stem>` unescaped as Go's `url.QueryUnescape`: `+` is a space), else undefined.
 */
export function collectionOfKey(key: string, suffix: '.bson' | '.metadata.json'): string | undefined {
  if (!key.endsWith(suffix)) return undefined;
  const file = key.slice(key.lastIndexOf('/') + 1, -suffix.length);
  try {
    return decodeURIComponent(file.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Writes one generation of a snapshot database: `.bson` objects become the documents of the
 * generation's collection (inserted as the bytes arrived, in batches of 1000 documents or 4 MiB),
 * every other object is kept whole in `__dbfork_snapshot_files`; a `.metadata.json` also builds its
 * indexes on the generation's collection (an index the server refuses is left out, as a restore does).
 */
export class GenerationWriter {
  constructor(
    readonly db: Db,
    readonly id: string,
  ) {}

  /**
   * Store one object's bytes.
   * @returns bytes taken
   * @throws StoreError `STORE_WRITE_FAILED` when the server refuses the documents
   */
  async store(key: string, body: AsyncIterable<Uint8Array>): Promise<number> {
    const collection = collectionOfKey(key, '.bson');
    if (collection !== undefined) return this.#documents(key, collection, body);
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(Buffer.from(chunk));
    const data = Buffer.concat(parts);
    await this.putFile(key, data);
    const metaOf = collectionOfKey(key, '.metadata.json');
    if (metaOf !== undefined) await this.#indexes(metaOf, data.toString('utf8'));
    return data.length;
  }

  /** Keep a small object whole. */
  async putFile(key: string, data: Buffer): Promise<void> {
    await this.db
      .collection(FILES_COLLECTION)
      .replaceOne(
        { _id: `${this.id}/${key}` as never },
        { generation: this.id, key, data: new Binary(data) },
        { upsert: true },
      );
  }

  /** Record that `key` is the documents of `collection` (its generation collection). */
  async recordCollection(key: string, collection: string): Promise<void> {
    await this.db
      .collection(METADATA_COLLECTION)
      .updateOne(
        { _id: generationDocId(this.id) as never },
        { $push: { files: { key, collection: generationCollection(this.id, collection) } } as never },
      );
  }

  async #documents(key: string, collection: string, body: AsyncIterable<Uint8Array>): Promise<number> {
    const target = this.db.collection(generationCollection(this.id, collection));
    await this.db.createCollection(target.collectionName).catch(() => undefined);
    await this.recordCollection(key, collection);
    let batch: Buffer[] = [];
    let bytes = 0;
    let total = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      try {
        await insertBatch(target, batch, bytes);
      } catch (error) {
        throw new StoreError('STORE_WRITE_FAILED', `cannot write ${key} into ${target.namespace}`, {
          subject: { key },
          cause: error,
        });
      }
      batch = [];
      bytes = 0;
    };
    for await (const frame of bsonFrames(body, key)) {
      batch.push(frame);
      bytes += frame.length;
      total += frame.length;
      if (batch.length >= BATCH_DOCUMENTS || bytes >= BATCH_BYTES) await flush();
    }
    await flush();
    return total;
  }

  async #indexes(collection: string, text: string): Promise<void> {
    const meta = parseCollectionMetadata(text, { file: collection });
    if (meta.collectionType === 'view') return;
    const specs = meta.indexes
      .map((raw) => normalizeIndexSpec(raw))
      .filter((s): s is IndexSpec => s !== undefined);
    const name = generationCollection(this.id, collection);
    await this.db.createCollection(name).catch(() => undefined);
    await buildIndexes(this.db, name, specs, false, `${this.db.databaseName}.${name}`);
  }
}
