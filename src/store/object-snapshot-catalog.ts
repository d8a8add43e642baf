import { crashPoint } from '../core/crash-point.js';
import { InternalError, isDbforkError, StoreError, UsageError } from '../errors/index.js';
import { LeaseKeeper } from './lease-keeper.js';
import { parseManifest, serializeManifest } from './manifest-codec.js';
import { objectPendingSnapshot, objectResolvedSnapshot } from './object-snapshot-handles.js';
import type { ObjectStore } from './object-store.js';
import type { PendingSnapshot, ResolvedSnapshot, SnapshotCatalog, SnapshotInfo } from './snapshot-catalog.js';
import { snapshotOfDay, isSnapshotDate } from './snapshot-date.js';
import { isSnapshotId, newSnapshotId, SNAPSHOT_NAME } from './snapshot-id.js';
import { latestKey, LEASE_KEY, MANIFEST_KEY, snapshotPrefix } from './snapshot-keys.js';
import { leaseIsLive, newLease, parseLease, type SnapshotLease } from './snapshot-lease.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import type { SnapshotRef } from './snapshot-ref.js';

export interface ObjectCatalogOptions {
  /** How long a lease holds without renewal, in ms (default 60 000; renewed every third of it). */
  readonly leaseMs?: number;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

/**
 * The snapshot catalogue over any {@link ObjectStore}, in the layout of `snapshot-keys.ts`. Commit
 * order is data → manifest → `latest`, each one atomic put, so a crash anywhere leaves either an
 * incomplete snapshot (no manifest, never named by `latest`) or a complete one. A writer holds a
 * lease on its snapshot, renewed while it writes; `begin` removes the incomplete snapshots of the
 * name whose lease has lapsed (or whose writer on this host is dead).
 */
export class ObjectSnapshotCatalog implements SnapshotCatalog {
  readonly url: string;
  readonly #objects: ObjectStore;
  readonly #leaseMs: number;
  readonly #now: () => Date;
  readonly #keepers = new WeakMap<PendingSnapshot, LeaseKeeper>();

  /** @param objects where the keys go; the catalogue's `url` is the store's */
  constructor(objects: ObjectStore, options: ObjectCatalogOptions = {}) {
    this.#objects = objects;
    this.url = objects.url;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  async begin(name: string): Promise<PendingSnapshot> {
    checkName(name);
    await this.#removeAbandoned(name);
    const now = this.#now();
    const id = newSnapshotId(now);
    const prefix = snapshotPrefix(name, id);
    const lease = newLease(now, this.#leaseMs);
    // ids are unique (millisecond + 16 random bits), so a plain put suffices; it also works on file
    // systems without hard links, where a create-only put could not be done atomically
    await this.#objects.put(prefix + LEASE_KEY, JSON.stringify(lease));
    const pending = objectPendingSnapshot(this.#objects, name, id, prefix);
    const io = {
      read: () => this.#readLease(name, id),
      write: async (next: SnapshotLease) => {
        await this.#objects.put(prefix + LEASE_KEY, JSON.stringify(next));
      },
    };
    this.#keepers.set(pending, new LeaseKeeper(lease, io, this.#leaseMs, this.#now));
    return pending;
  }

  async commit(pending: PendingSnapshot, manifest: SnapshotManifest): Promise<void> {
    const keeper = this.#keeper(pending);
    await keeper.stop();
    const prefix = snapshotPrefix(pending.name, pending.id);
    if (manifest.name !== pending.name || manifest.id !== pending.id)
      throw new InternalError(
        `manifest of ${manifest.name}@${manifest.id} committed to ${pending.name}@${pending.id}`,
      );
    const current = await this.#readLease(pending.name, pending.id);
    if (keeper.lost || current?.owner !== keeper.lease.owner)
      throw new StoreError(
        'SNAPSHOT_LEASE_LOST',
        `snapshot ${pending.name}@${pending.id} was removed as abandoned`,
        {
          subject: { snapshot: `${pending.name}@${pending.id}` },
          hint: 'its lease lapsed (the process was suspended or the store unreachable for longer than the lease); create it again',
        },
      );
    await this.#objects.put(prefix + MANIFEST_KEY, serializeManifest(manifest));
    crashPoint('snapshot:before-latest');
    await this.#pointLatest(pending.name);
    await this.#objects.delete(prefix + LEASE_KEY);
    this.#keepers.delete(pending);
  }

  async abort(pending: PendingSnapshot): Promise<void> {
    await this.#keeper(pending).stop();
    this.#keepers.delete(pending);
    await this.#objects.deletePrefix(snapshotPrefix(pending.name, pending.id));
  }

  async names(): Promise<string[]> {
    const { prefixes } = await this.#objects.list('', { delimiter: '/' });
    return prefixes.map((p) => p.slice(0, -1)).filter((n) => SNAPSHOT_NAME.test(n));
  }

  async list(name?: string): Promise<SnapshotInfo[]> {
    const names = name === undefined ? await this.names() : [name];
    const out: SnapshotInfo[] = [];
    for (const n of names) {
      const latest = await this.latest(n);
      for (const id of (await this.#ids(n)).reverse()) out.push(await this.#info(n, id, latest));
    }
    return out;
  }

  async info(name: string, id: string): Promise<SnapshotInfo | null> {
    if (!SNAPSHOT_NAME.test(name) || !isSnapshotId(id)) return null;
    const { objects } = await this.#objects.list(snapshotPrefix(name, id));
    if (objects.length === 0) return null;
    return this.#info(name, id, await this.latest(name));
  }

  async #info(name: string, id: string, latest: string | null): Promise<SnapshotInfo> {
    const manifest = await this.#readManifest(name, id);
    const lease = manifest ? null : await this.#readLease(name, id);
    return {
      name,
      id,
      status: manifest ? 'complete' : 'incomplete',
      inProgress: lease !== null && leaseIsLive(lease, this.#now()),
      isLatest: manifest !== null && id === latest,
      manifest,
      lease,
    };
  }

  async resolve(ref: SnapshotRef): Promise<ResolvedSnapshot> {
    const id =
      ref.id === 'latest'
        ? await this.latest(ref.name)
        : isSnapshotDate(ref.id)
          ? snapshotOfDay(await this.list(ref.name), ref.name, ref.id)
          : ref.id;
    if (id === null) {
      throw new StoreError('SNAPSHOT_NOT_FOUND', `no complete snapshot named ${ref.name} in ${this.url}`, {
        subject: { snapshot: ref.name },
        hint: `create one with \`dbfork snapshot create --name ${ref.name}\`, or see what exists with \`dbfork snapshot list\``,
      });
    }
    const manifest =
      SNAPSHOT_NAME.test(ref.name) && isSnapshotId(id) ? await this.#readManifest(ref.name, id) : null;
    if (manifest === null) {
      throw new StoreError(
        'SNAPSHOT_NOT_FOUND',
        `snapshot ${ref.name}@${id} does not exist or is incomplete`,
        {
          subject: { snapshot: `${ref.name}@${id}` },
          hint: '`dbfork snapshot list` shows the complete ones',
        },
      );
    }
    return objectResolvedSnapshot(this.#objects, manifest, snapshotPrefix(ref.name, id));
  }

  async latest(name: string): Promise<string | null> {
    if (!SNAPSHOT_NAME.test(name)) return null;
    const id = (await this.#readText(latestKey(name)))?.trim() ?? '';
    return isSnapshotId(id) && (await this.#readManifest(name, id)) !== null ? id : null;
  }

  async delete(name: string, id: string): Promise<void> {
    checkName(name);
    if (!isSnapshotId(id)) throw new UsageError('SNAPSHOT_BAD_REF', `not a snapshot id: ${id}`);
    if (!(await this.#ids(name)).includes(id)) {
      throw new StoreError('SNAPSHOT_NOT_FOUND', `snapshot ${name}@${id} does not exist`, {
        subject: { snapshot: `${name}@${id}` },
      });
    }
    if ((await this.latest(name)) === id) {
      // move `latest` first, so it never names a snapshot being deleted
      const previous = (await this.list(name)).find((s) => s.status === 'complete' && s.id !== id);
      if (previous) await this.#objects.put(latestKey(name), previous.id + '\n');
      else await this.#objects.delete(latestKey(name));
    }
    // the manifest goes first: a crash halfway leaves an incomplete (ignored) snapshot, never a complete-looking one
    const prefix = snapshotPrefix(name, id);
    await this.#objects.delete(prefix + MANIFEST_KEY);
    await this.#objects.deletePrefix(prefix);
  }

  /** Ids of a name's snapshots, complete or not, oldest first. */
  /**
   * Point `latest` at the newest complete snapshot of `name` (ids sort by creation time), not merely at
   * the one that committed last: of two creates of one name at once, the one started later may finish
   * first. Checked again after the write, so two commits at once converge on the newer.
   */
  async #pointLatest(name: string): Promise<void> {
    const newest = await this.#newestComplete(name);
    if (newest === null) return;
    await this.#objects.put(latestKey(name), newest + '\n');
    const again = await this.#newestComplete(name);
    if (again !== null && again !== newest) await this.#objects.put(latestKey(name), again + '\n');
  }

  async #newestComplete(name: string): Promise<string | null> {
    for (const id of (await this.#ids(name)).sort().reverse()) {
      if ((await this.#objects.head(snapshotPrefix(name, id) + MANIFEST_KEY)) !== null) return id;
    }
    return null;
  }

  async #ids(name: string): Promise<string[]> {
    const { prefixes } = await this.#objects.list(`${name}/`, { delimiter: '/' });
    return prefixes.map((p) => p.slice(name.length + 1, -1)).filter((id) => isSnapshotId(id));
  }

  async #readManifest(name: string, id: string): Promise<SnapshotManifest | null> {
    const key = snapshotPrefix(name, id) + MANIFEST_KEY;
    const text = await this.#readText(key);
    return text === null ? null : parseManifest(text, `${name}@${id}`, this.#objects.locate(key));
  }

  async #readLease(name: string, id: string): Promise<SnapshotLease | null> {
    const text = await this.#readText(snapshotPrefix(name, id) + LEASE_KEY);
    return text === null ? null : parseLease(text);
  }

  /** An object's text, or null when it does not exist. */
  async #readText(key: string): Promise<string | null> {
    try {
      const parts: Buffer[] = [];
      for await (const chunk of await this.#objects.get(key)) parts.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(parts).toString('utf8');
    } catch (error) {
      if (isDbforkError(error) && error.code === 'STORE_OBJECT_NOT_FOUND') return null;
      throw error;
    }
  }

  /**
   * Remove the incomplete snapshots of a name whose writer is gone: the lease first, then the rest.
   * Two listings of the name's keys tell which snapshots have no manifest; only their leases are read.
   */
  async #removeAbandoned(name: string): Promise<void> {
    const now = this.#now();
    const { objects } = await this.#objects.list(`${name}/`);
    const complete = new Set(
      objects.flatMap(({ key }) => {
        const [id, rest] = key.slice(name.length + 1).split(/\/(.*)/s);
        return rest === MANIFEST_KEY ? [id] : [];
      }),
    );
    for (const id of await this.#ids(name)) {
      if (complete.has(id)) continue;
      const lease = await this.#readLease(name, id);
      if (lease !== null && leaseIsLive(lease, now)) continue;
      const prefix = snapshotPrefix(name, id);
      await this.#objects.delete(prefix + LEASE_KEY);
      await this.#objects.deletePrefix(prefix);
    }
  }

  #keeper(pending: PendingSnapshot): LeaseKeeper {
    const keeper = this.#keepers.get(pending);
    if (!keeper)
      throw new InternalError(
        `snapshot ${pending.name}@${pending.id} was not begun here, or is already finished`,
      );
    return keeper;
  }
}

function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new UsageError('SNAPSHOT_BAD_NAME', `not a valid snapshot name: ${name}`, {
      hint: 'names use letters, digits, _ . - and start with a letter or digit; `audit` is reserved for the audit trail',
    });
  }
}
