import { open, readdir, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { isTempFileName, writeFileAtomic } from '../../core/atomic-file.js';
import { StoreError } from '../../errors/index.js';
import { assertKeyPrefix, assertObjectKey, compareKeys } from '../object-key.js';
import type { ListOptions, ObjectBody, ObjectInfo } from '../object-store.js';
import type { ObjectListing, ObjectStore, PutOptions } from '../object-store.js';
import { fsFailure } from './fs-failure.js';

/**
 * An {@link ObjectStore} in a local folder: key `a/b/c` is the file `<root>/a/b/c`. Puts go through
 * {@link writeFileAtomic} (temporary file, fsync, rename, fsync folder), so files with their final
 * name are always whole; `ifAbsent` hard-links instead of renaming. Folders are created 0700 and
 * files 0600; folders left empty by a delete are removed (never the root). Temporary
 * `.dbfork-tmp-*` files are not listed, and `deletePrefix` removes them with their folder.
 */
export class FsObjectStore implements ObjectStore {
  readonly url: string;
  readonly conditionalPut = true;
  readonly #root: string;

  /** @param root absolute path of the store's folder (created on the first put) */
  constructor(root: string) {
    this.#root = root;
    this.url = `file://${root}`;
  }

  locate(key: string): string {
    return join(this.#root, ...key.split('/'));
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const path = this.#path(key);
    const bodyErrors = new WeakSet<object>();
    const tracked = typeof body === 'string' || body instanceof Uint8Array ? body : track(body, bodyErrors);
    try {
      const size = await writeFileAtomic(path, tracked, { exclusive: options.ifAbsent === true });
      return { key, size, modifiedAt: new Date() };
    } catch (error) {
      await this.#pruneEmpty(dirname(path));
      if (typeof error === 'object' && error !== null && bodyErrors.has(error)) throw error;
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && options.ifAbsent)
        throw new StoreError('STORE_PRECONDITION_FAILED', `${key} already exists in ${this.url}`, {
          subject: { key },
        });
      throw fsFailure('STORE_WRITE_FAILED', `cannot write ${key} in ${this.url}`, key, error);
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.#path(key);
    // open first, so a missing file fails here rather than in the middle of a stream
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw this.#readFailure(key, error);
    });
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw this.#readFailure(key, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
    }
    return handle.createReadStream({ highWaterMark: 256 * 1024 });
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const info = await stat(this.#path(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : null;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectListing> {
    assertKeyPrefix(prefix);
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    const walk = async (folderKey: string): Promise<void> => {
      const dir = folderKey === '' ? this.#root : join(this.#root, ...folderKey.split('/'));
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return [];
        throw fsFailure(
          'STORE_READ_FAILED',
          `cannot list ${folderKey || '/'} in ${this.url}`,
          folderKey,
          error,
        );
      });
      for (const entry of entries) {
        const key = folderKey + entry.name;
        if (entry.isDirectory()) {
          const sub = key + '/';
          if (!sub.startsWith(prefix) && !prefix.startsWith(sub)) continue;
          if (options.delimiter && sub.startsWith(prefix) && sub.length > prefix.length) {
            prefixes.push(sub);
          } else await walk(sub);
        } else if (entry.isFile() && !isTempFileName(entry.name) && key.startsWith(prefix)) {
          const info = await stat(join(dir, entry.name)).catch(() => undefined);
          if (info) objects.push({ key, size: info.size, modifiedAt: info.mtime });
        }
      }
    };
    await walk(base);
    return {
      objects: objects.sort((a, b) => compareKeys(a.key, b.key)),
      prefixes: prefixes.sort(compareKeys),
    };
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw fsFailure('STORE_WRITE_FAILED', `cannot delete ${key} in ${this.url}`, key, error);
    }
    await this.#pruneEmpty(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    if (!prefix.endsWith('/'))
      throw new StoreError('STORE_BAD_KEY', `a prefix to delete must end in /: ${prefix}`, {
        subject: { key: prefix },
      });
    const dir = join(this.#root, ...prefix.slice(0, -1).split('/'));
    await rm(dir, { recursive: true, force: true }).catch((error: unknown) => {
      throw fsFailure('STORE_WRITE_FAILED', `cannot delete ${prefix} in ${this.url}`, prefix, error);
    });
    await this.#pruneEmpty(dirname(dir));
  }

  #path(key: string): string {
    assertObjectKey(key);
    return join(this.#root, ...key.split('/'));
  }

  #readFailure(key: string, error: unknown): StoreError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR')
      return new StoreError('STORE_OBJECT_NOT_FOUND', `${key} does not exist in ${this.url}`, {
        subject: { key },
      });
    return fsFailure('STORE_READ_FAILED', `cannot read ${key} in ${this.url}`, key, error);
  }

  /** Remove `dir` and its parents while they are empty, up to (not including) the root. */
  async #pruneEmpty(dir: string): Promise<void> {
    for (let d = dir; d.startsWith(this.#root + sep); d = dirname(d)) {
      if (
        !(await rmdir(d).then(
          () => true,
          () => false,
        ))
      )
        return;
    }
  }
}

/** Pass a body through, remembering the errors it throws (they are the caller's, not the store's). */
async function* track(body: AsyncIterable<Uint8Array>, errors: WeakSet<object>): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    if (typeof error === 'object' && error !== null) errors.add(error);
    throw error;
  }
}
