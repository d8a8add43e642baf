import { Readable } from 'node:stream';
import type { MongoClient } from 'mongodb';
import { stripUriCredentials } from '../../core/redact.js';
import { StoreError } from '../../errors/index.js';
import { clientCommandRunner } from '../command-runner.js';
import { connectMongo } from '../connect.js';
import { readPrivileges, type ConnectionPrivileges } from '../read-privileges.js';
import { GenerationWriter } from './generation-writer.js';
import {
  FILES_COLLECTION,
  generationDocId,
  LATEST_ID,
  METADATA_COLLECTION,
  type GenerationDoc,
  type LatestDoc,
} from './snapshot-db-layout.js';

/** A generation as the catalogue sees it: plain data, no driver types. */
export interface GenerationRecord {
  readonly id: string;
  readonly status: 'incomplete' | 'complete';
  readonly lease: string | null;
  readonly manifestJson: string | null;
  /** `.bson` object key → the generation collection holding its documents. */
  readonly files: ReadonlyMap<string, string>;
}

/** What `latest` says, beyond the generation id. */
export type LatestRecord = Omit<LatestDoc, '_id' | 'timestamp'> & { readonly timestamp: string };

/**
 * The driver side of a snapshot database store: every read and write of generations, their objects
 * and `latest` (layout in `snapshot-db-layout.ts`). Calls share one connection, closed once idle
 * for 1 s; an object stream has its own, closed when it ends.
 */
export class SnapshotDatabase {
  /** @param uri the cluster's connection string (credentials are never printed) */
  #client: Promise<MongoClient> | undefined;
  #active = 0;
  #idle: NodeJS.Timeout | undefined;

  constructor(readonly uri: string) {}

  /** Where a key lives, for messages: the cluster without credentials, the db and the key. */
  locate(db: string, key: string): string {
    return `${stripUriCredentials(this.uri).replace(/\/?(\?.*)?$/, '')}/${db}#${key}`;
  }

  /** What the store connection's users may do (`connectionStatus`), for the producer's guard. */
  async privileges(): Promise<ConnectionPrivileges> {
    return this.#with((client) => readPrivileges(clientCommandRunner(client)));
  }

  /** Databases holding a `snapshot_metadata` collection with a `latest` or generation document. */
  async names(): Promise<string[]> {
    return this.#with(async (client) => {
      const listed = await client
        .db('admin')
        .command({ listDatabases: 1, nameOnly: true, authorizedDatabases: true });
      const out: string[] = [];
      for (const { name } of listed.databases as { name: string }[]) {
        if (['admin', 'local', 'config'].includes(name)) continue;
        const doc = await client
          .db(name)
          .collection(METADATA_COLLECTION)
          .findOne({}, { projection: { _id: 1 } });
        if (doc) out.push(name);
      }
      return out.sort();
    });
  }

  async insertGeneration(db: string, id: string, lease: string): Promise<void> {
    await this.#with(async (client) => {
      const doc: GenerationDoc = {
        _id: generationDocId(id),
        kind: 'generation',
        id,
        status: 'incomplete',
        startedAt: new Date(),
        lease,
        files: [],
      };
      await client
        .db(db)
        .collection(METADATA_COLLECTION)
        .insertOne(doc as never);
    });
  }

  /** Replace the lease if it is still `owner`'s; false when it is gone or taken. */
  async writeLease(db: string, id: string, owner: string, lease: string): Promise<boolean> {
    return this.#with(async (client) => {
      const r = await client
        .db(db)
        .collection(METADATA_COLLECTION)
        .updateOne({ _id: generationDocId(id) as never, status: 'incomplete' }, { $set: { lease } });
      return Number(r.matchedCount) === 1 && owner !== '';
    });
  }

  /**
   * Mark a generation complete with its manifest, if `owner` still holds its lease (read back first).
   * @returns false when the generation is gone or another writer's
   */
  async completeGeneration(db: string, id: string, owner: string, manifestJson: string): Promise<boolean> {
    return this.#with(async (client) => {
      const coll = client.db(db).collection(METADATA_COLLECTION);
      const current = await coll.findOne({ _id: generationDocId(id) as never });
      const lease =
        typeof current?.lease === 'string' ? (JSON.parse(current.lease) as { owner?: string }) : null;
      if (!current || current.status !== 'incomplete' || lease?.owner !== owner) return false;
      const r = await coll.updateOne(
        { _id: generationDocId(id) as never, lease: current.lease },
        { $set: { status: 'complete', manifestJson, completedAt: new Date() }, $unset: { lease: '' } },
      );
      return Number(r.modifiedCount) === 1;
    });
  }

  /** Write the `latest` document (one replace: readers see the old one or the new one). */
  async writeLatest(db: string, latest: LatestRecord | null): Promise<void> {
    await this.#with(async (client) => {
      const coll = client.db(db).collection(METADATA_COLLECTION);
      if (latest === null) {
        await coll.deleteOne({ _id: LATEST_ID as never });
        return;
      }
      await coll.replaceOne(
        { _id: LATEST_ID as never },
        { ...latest, timestamp: new Date(latest.timestamp) },
        { upsert: true, writeConcern: { w: 'majority', j: true } },
      );
    });
  }

  async readLatest(db: string): Promise<{ generation: string; timestamp: string } | null> {
    return this.#with(async (client) => {
      const doc = await client
        .db(db)
        .collection(METADATA_COLLECTION)
        .findOne({ _id: LATEST_ID as never });
      if (!doc || typeof doc.generation !== 'string') return null;
      const ts = doc.timestamp instanceof Date ? doc.timestamp.toISOString() : String(doc.timestamp);
      return { generation: doc.generation, timestamp: ts };
    });
  }

  /** Every generation of `db`, oldest first. */
  async generations(db: string): Promise<GenerationRecord[]> {
    return this.#with(async (client) => {
      const docs = await client.db(db).collection(METADATA_COLLECTION).find({ kind: 'generation' }).toArray();
      return docs
        .map((d) => toRecord(d as unknown as GenerationDoc))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
  }

  async generation(db: string, id: string): Promise<GenerationRecord | null> {
    return this.#with(async (client) => {
      const doc = await client
        .db(db)
        .collection(METADATA_COLLECTION)
        .findOne({ _id: generationDocId(id) as never });
      return doc ? toRecord(doc as unknown as GenerationDoc) : null;
    });
  }

  /**
   * Remove a generation: its document first (so a crash halfway leaves no complete-looking
   * generation), then its collections and kept objects.
   */
  async dropGeneration(db: string, id: string): Promise<void> {
    await this.#with(async (client) => {
      const d = client.db(db);
      await d.collection(METADATA_COLLECTION).deleteOne({ _id: generationDocId(id) as never });
      const names = (await d.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      for (const name of names)
        if (name.startsWith(`${id}.`)) await d.dropCollection(name).catch(() => false);
      await d.collection(FILES_COLLECTION).deleteMany({ generation: id });
    });
  }

  /**
   * Store one object of generation `id` from its bytes (see {@link GenerationWriter}).
   * @returns bytes taken
   */
  async storeObject(db: string, id: string, key: string, body: AsyncIterable<Uint8Array>): Promise<number> {
    return this.#with((client) => new GenerationWriter(client.db(db), id).store(key, body));
  }

  /** Record that the `.bson` object `key` of generation `id` is the documents of `collection`. */
  async recordCollection(db: string, id: string, key: string, collection: string): Promise<void> {
    await this.#with((client) => new GenerationWriter(client.db(db), id).recordCollection(key, collection));
  }

  /** Keys of generation `id`'s objects: its `.bson` objects and its kept files, sorted. */
  async keys(db: string, id: string): Promise<string[]> {
    return this.#with(async (client) => {
      const d = client.db(db);
      const gen = await d.collection(METADATA_COLLECTION).findOne({ _id: generationDocId(id) as never });
      const files = ((gen?.files ?? []) as { key: string }[]).map((f) => f.key);
      const kept = await d
        .collection(FILES_COLLECTION)
        .find({ generation: id }, { projection: { key: 1 } })
        .toArray();
      return [...new Set([...files, ...kept.map((k) => String(k.key))])].sort();
    });
  }

  /**
   * An object of generation `id` as bytes: a `.bson` object streams its collection's documents, raw,
   * in `_id` order (the order a capture writes); any other object is the kept file.
   * @throws StoreError `STORE_OBJECT_NOT_FOUND`
   */
  async open(db: string, id: string, key: string, collection: string | undefined): Promise<Readable> {
    const client = await this.#connect();
    try {
      if (collection !== undefined) {
        const cursor = client
          .db(db)
          .collection(collection)
          .find({}, { raw: true, sort: { _id: 1 } });
        const stream = Readable.from(cursor as AsyncIterable<Buffer>, { objectMode: false });
        stream.once('close', () => void cursor.close().finally(() => client.close()));
        return stream;
      }
      const doc = await client
        .db(db)
        .collection(FILES_COLLECTION)
        .findOne({ _id: `${id}/${key}` as never }, { promoteBuffers: true });
      await client.close();
      if (!doc) {
        throw new StoreError('STORE_OBJECT_NOT_FOUND', `no object ${key} in ${this.locate(db, id)}`, {
          subject: { key },
        });
      }
      const data = doc.data as { buffer?: Uint8Array } | Buffer;
      return Readable.from([Buffer.isBuffer(data) ? data : Buffer.from(data.buffer ?? new Uint8Array())]);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  async #connect(): Promise<MongoClient> {
    try {
      return await connectMongo(this.uri, { role: 'target' });
    } catch (error) {
      throw new StoreError(
        'STORE_UNREACHABLE',
        `cannot reach the snapshot database store: ${(error as Error).message}`,
        {
          hint: 'check the --store connection string and the network',
          cause: error,
          labels: ['retryable'],
        },
      );
    }
  }

  /**
   * Run `fn` on the shared connection: opened on first use, closed once idle
   * settles (1 s), so a command's steps reuse one connection and nothing stays open after it.
   */
  async #with<T>(fn: (client: MongoClient) => Promise<T>): Promise<T> {
    clearTimeout(this.#idle);
    this.#active++;
    try {
      const client = await (this.#client ??= this.#connect().catch((error: unknown) => {
        this.#client = undefined;
        throw error;
      }));
      return await fn(client);
    } finally {
      this.#active--;
      if (this.#active === 0) {
        this.#idle = setTimeout(() => {
          const open = this.#client;
          this.#client = undefined;
          void open?.then((c) => c.close()).catch(() => undefined);
        }, 1000);
      }
    }
  }
}

function toRecord(doc: GenerationDoc): GenerationRecord {
  return {
    id: doc.id,
    status: doc.status,
    lease: typeof doc.lease === 'string' ? doc.lease : null,
    manifestJson: typeof doc.manifestJson === 'string' ? doc.manifestJson : null,
    files: new Map((Array.isArray(doc.files) ? doc.files : []).map((f) => [f.key, f.collection])),
  };
}
