import { CodecChain } from '../codec/codec-chain.js';
import type { CodecKeys } from '../codec/codec-keys.js';
import type { ResolvedSnapshot } from '../store/snapshot-catalog.js';

/**
 * Check, before a restore reaches its target, that `keys` can open an encrypted snapshot: read the
 * age header of its first stored object and the first payload chunk (at most 64 KiB of plaintext,
 * discarded), then close the object. A snapshot that is not encrypted is not read.
 *
 * @throws UsageError `DECRYPTION_IDENTITY_REQUIRED` without identities; StoreError
 *   `DECRYPTION_WRONG_IDENTITY` when none matches a recipient, `DECRYPTION_FAILED` when the header or the
 *   first chunk does not authenticate
 */
export async function checkIdentity(snapshot: ResolvedSnapshot, keys: CodecKeys): Promise<void> {
  const { codecs, objects, format, dataPath } = snapshot.manifest;
  if (!codecs.includes('age')) return;
  const key = objects?.[0]?.key ?? (format === 'archive' ? dataPath : undefined);
  if (key === undefined) return;
  // only the outermost codec: the header and the first chunk are all that is needed
  const decoded = new CodecChain(['age'], keys).decode(await snapshot.open(key), snapshot.locate(key));
  const iterator = decoded[Symbol.asyncIterator]();
  try {
    await iterator.next();
  } finally {
    await iterator.return?.();
  }
}
