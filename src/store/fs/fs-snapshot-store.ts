import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crashPoint } from '../../core/crash-point.js';
import { StoreError, UsageError } from '../../errors/index.js';
import { writeFileAtomic } from '../atomic-write.js';
import { isSnapshotId, newSnapshotId, SNAPSHOT_NAME } from '../snapshot-id.js';
import { MANIFEST_FILE, manifestSchema, type SnapshotManifest } from '../snapshot-manifest.js';
import type { SnapshotRef } from '../snapshot-ref.js';
import type { PendingSnapshot, ResolvedSnapshot, SnapshotInfo, SnapshotStore } from '../snapshot-store.js';

const LATEST_FILE = 'latest';
const LOCK_FILE = '.lock';

/**
 * The filesystem snapshot store (`file:///path`, default `~/.dbfork/snapshots`).
 * Layout: `<root>/<name>/<id>/{data…, manifest.json, .lock}` and `<root>/<name>/latest` (the id).
 * Folders are 0700 and files 0600. A snapshot is complete only when `manifest.json` exists; the
 * manifest is written with write-temp/fsync/rename, and `latest` the same way, after it.
 */
export class FsSnapshotStore implements SnapshotStore {
  readonly url: string;
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
    this.url = `file://${root}`;
  }

  async begin(name: string): Promise<PendingSnapshot> {
    checkName(name);
    const nameDir = join(this.#root, name);
    await mkdir(nameDir, { recursive: true, mode: 0o700 });
    await this.#removeAbandoned(name);
    const id = newSnapshotId();
    const dir = join(nameDir, id);
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname() }), {
      mode: 0o600,
    });
    return { name, id, dir };
  }

  async commit(pending: PendingSnapshot, manifest: SnapshotManifest): Promise<void> {
    manifestSchema.parse(manifest);
    await writeFileAtomic(join(pending.dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    crashPoint('snapshot:before-latest');
    await writeFileAtomic(join(this.#root, pending.name, LATEST_FILE), pending.id + '\n');
    await unlink(join(pending.dir, LOCK_FILE)).catch(() => undefined);
  }

  async abort(pending: PendingSnapshot): Promise<void> {
    await rm(pending.dir, { recursive: true, force: true });
  }

  async names(): Promise<string[]> {
    const entries = await readdir(this.#root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && SNAPSHOT_NAME.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  async list(name?: string): Promise<SnapshotInfo[]> {
    const names = name === undefined ? await this.names() : [name];
    const out: SnapshotInfo[] = [];
    for (const n of names) {
      const latest = await this.latest(n);
      for (const id of (await this.#ids(n)).reverse()) {
        const manifest = await this.#readManifest(n, id);
        out.push({
          name: n,
          id,
          status: manifest ? 'complete' : 'incomplete',
          inProgress: manifest ? false : await this.#lockAlive(n, id),
          isLatest: manifest !== null && id === latest,
          manifest,
        });
      }
    }
    return out;
  }

  async resolve(ref: SnapshotRef): Promise<ResolvedSnapshot> {
    const id = ref.id === 'latest' ? await this.latest(ref.name) : ref.id;
    if (id === null) {
      throw new StoreError('SNAPSHOT_NOT_FOUND', `no complete snapshot named ${ref.name} in ${this.url}`, {
        subject: { snapshot: ref.name },
        hint: `create one with \`dbfork snapshot create --name ${ref.name}\`, or see what exists with \`dbfork snapshot list\``,
      });
    }
    const manifest = isSnapshotId(id) ? await this.#readManifest(ref.name, id) : null;
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
    const dir = join(this.#root, ref.name, id);
    return { manifest, dir, dataPath: join(dir, manifest.dataPath) };
  }

  async latest(name: string): Promise<string | null> {
    try {
      const id = (await readFile(join(this.#root, name, LATEST_FILE), 'utf8')).trim();
      return isSnapshotId(id) && (await this.#readManifest(name, id)) !== null ? id : null;
    } catch {
      return null;
    }
  }

  async delete(name: string, id: string): Promise<void> {
    checkName(name);
    if (!isSnapshotId(id)) throw new UsageError('SNAPSHOT_BAD_REF', `not a snapshot id: ${id}`);
    const dir = join(this.#root, name, id);
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (!exists) {
      throw new StoreError('SNAPSHOT_NOT_FOUND', `snapshot ${name}@${id} does not exist`, {
        subject: { snapshot: `${name}@${id}` },
      });
    }
    if ((await this.latest(name)) === id) {
      // Move `latest` first, so it never names a folder being deleted.
      const previous = (await this.list(name)).find((s) => s.status === 'complete' && s.id !== id);
      const pointer = join(this.#root, name, LATEST_FILE);
      if (previous) await writeFileAtomic(pointer, previous.id + '\n');
      else await unlink(pointer).catch(() => undefined);
    }
    // The manifest goes first: a crash halfway leaves an incomplete (ignored) folder, never a complete-looking one.
    await unlink(join(dir, MANIFEST_FILE)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }

  async #ids(name: string): Promise<string[]> {
    const entries = await readdir(join(this.#root, name), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && isSnapshotId(e.name))
      .map((e) => e.name)
      .sort();
  }

  async #readManifest(name: string, id: string): Promise<SnapshotManifest | null> {
    const file = join(this.#root, name, id, MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new StoreError('SNAPSHOT_BAD_MANIFEST', `the manifest of ${name}@${id} is invalid`, {
        subject: { file },
        hint: 'it was written by an incompatible dbfork version or edited by hand; delete the snapshot',
      });
    }
    return parsed.data;
  }

  /** True when the process that began this snapshot is still alive (same host). */
  async #lockAlive(name: string, id: string): Promise<boolean> {
    try {
      const lock = JSON.parse(await readFile(join(this.#root, name, id, LOCK_FILE), 'utf8')) as {
        pid: number;
        host: string;
      };
      if (lock.host !== hostname()) return true; // cannot tell from here: assume it is being written
      process.kill(lock.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Remove partial snapshots of a name whose writer is gone (killed captures). */
  async #removeAbandoned(name: string): Promise<void> {
    for (const id of await this.#ids(name)) {
      if ((await this.#readManifest(name, id)) === null && !(await this.#lockAlive(name, id))) {
        await rm(join(this.#root, name, id), { recursive: true, force: true });
      }
    }
  }
}

function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new UsageError('SNAPSHOT_BAD_NAME', `not a valid snapshot name: ${name}`, {
      hint: 'names use letters, digits, _ . - and start with a letter or digit',
    });
  }
}
