import type { Db, MongoClient } from 'mongodb';
import { SNAPSHOT_METADATA_COLLECTION } from '../core/own-collections.js';
import type { LiveGuardReport, LiveGuardRequest } from '../target/guard/live-guard.js';
import type {
  FinishedCollection,
  FinishRequest,
  LoadRequest,
  PrepareRequest,
  SnapshotTarget,
  TargetCapabilities,
} from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { JournalEntry } from '../target/target-journal.js';
import { buildIndexes } from './build-indexes.js';
import { checkTargetLive } from './check-target-live.js';
import { clientCommandRunner, type CommandRunner } from './command-runner.js';
import { connectMongo } from './connect.js';
import { countCollection } from './count-collection.js';
import { createTempCollection } from './create-temp-collection.js';
import { detectSwapStrategy } from './detect-swap-strategy.js';
import { insertBatch } from './insert-batch.js';
import { MongoDbJournal } from './mongodb-journal.js';
import {
  emptyReplayResult,
  type OplogNamespaceResolver,
  type OplogReplayResult,
} from '../target/oplog-replay.js';
import { replayOplogEntry } from './replay-oplog.js';
import { rollBackCollection, swapCollection, type SwapOps } from './swap-collection.js';

export interface MongoDbTargetOptions {
  /** The command seam for renames, drops and probes (default: the client). */
  readonly commandRunner?: CommandRunner;
  /** Close the client with the target (set by {@link MongoDbTarget.connect}). */
  readonly ownsClient?: boolean;
}

/**
 * One database of a MongoDB deployment (or any server speaking its wire protocol, e.g. FerretDB) as
 * a restore target: temporary collections, raw-BSON batch inserts, index builds, counts, the swap by
 * renames, the journal and snapshot_metadata. Driver errors come out as TargetError.
 */
export class MongoDbTarget implements SnapshotTarget {
  readonly db: string;
  readonly journal: MongoDbJournal;
  readonly #client: MongoClient;
  readonly #run: CommandRunner;
  readonly #owns: boolean;
  #capabilities: Promise<TargetCapabilities> | null = null;

  /** Bind database `db` of an already connected client (closed with the target only with `ownsClient`). */
  constructor(client: MongoClient, db: string, options: MongoDbTargetOptions = {}) {
    this.db = db;
    this.#client = client;
    this.#run = options.commandRunner ?? clientCommandRunner(client);
    this.#owns = options.ownsClient ?? false;
    this.journal = new MongoDbJournal(this.#db());
  }

  /**
   * Connect to a target server (see `connectMongo`) and bind one of its databases.
   *
   * @throws UsageError `CONFIG_BAD_URI`, TargetError `TARGET_UNREACHABLE`
   */
  static async connect(uri: string, db: string): Promise<MongoDbTarget> {
    const client = await connectMongo(uri, { role: 'target' });
    return new MongoDbTarget(client, db, { ownsClient: true });
  }

  #db(): Db {
    return this.#client.db(this.db);
  }

  #ops(): SwapOps {
    return { db: this.db, run: this.#run, exists: async (name) => this.#exists(name) };
  }

  async #exists(name: string): Promise<boolean> {
    return (await this.#db().listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  /** Only the dropTarget probe runs (see `detectSwapStrategy`), once per target. */
  capabilities(): Promise<TargetCapabilities> {
    this.#capabilities ??= detectSwapStrategy(this.#run).then((d) => ({ swapStrategy: d.strategy }));
    return this.#capabilities;
  }

  checkLive(request: LiveGuardRequest): Promise<LiveGuardReport> {
    return checkTargetLive(this.#run, {
      ...request,
      connectedHosts: this.#client.options.hosts.map((h) => h.toString()),
    });
  }

  async listCollections(): Promise<string[]> {
    return (await this.#db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  }

  prepare(request: PrepareRequest): Promise<string[]> {
    return createTempCollection(this.#db(), request.temp, request.createOptions, request.displayNamespace);
  }

  load(request: LoadRequest): Promise<number> {
    return insertBatch(this.#db().collection(request.temp), request.batch, request.bytes, request.onRetry);
  }

  async finish(request: FinishRequest): Promise<FinishedCollection> {
    const indexes = await buildIndexes(
      this.#db(),
      request.temp,
      request.indexes,
      request.strictIndexes,
      request.displayNamespace,
    );
    const serverDocuments = await countCollection(
      this.#db(),
      request.temp,
      request.sentDocuments,
      request.exactCount,
    );
    return { ...indexes, serverDocuments };
  }

  swap(entry: JournalEntry, strategy: SwapStrategy): Promise<void> {
    return swapCollection(this.#ops(), entry, strategy);
  }

  discard(entry: JournalEntry): Promise<void> {
    return rollBackCollection(this.#ops(), entry);
  }

  async drop(collection: string): Promise<void> {
    await this.#run(this.db, { drop: collection });
  }

  /** Replaces the `{_id: 'latest'}` record, with majority write concern. */
  async writeMetadata(metadata: object): Promise<void> {
    await this.#db()
      .collection(SNAPSHOT_METADATA_COLLECTION)
      .replaceOne({ _id: 'latest' as never }, metadata, { upsert: true, writeConcern: { w: 'majority' } });
  }

  async readMetadata(): Promise<Record<string, unknown> | null> {
    return this.#db().collection<{ _id: string }>(SNAPSHOT_METADATA_COLLECTION).findOne({ _id: 'latest' });
  }

  async clearMetadata(): Promise<void> {
    await this.#db()
      .collection(SNAPSHOT_METADATA_COLLECTION)
      .deleteOne({ _id: 'latest' as never });
  }

  async replayOplog(
    entries: AsyncIterable<Uint8Array>,
    resolve: OplogNamespaceResolver,
  ): Promise<OplogReplayResult> {
    const result = emptyReplayResult();
    const touched = new Set<string>();
    const tracking: OplogNamespaceResolver = (ns) => {
      const temp = resolve(ns);
      if (temp) touched.add(temp);
      return temp;
    };
    for await (const bytes of entries) await replayOplogEntry(this.#db(), bytes, tracking, result);
    for (const temp of touched) result.documents[temp] = await this.#db().collection(temp).countDocuments();
    return result;
  }

  async close(): Promise<void> {
    if (this.#owns) await this.#client.close();
  }
}
