import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket } from '@google-cloud/storage';
import { StoreError } from '../../errors/index.js';
import { assertKeyPrefix, assertObjectKey } from '../object-key.js';
import { assertDeletablePrefix, collectListing, objectNotFound, putRemote } from '../remote-objects.js';
import type { ListOptions, ObjectBody, ObjectInfo } from '../object-store.js';
import type { ObjectListing, ObjectStore, PutOptions } from '../object-store.js';

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
    return putRemote(this, key, body, {
      send: async (bytes) => {
        if (bytes instanceof Uint8Array)
          await file.save(Buffer.from(bytes), { resumable: false, ...preconditionOpts });
        else
          await pipeline(
            Readable.from(bytes),
            file.createWriteStream({ resumable: true, ...preconditionOpts }),
          );
      },
      isPreconditionFailure: (error) => statusOf(error) === 412,
      failure: (error) => gcsFailure('STORE_WRITE_FAILED', `cannot write ${key} in ${this.url}`, key, error),
    });
  }

  async get(key: string): Promise<Readable> {
    if (!(await this.head(key))) throw objectNotFound(key, this.url);
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
    return collectListing(
      base,
      async (pageToken) => {
        const [files, next, response] = await this.#o.bucket.getFiles({
          prefix: base + prefix,
          autoPaginate: false,
          ...(options.delimiter ? { delimiter: '/' } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
        return {
          objects: files.map((f) => ({
            key: f.name,
            size: Number(f.metadata.size ?? 0),
            modifiedAt: new Date(String(f.metadata.updated ?? 0)),
          })),
          prefixes: (response as { prefixes?: string[] } | undefined)?.prefixes ?? [],
          next: (next as { pageToken?: string } | null)?.pageToken,
        };
      },
      (error) =>
        gcsFailure('STORE_READ_FAILED', `cannot list ${prefix || '/'} in ${this.url}`, prefix, error),
    );
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.#o.bucket.file(this.#full(key)).delete({ ignoreNotFound: true });
    } catch (error) {
      throw gcsFailure('STORE_WRITE_FAILED', `cannot delete ${key} in ${this.url}`, key, error);
    }
  }

  /**
   * A V4 signed GET URL of one object, valid for `expiresInSeconds`. Signing needs a service account
   * key (`GOOGLE_APPLICATION_CREDENTIALS`) or `iam.serviceAccounts.signBlob` on the identity in use.
   */
  async signedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertObjectKey(key);
    try {
      const [url] = await this.#o.bucket.file(this.#full(key)).getSignedUrl({
        version: 'v4',
        action: 'read',
        expires: Date.now() + expiresInSeconds * 1000,
      });
      return url;
    } catch (error) {
      throw gcsFailure('STORE_READ_FAILED', `cannot sign a URL for ${key} in ${this.url}`, key, error);
    }
  }

  /**
   * Remove every object under `prefix`: each generation the bucket holds there (live and, on a bucket
   * with object versioning, noncurrent ones), deleted by its generation number so that nothing stays
   * behind as a noncurrent version.
   */
  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    assertDeletablePrefix(prefix);
    const bucket = this.#o.bucket;
    try {
      const [files] = await bucket.getFiles({ prefix: this.#full(prefix), versions: true });
      for (const f of files)
        await bucket
          .file(f.name, { generation: Number(f.metadata.generation) })
          .delete({ ignoreNotFound: true });
    } catch (error) {
      throw gcsFailure('STORE_WRITE_FAILED', `cannot delete ${prefix} in ${this.url}`, prefix, error);
    }
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
