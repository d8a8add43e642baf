import type { MongoClient } from 'mongodb';
import { SNAPSHOT_METADATA_COLLECTION } from '../core/own-collections.js';
import { TargetError } from '../errors/index.js';
import type {
  PreviewDatabaseRecords,
  PreviewDatabases,
  PreviewLockRecord,
  PreviewRecord,
} from '../target/preview-databases.js';
import { connectMongo } from './connect.js';

type Doc = { _id: string } & Record<string, unknown>;

/**
 * Preview databases on a MongoDB server (or FerretDB): `listDatabases`, the lock and preview records
 * in `snapshot_metadata` (majority writes), `dropDatabase`. Driver errors come out as TargetError
 * `TARGET_WRITE_FAILED` (writes) or `TARGET_READ_FAILED` (reads).
 */
export class MongoDbPreviewDatabases implements PreviewDatabases {
  readonly #client: MongoClient;

  constructor(client: MongoClient) {
    this.#client = client;
  }

  /** @throws UsageError `CONFIG_BAD_URI`, TargetError `TARGET_UNREACHABLE` */
  static async connect(uri: string): Promise<MongoDbPreviewDatabases> {
    return new MongoDbPreviewDatabases(await connectMongo(uri, { role: 'target' }));
  }

  async listDatabases(): Promise<string[]> {
    return this.#read('list databases', async () => {
      const result = await this.#client.db('admin').admin().listDatabases({ nameOnly: true });
      return result.databases.map((d) => d.name);
    });
  }

  async records(db: string): Promise<PreviewDatabaseRecords> {
    return this.#read(`read ${db}`, async () => {
      const names = await this.#client.db(db).listCollections({}, { nameOnly: true }).toArray();
      if (names.length === 0) return { exists: false, lock: null, preview: null, latest: null };
      const docs = await this.#meta(db)
        .find({ _id: { $in: ['lock', 'preview', 'latest'] } })
        .toArray();
      const byId = new Map(docs.map((d) => [d._id, d]));
      const latest = byId.get('latest');
      return {
        exists: true,
        lock: byId.get('lock')?.locked === true ? (byId.get('lock') as unknown as PreviewLockRecord) : null,
        preview: (byId.get('preview') as unknown as PreviewRecord | undefined) ?? null,
        latest: latest
          ? {
              snapshotId: typeof latest.snapshotId === 'string' ? latest.snapshotId : null,
              takenAt: latest.takenAt instanceof Date ? latest.takenAt : null,
            }
          : null,
      };
    });
  }

  async writeLock(db: string, lock: PreviewLockRecord): Promise<void> {
    await this.#write(`lock ${db}`, () => this.#replace(db, lock));
  }

  async removeLock(db: string): Promise<void> {
    await this.#write(`unlock ${db}`, async () => {
      await this.#meta(db).deleteOne({ _id: 'lock' }, { writeConcern: { w: 'majority' } });
    });
  }

  async writePreview(db: string, record: PreviewRecord): Promise<void> {
    await this.#write(`record ${db}`, () => this.#replace(db, record));
  }

  async dropDatabase(db: string): Promise<void> {
    await this.#write(`drop ${db}`, async () => {
      await this.#client.db(db).dropDatabase({ writeConcern: { w: 'majority' } });
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  #meta(db: string) {
    return this.#client.db(db).collection<Doc>(SNAPSHOT_METADATA_COLLECTION);
  }

  async #replace(db: string, doc: { _id: string }): Promise<void> {
    await this.#meta(db).replaceOne({ _id: doc._id }, doc as Doc, {
      upsert: true,
      writeConcern: { w: 'majority' },
    });
  }

  async #read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new TargetError('TARGET_READ_FAILED', `cannot ${what}: ${(error as Error).message}`, {
        hint: 'check the target connection and the user’s read privileges',
        labels: ['noWritesPerformed'],
        cause: error,
      });
    }
  }

  async #write(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      throw new TargetError('TARGET_WRITE_FAILED', `cannot ${what}: ${(error as Error).message}`, {
        hint: 'check the target connection and the user’s privileges on the PR database',
        cause: error,
      });
    }
  }
}
