import { isDbforkError } from '../errors/index.js';
import type { ObjectStore } from './object-store.js';

/**
 * A small object's text (a marker, a record), or null when it does not exist.
 * @throws StoreError `STORE_READ_FAILED` when it exists but cannot be read
 */
export async function readObjectText(store: ObjectStore, key: string): Promise<string | null> {
  try {
    const parts: Buffer[] = [];
    for await (const chunk of await store.get(key)) parts.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(parts).toString('utf8');
  } catch (error) {
    if (isDbforkError(error) && error.code === 'STORE_OBJECT_NOT_FOUND') return null;
    throw error;
  }
}

/** A small JSON object, or null when it does not exist or is not JSON. */
export async function readObjectJson(store: ObjectStore, key: string): Promise<unknown> {
  const text = await readObjectText(store, key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
