import { digestOf } from '../codec/object-digest.js';
import type { ResolvedSnapshot } from '../store/snapshot-catalog.js';

/** One stored object checked against the manifest's record of it. */
export interface VerifiedObject {
  readonly key: string;
  readonly bytes: number;
  readonly expectedBytes: number;
  readonly sha256: 'ok' | 'mismatch' | 'missing';
}

/**
 * Re-hash every stored object the manifest lists (`objects`: size and SHA-256 of the bytes as
 * stored), without decoding them: this checks an encrypted snapshot's ciphertext without its
 * identity. Objects are read one at a time, with backpressure. An empty list when the manifest
 * predates the record.
 *
 * @throws StoreError when an object cannot be read for another reason than its absence
 */
export async function verifyStoredObjects(snapshot: ResolvedSnapshot): Promise<VerifiedObject[]> {
  const results: VerifiedObject[] = [];
  const present = new Set(await snapshot.keys(''));
  for (const expected of snapshot.manifest.objects ?? []) {
    if (!present.has(expected.key)) {
      results.push({ key: expected.key, bytes: 0, expectedBytes: expected.bytes, sha256: 'missing' });
      continue;
    }
    const actual = await digestOf(expected.key, await snapshot.open(expected.key));
    const same = actual.sha256 === expected.sha256 && actual.bytes === expected.bytes;
    results.push({
      key: expected.key,
      bytes: actual.bytes,
      expectedBytes: expected.bytes,
      sha256: same ? 'ok' : 'mismatch',
    });
  }
  return results;
}
