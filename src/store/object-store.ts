import type { Readable } from 'node:stream';

/** Bytes to store: whole, or a stream pulled with backpressure (a Node Readable is one). */
export type ObjectBody = string | Uint8Array | AsyncIterable<Uint8Array>;

/** What a store knows of one object. */
export interface ObjectInfo {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** When the object was last written. */
  readonly modifiedAt: Date;
}

export interface PutOptions {
  /**
   * Create only: fail with `STORE_PRECONDITION_FAILED` when the key exists, atomically with respect
   * to other writers. Only for stores whose {@link ObjectStore.conditionalPut} is true.
   */
  readonly ifAbsent?: boolean;
}

export interface ListOptions {
  /**
   * Group keys at the next `/` after the prefix, as S3's delimiter does: keys directly under the
   * prefix come back as objects, deeper ones only as their common prefix (ending in `/`).
   * Without it, every key under the prefix is listed.
   */
  readonly delimiter?: '/';
}

/** A listing: objects sorted by key; common prefixes (with `delimiter`) sorted, each ending in `/`. */
export interface ObjectListing {
  readonly objects: ObjectInfo[];
  readonly prefixes: string[];
}

/**
 * A flat byte store of keyed objects: a folder, a bucket, memory. Keys are `/`-separated relative
 * paths (see `object-key.ts`). The guarantees every implementation keeps, and that
 * `objectStoreContract` checks:
 *
 * - `put` is atomic: the object appears whole when `put` resolves and not at all if it fails
 *   (the body's error, a full disk); a reader never sees a partial object. It replaces an existing
 *   object unless `ifAbsent`.
 * - A streamed body is pulled at the store's pace and a `get` stream is produced at the reader's
 *   pace: memory does not grow with the object's size.
 * - `delete` of a missing key is not an error; `deletePrefix` removes every object under a prefix,
 *   and any partial upload there (a temporary file, an unfinished multipart upload).
 */
export interface ObjectStore {
  /** The store's URL, for messages (never with credentials). */
  readonly url: string;
  /** Where a key lives, for messages only (a path for a folder, a URL otherwise). */
  locate(key: string): string;
  /** Whether `put(…, { ifAbsent: true })` is supported. */
  readonly conditionalPut: boolean;
  /**
   * Store an object.
   * @throws StoreError `STORE_PRECONDITION_FAILED` (ifAbsent and it exists), `STORE_UNSUPPORTED`
   *   (ifAbsent without conditionalPut), `STORE_WRITE_FAILED`; the body's own errors as they are
   */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;
  /**
   * Read an object as a stream.
   * @throws StoreError `STORE_OBJECT_NOT_FOUND`, `STORE_READ_FAILED` when it cannot be opened; the
   *   stream itself fails with the backend's error
   */
  get(key: string): Promise<Readable>;
  /** An object's info, or null when it does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Objects whose key starts with `prefix` (`""` for all). */
  list(prefix: string, options?: ListOptions): Promise<ObjectListing>;
  /** Remove an object; nothing happens when it does not exist. */
  delete(key: string): Promise<void>;
  /** Remove every object under `prefix`, which must end in `/`. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A URL that lets anyone holding it GET one object, and nothing else, until it expires (S3
   * presigned, GCS signed URL v4): present only on stores that can sign. Nothing is made public.
   * @param expiresInSeconds 1 … 604 800 (7 days, the SigV4 and V4 signing limit)
   * @throws StoreError `STORE_READ_FAILED` when the URL cannot be signed (no signing credentials)
   */
  signedGetUrl?(key: string, expiresInSeconds: number): Promise<string>;
}

/** The longest a signed URL may live: 7 days, the limit of SigV4 (S3) and V4 signing (GCS). */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;
