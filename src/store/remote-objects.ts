import { StoreError } from '../errors/index.js';
import { compareKeys } from './object-key.js';
import type { ObjectBody, ObjectInfo, ObjectListing } from './object-store.js';

/** How a remote backend sends one object and reads its failures. */
export interface RemoteSend {
  /** Upload the bytes: a whole buffer in one request, a stream in parts or resumably. */
  send(body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** True when the backend refused a create-only put because the object exists. */
  isPreconditionFailure(error: unknown): boolean;
  /** The backend's failure as a StoreError. */
  failure(error: unknown): StoreError;
}

/**
 * The put of a remote object store (S3, GCS), where the backend makes the object visible only when
 * its upload completes: send the body, tell the body's own errors (passed on as they are) from the
 * backend's (`STORE_PRECONDITION_FAILED` for an existing object under `ifAbsent`, else `failure`),
 * then head the object for its info.
 *
 * @throws StoreError `STORE_PRECONDITION_FAILED`, `STORE_WRITE_FAILED`; the body's own errors
 */
export async function putRemote(
  store: { readonly url: string; head(key: string): Promise<ObjectInfo | null> },
  key: string,
  body: ObjectBody,
  backend: RemoteSend,
): Promise<ObjectInfo> {
  let bodyError: { error: unknown } | undefined;
  try {
    if (typeof body === 'string') await backend.send(Buffer.from(body, 'utf8'));
    else if (body instanceof Uint8Array) await backend.send(body);
    else await backend.send(watch(body, (error) => (bodyError = { error })));
  } catch (error) {
    if (bodyError) throw bodyError.error;
    if (backend.isPreconditionFailure(error))
      throw new StoreError('STORE_PRECONDITION_FAILED', `${key} already exists in ${store.url}`, {
        subject: { key },
        cause: error,
      });
    throw backend.failure(error);
  }
  const info = await store.head(key);
  if (!info)
    throw new StoreError('STORE_WRITE_FAILED', `${key} is missing from ${store.url} right after its upload`, {
      subject: { key },
    });
  return info;
}

/** One page of a remote listing, keys in the bucket's terms (with the store's prefix). */
export interface RemotePage {
  readonly objects: readonly ObjectInfo[];
  readonly prefixes: readonly string[];
  /** The token of the next page, or undefined on the last one. */
  readonly next: string | undefined;
}

/**
 * Walk a paged listing to its end and return it in the store's terms: keys and common prefixes
 * with the store's own prefix (`base`) cut off, sorted by key.
 * @throws the StoreError `failure` makes of a backend error
 */
export async function collectListing(
  base: string,
  fetchPage: (token: string | undefined) => Promise<RemotePage>,
  failure: (error: unknown) => StoreError,
): Promise<ObjectListing> {
  const objects: ObjectInfo[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await fetchPage(token);
      for (const o of page.objects) objects.push({ ...o, key: o.key.slice(base.length) });
      for (const p of page.prefixes) prefixes.push(p.slice(base.length));
      token = page.next;
    } while (token);
  } catch (error) {
    throw failure(error);
  }
  return { objects: objects.sort((a, b) => compareKeys(a.key, b.key)), prefixes: prefixes.sort(compareKeys) };
}

/** `STORE_OBJECT_NOT_FOUND` for a key of a store. */
export function objectNotFound(key: string, url: string, cause?: unknown): StoreError {
  return new StoreError('STORE_OBJECT_NOT_FOUND', `${key} does not exist in ${url}`, {
    subject: { key },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Check the prefix of a `deletePrefix`: it ends in `/`, so a prefix never removes its siblings.
 * @throws StoreError `STORE_BAD_KEY`
 */
export function assertDeletablePrefix(prefix: string): void {
  if (!prefix.endsWith('/'))
    throw new StoreError('STORE_BAD_KEY', `a prefix to delete ends in /: ${prefix}`, {
      subject: { key: prefix },
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
