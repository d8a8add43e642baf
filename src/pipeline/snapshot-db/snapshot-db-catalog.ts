import type { Readable } from 'node:stream';
import { crashPoint } from '../../core/crash-point.js';
import { InternalError, StoreError, UsageError } from '../../errors/index.js';
import type { SnapshotDatabase, GenerationRecord } from '../../mongodb/snapshot-db/snapshot-database.js';
import { LeaseKeeper } from '../../store/lease-keeper.js';
import { parseManifest, serializeManifest } from '../../store/manifest-codec.js';
import type {
  PendingSnapshot,
  ResolvedSnapshot,
  SnapshotCatalog,
  SnapshotInfo,
  SnapshotUpload,
} from '../../store/snapshot-catalog.js';
import { isSnapshotDate, snapshotOfDay } from '../../store/snapshot-date.js';
import { isSnapshotId, newSnapshotId } from '../../store/snapshot-id.js';
import { RESERVED_KEYS } from '../../store/snapshot-keys.js';
import { leaseIsLive, newLease, parseLease, type SnapshotLease } from '../../store/snapshot-lease.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';
import type { SnapshotRef } from '../../store/snapshot-ref.js';
import { writableInto } from '../../streams/writable-into.js';

/** A database name that can also be a snapshot name: MongoDB's rules and the snapshot name rule. */
const DB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export interface SnapshotDbCatalogOptions {
  /** How long a lease holds without renewal, in ms (default 60 000; renewed every third of it). */
  readonly leaseMs?: number;
  readonly now?: () => Date;
}

/**
 * The snapshot catalogue over snapshot databases in a MongoDB cluster: a snapshot's name is its
 * database (`syrf_snapshot`), each snapshot id is a generation with its own collections
 * (`<id>.<collection>`), and `latest` is the `snapshot_metadata` document `{_id: 'latest'}`, replaced
 * last. So readers resolve `latest` once and read that generation's collections, which no refresh
 * writes: a refresh in progress is invisible until its `latest` replace, and a restore that started
 * before keeps reading the generation it resolved. After a commit, generations older than the
 * previous `latest` are dropped (the previous one stays for readers still on it).
 *
 * Objects are the directory layout of every other store (`dump/<db>/<coll>.bson`, `.metadata.json`),
 * so capture, `verify` and streaming restores work unchanged; `.bson` objects are held as
 * documents, not bytes. No codecs: a snapshot database holds documents, encrypted as the cluster's
 * storage is.
 */
export class SnapshotDbCatalog implements SnapshotCatalog {
  readonly url: string;
  readonly #leaseMs: number;
  readonly #now: () => Date;
  readonly #keepers = new WeakMap<PendingSnapshot, LeaseKeeper>();
  /** The `method` the next commit records, per pending snapshot. */
  readonly methods = new WeakMap<PendingSnapshot, string>();

  constructor(
    readonly database: SnapshotDatabase,
    url: string,
    options: SnapshotDbCatalogOptions = {},
  ) {
    this.url = url;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  async begin(name: string): Promise<PendingSnapshot> {
    checkName(name);
    const now = this.#now();
    for (const g of await this.database.generations(name)) {
      if (g.status === 'complete') continue;
      const lease = g.lease === null ? null : parseLease(g.lease);
      if (lease !== null && leaseIsLive(lease, now)) {
        throw new StoreError('SNAPSHOT_DB_BUSY', `snapshot database ${name} is being refreshed (${g.id})`, {
          subject: { snapshot: `${name}@${g.id}` },
          hint: `one producer at a time (a CronJob with concurrencyPolicy: Forbid); its lease lapses ${this.#leaseMs / 1000} s after it stops`,
        });
      }
      await this.database.dropGeneration(name, g.id);
    }
    const id = newSnapshotId(now);
    const lease = newLease(now, this.#leaseMs);
    await this.database.insertGeneration(name, id, JSON.stringify(lease));
    const database = this.database;
    const pending: PendingSnapshot = {
      name,
      id,
      upload(key: string): SnapshotUpload {
        if (RESERVED_KEYS.has(key) || key.startsWith('/') || key.includes('..'))
          throw new StoreError('STORE_BAD_KEY', `${key} cannot be uploaded`, { subject: { key } });
        return writableInto((body) => database.storeObject(name, id, key, body));
      },
    };
    const io = {
      read: async () => {
        const g = await this.database.generation(name, id);
        return g?.lease ? parseLease(g.lease) : null;
      },
      write: async (next: SnapshotLease) => {
        await this.database.writeLease(name, id, next.owner, JSON.stringify(next));
      },
    };
    this.#keepers.set(pending, new LeaseKeeper(lease, io, this.#leaseMs, this.#now));
    return pending;
  }

  async commit(pending: PendingSnapshot, manifest: SnapshotManifest): Promise<void> {
    const keeper = this.#keepers.get(pending);
    if (!keeper) throw new InternalError(`${pending.name}@${pending.id} is not pending in this catalogue`);
    await keeper.stop();
    if (manifest.name !== pending.name || manifest.id !== pending.id)
      throw new InternalError(
        `manifest of ${manifest.name}@${manifest.id} committed to ${pending.name}@${pending.id}`,
      );
    const previous = await this.latest(pending.name);
    const json = serializeManifest(manifest);
    crashPoint('snapshot-db:before-generation-complete');
    if (
      keeper.lost ||
      !(await this.database.completeGeneration(pending.name, pending.id, keeper.lease.owner, json))
    )
      throw new StoreError(
        'SNAPSHOT_LEASE_LOST',
        `snapshot ${pending.name}@${pending.id} was removed as abandoned`,
        {
          subject: { snapshot: `${pending.name}@${pending.id}` },
          hint: 'its lease lapsed (the process was suspended or the cluster unreachable for longer than the lease); run it again',
        },
      );
    crashPoint('snapshot:before-latest');
    await this.database.writeLatest(
      pending.name,
      latestRecord(manifest, this.methods.get(pending) ?? 'stream', json),
    );
    this.#keepers.delete(pending);
    crashPoint('snapshot-db:before-prune');
    for (const g of await this.database.generations(pending.name)) {
      if (g.status === 'complete' && g.id !== pending.id && g.id !== previous)
        await this.database.dropGeneration(pending.name, g.id);
    }
  }

  async abort(pending: PendingSnapshot): Promise<void> {
    await this.#keepers.get(pending)?.stop();
    this.#keepers.delete(pending);
    await this.database.dropGeneration(pending.name, pending.id);
  }

  names(): Promise<string[]> {
    return this.database.names();
  }

  async list(name?: string): Promise<SnapshotInfo[]> {
    const names = name === undefined ? await this.names() : [name];
    const out: SnapshotInfo[] = [];
    for (const n of names) {
      if (!DB_NAME.test(n)) continue;
      const latest = await this.latest(n);
      for (const g of (await this.database.generations(n)).reverse()) out.push(this.#info(n, g, latest));
    }
    return out;
  }

  async info(name: string, id: string): Promise<SnapshotInfo | null> {
    if (!DB_NAME.test(name) || !isSnapshotId(id)) return null;
    const g = await this.database.generation(name, id);
    return g ? this.#info(name, g, await this.latest(name)) : null;
  }

  async resolve(ref: SnapshotRef): Promise<ResolvedSnapshot> {
    const id =
      ref.id === 'latest'
        ? await this.latest(ref.name)
        : isSnapshotDate(ref.id)
          ? snapshotOfDay(await this.list(ref.name), ref.name, ref.id)
          : ref.id;
    if (id === null) {
      throw new StoreError(
        'SNAPSHOT_NOT_FOUND',
        `no complete snapshot in database ${ref.name} of ${this.url}`,
        {
          subject: { snapshot: ref.name },
          hint: `the producer (\`dbfork snapshot create --store … --store-db ${ref.name}\`) has not completed a refresh yet; \`--wait\` waits for one`,
        },
      );
    }
    const g =
      DB_NAME.test(ref.name) && isSnapshotId(id) ? await this.database.generation(ref.name, id) : null;
    const manifest = g ? this.#manifest(ref.name, g) : null;
    if (!g || manifest === null) {
      throw new StoreError(
        'SNAPSHOT_NOT_FOUND',
        `snapshot ${ref.name}@${id} does not exist or is incomplete`,
        {
          subject: { snapshot: `${ref.name}@${id}` },
          hint: '`dbfork snapshot list --store …` shows the complete ones',
        },
      );
    }
    return this.#resolved(ref.name, g, manifest);
  }

  async latest(name: string): Promise<string | null> {
    if (!DB_NAME.test(name)) return null;
    const latest = await this.database.readLatest(name);
    if (latest === null || !isSnapshotId(latest.generation)) return null;
    const g = await this.database.generation(name, latest.generation);
    return g?.status === 'complete' && g.manifestJson !== null ? g.id : null;
  }

  async delete(name: string, id: string): Promise<void> {
    checkName(name);
    if (!isSnapshotId(id)) throw new UsageError('SNAPSHOT_BAD_REF', `not a snapshot id: ${id}`);
    const g = await this.database.generation(name, id);
    if (!g)
      throw new StoreError('SNAPSHOT_NOT_FOUND', `snapshot ${name}@${id} does not exist`, {
        subject: { snapshot: `${name}@${id}` },
      });
    if ((await this.latest(name)) === id) {
      const previous = (await this.database.generations(name))
        .reverse()
        .find((o) => o.status === 'complete' && o.id !== id);
      const manifest = previous ? this.#manifest(name, previous) : null;
      await this.database.writeLatest(
        name,
        previous && manifest ? latestRecord(manifest, 'stream', previous.manifestJson ?? '') : null,
      );
    }
    await this.database.dropGeneration(name, id);
  }

  /** The collection of `collection` in generation `id` (what `$out` reads or writes). */
  collectionOf(id: string, collection: string): string {
    return `${id}.${collection}`;
  }

  #info(name: string, g: GenerationRecord, latest: string | null): SnapshotInfo {
    const manifest = this.#manifest(name, g);
    const lease = manifest ? null : g.lease === null ? null : parseLease(g.lease);
    return {
      name,
      id: g.id,
      status: manifest ? 'complete' : 'incomplete',
      inProgress: lease !== null && leaseIsLive(lease, this.#now()),
      isLatest: manifest !== null && g.id === latest,
      manifest,
      lease,
    };
  }

  #manifest(name: string, g: GenerationRecord): SnapshotManifest | null {
    if (g.status !== 'complete' || g.manifestJson === null) return null;
    return parseManifest(g.manifestJson, `${name}@${g.id}`, this.database.locate(name, `generation:${g.id}`));
  }

  #resolved(name: string, g: GenerationRecord, manifest: SnapshotManifest): ResolvedSnapshot {
    const database = this.database;
    return {
      manifest,
      open: (key: string): Promise<Readable> => database.open(name, g.id, key, g.files.get(key)),
      keys: async (prefix: string) => (await database.keys(name, g.id)).filter((k) => k.startsWith(prefix)),
      locate: (key: string) => database.locate(name, `${g.id}/${key}`),
    };
  }
}

/** The `latest` document for a complete manifest. */
function latestRecord(manifest: SnapshotManifest, method: string, manifestJson: string) {
  const collections = manifest.collections.map((c) => c.namespace.slice(c.namespace.indexOf('.') + 1));
  return {
    generation: manifest.id,
    timestamp: manifest.completedAt,
    source: manifest.source.db,
    collections,
    namespaces: Object.fromEntries(collections.map((c) => [c, `${manifest.id}.${c}`])),
    status: 'complete' as const,
    method,
    anonymized: manifest.anonymized,
    rulesDigest: manifest.rulesDigest,
    manifestJson,
  };
}

function checkName(name: string): void {
  if (!DB_NAME.test(name))
    throw new UsageError('SNAPSHOT_BAD_NAME', `not a valid snapshot database name: ${name}`, {
      hint: 'a snapshot database name uses letters, digits, _ and -, at most 63 characters',
    });
}
