import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket } from '@google-cloud/storage';
import { StoreError } from '../../errors/index.js';
import { assertKeyPrefix, assertObjectKey, compareKeys } from '../object-key.js';
import type {
  ListOptions,
  ObjectBody,
  ObjectInfo,
  ObjectListing,
  ObjectStore,
  PutOptions,
} from '../object-store.js';

export interface GcsObjectStoreOptions {
  /** The bucket handle (its client carries credentials and the endpoint). */
  readonly bucket: Bucket;
  /** Key prefix inside the bucket, without leading or trailing `/` (`""` for the whole bucket). */
  readonly prefix: string;
}

/** What the library's errors carry: the HTTP status. */
const statusOf = (error: unknown): number | undefined =>
  (error as { code?: unknown } | null)?.code as number | undefined;

/**
 * An {@link ObjectStore} in a Google Cloud Storage bucket under a prefix (`gs://bucket/prefix`), through
 * `@google-cloud/storage`. Streamed bodies use resumable uploads, which GCS finalizes only when the
 * last byte arrives, so a failed body leaves no object; whole bodies are single requests. `ifAbsent`
 * is the generation precondition `ifGenerationMatch: 0`. Objects get no ACL of their own.
 */
export class GcsObjectStore implements ObjectStore {
  readonly url: string;
  readonly conditionalPut = true;
  readonly #o: GcsObjectStoreOptions;

  constructor(options: GcsObjectStoreOptions) {
    this.#o = Object.freeze({ ...options });
    this.url = `gs://${options.bucket.name}${options.prefix ? `/${options.prefix}` : ''}`;
  }

  locate(key: string): string {
    return `${this.url}/${key}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    assertObjectKey(key);
    const file = this.#o.bucket.file(this.#full(key));
    const preconditionOpts = options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {};
    let bodyError: { error: unknown } | undefined;
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        await file.save(typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body), {
          resumable: false,
          ...preconditionOpts,
        });
      } else {
        const source = Readable.from(watch(body, (error) => (bodyError = { error })));
        await pipeline(source, file.createWriteStream({ resumable: true, ...preconditionOpts }));
      }
    } catch (error) {
      if (bodyError) throw bodyError.error;
      if (statusOf(error) === 412)
        throw new StoreError('STORE_PRECONDITION_FAILED', `${key} already exists in ${this.url}`, {
          subject: { key },
          cause: error,
        });
      throw gcsFailure('STORE_WRITE_FAILED', `cannot write ${key} in ${this.url}`, key, error);
    }
    const info = await this.head(key);
    if (!info)
      throw new StoreError(
        'STORE_WRITE_FAILED',
        `${key} is missing from ${this.url} right after its upload`,
        { subject: { key } },
      );
    return info;
  }

  async get(key: string): Promise<Readable> {
    if (!(await this.head(key)))
      throw new StoreError('STORE_OBJECT_NOT_FOUND', `${key} does not exist in ${this.url}`, {
        subject: { key },
      });
    return this.#o.bucket.file(this.#full(key)).createReadStream({ validation: 'crc32c' });
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    try {
      const [meta] = await this.#o.bucket.file(this.#full(key)).getMetadata();
      return { key, size: Number(meta.size ?? 0), modifiedAt: new Date(String(meta.updated ?? 0)) };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw gcsFailure('STORE_READ_FAILED', `cannot look up ${key} in ${this.url}`, key, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectListing> {
    assertKeyPrefix(prefix);
    const base = this.#full('');
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    let pageToken: string | undefined;
    try {
      do {
        const [files, next, response] = await this.#o.bucket.getFiles({
          prefix: base + prefix,
          autoPaginate: false,
          ...(options.delimiter ? { delimiter: '/' } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
        for (const f of files)
          objects.push({
            key: f.name.slice(base.length),
            size: Number(f.metadata.size ?? 0),
            modifiedAt: new Date(String(f.metadata.updated ?? 0)),
          });
        for (const p of (response as { prefixes?: string[] } | undefined)?.prefixes ?? [])
          prefixes.push(p.slice(base.length));
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
    } catch (error) {
      throw gcsFailure('STORE_READ_FAILED', `cannot list ${prefix || '/'} in ${this.url}`, prefix, error);
    }
    return {
      objects: objects.sort((a, b) => compareKeys(a.key, b.key)),
      prefixes: prefixes.sort(compareKeys),
    };
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.#o.bucket.file(this.#full(key)).delete({ ignoreNotFound: true });
    } catch (error) {
      throw gcsFailure('STORE_WRITE_FAILED', `cannot delete ${key} in ${this.url}`, key, error);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    if (!prefix.endsWith('/'))
      throw new StoreError('STORE_BAD_KEY', `a prefix to delete ends in /: ${prefix}`, {
        subject: { key: prefix },
      });
    for (const o of (await this.list(prefix)).objects) await this.delete(o.key);
  }

  #full(key: string): string {
    return this.#o.prefix ? `${this.#o.prefix}/${key}` : key;
  }
}

function gcsFailure(code: string, message: string, key: string, error: unknown): StoreError {
  const status = statusOf(error);
  const retryable = status === undefined || status >= 500 || status === 429;
  return new StoreError(code, `${message}: ${(error as Error).message}${status ? ` (HTTP ${status})` : ''}`, {
    subject: { key },
    cause: error,
    ...(status === 403
      ? {
          hint: 'the credentials may not use this bucket: check storage.objects.create, get, list and delete',
        }
      : {}),
    ...(retryable ? { labels: ['retryable'] } : {}),
  });
}

/** Pass a body through, telling `onError` what its iteration threw (then rethrowing it). */
async function* watch(
  body: AsyncIterable<Uint8Array>,
  onError: (error: unknown) => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    onError(error);
    throw error;
  }
}
