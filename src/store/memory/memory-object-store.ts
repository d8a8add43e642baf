import { Readable } from 'node:stream';
import { StoreError } from '../../errors/index.js';
import { assertKeyPrefix, assertObjectKey, compareKeys } from '../object-key.js';
import type { ListOptions, ObjectBody, ObjectInfo } from '../object-store.js';
import type { ObjectListing, ObjectStore, PutOptions } from '../object-store.js';

interface StoredObject {
  readonly chunks: readonly Buffer[];
  readonly info: ObjectInfo;
}

/**
 * An {@link ObjectStore} in process memory (`memory://<label>`), for tests and for embedding: the
 * reference implementation of the contract, with nothing durable. A put collects the body's chunks
 * (copied) and publishes the object only when the body has ended, so a failed put leaves nothing;
 * `get` streams the stored chunks at the reader's pace.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly url: string;
  readonly conditionalPut = true;
  readonly #objects = new Map<string, StoredObject>();

  /** @param label names the store in its URL, `memory://<label>` */
  constructor(label = 'default') {
    this.url = `memory://${label}`;
  }

  locate(key: string): string {
    return `${this.url}/${key}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    assertObjectKey(key);
    const chunks: Buffer[] = [];
    if (typeof body === 'string') chunks.push(Buffer.from(body, 'utf8'));
    else if (body instanceof Uint8Array) chunks.push(Buffer.from(body));
    else for await (const chunk of body) chunks.push(Buffer.from(chunk));
    // checked after the body, as a backend checks at completion: the first writer to finish wins
    if (options.ifAbsent && this.#objects.has(key))
      throw new StoreError('STORE_PRECONDITION_FAILED', `${key} already exists in ${this.url}`, {
        subject: { key },
      });
    const info = { key, size: chunks.reduce((n, c) => n + c.length, 0), modifiedAt: new Date() };
    this.#objects.set(key, { chunks, info });
    return info;
  }

  async get(key: string): Promise<Readable> {
    assertObjectKey(key);
    const object = this.#objects.get(key);
    if (!object)
      throw new StoreError('STORE_OBJECT_NOT_FOUND', `${key} does not exist in ${this.url}`, {
        subject: { key },
      });
    return Readable.from(object.chunks, { objectMode: false });
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    return this.#objects.get(key)?.info ?? null;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectListing> {
    assertKeyPrefix(prefix);
    const objects: ObjectInfo[] = [];
    const prefixes = new Set<string>();
    for (const [key, object] of this.#objects) {
      if (!key.startsWith(prefix)) continue;
      const slash = options.delimiter ? key.indexOf('/', prefix.length) : -1;
      if (slash >= 0) prefixes.add(key.slice(0, slash + 1));
      else objects.push(object.info);
    }
    return {
      objects: objects.sort((a, b) => compareKeys(a.key, b.key)),
      prefixes: [...prefixes].sort(compareKeys),
    };
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    this.#objects.delete(key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    if (!prefix.endsWith('/'))
      throw new StoreError('STORE_BAD_KEY', `a prefix to delete must end in /: ${prefix}`, {
        subject: { key: prefix },
      });
    for (const key of [...this.#objects.keys()]) if (key.startsWith(prefix)) this.#objects.delete(key);
  }
}
