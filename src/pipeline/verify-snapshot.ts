import { DocumentTally } from '../archive/document-tally.js';
import { formatNamespace } from '../core/namespace.js';
import type { SnapshotCatalog } from '../store/snapshot-catalog.js';
import type { SnapshotRef } from '../store/snapshot-ref.js';
import { NO_KEYS, type CodecKeys } from '../codec/codec-keys.js';
import { readSnapshotData } from './read-snapshot-data.js';
import { verifyStoredObjects, type VerifiedObject } from './verify-stored-objects.js';

/** One collection's verification: what the manifest says against what the data holds. */
export interface VerifiedCollection {
  readonly namespace: string;
  readonly expectedDocuments: number;
  readonly documents: number;
  readonly sha256: 'ok' | 'mismatch';
  readonly crc64: 'ok' | 'mismatch';
  readonly ok: boolean;
}

export interface VerifyResult {
  readonly snapshot: string;
  readonly ok: boolean;
  readonly collections: VerifiedCollection[];
  /** Namespaces in the data that the manifest does not list. */
  readonly unexpected: string[];
  /** Stored (ciphertext) objects checked, for an encrypted snapshot; empty otherwise. */
  readonly objects: VerifiedObject[];
  /**
   * Whether the documents were decoded and checked: false for an encrypted snapshot verified
   * without an identity, or whose stored objects failed their check (then only `objects` were checked).
   */
  readonly plaintextChecked: boolean;
}

/**
 * Re-read a snapshot's data and recompute, per collection, the document count, SHA-256 and
 * CRC-64/XZ of the document bytes; compare them with the manifest. The archive reader also checks
 * each namespace's CRC against the archive's own EOF header while reading. An encrypted snapshot
 * has its stored objects' SHA-256 checked first (no identity needed); with `keys.identities` its
 * documents are then decrypted and checked too, unless the ciphertext already failed its check.
 *
 * @throws StoreError when the snapshot does not exist, `DECRYPTION_WRONG_IDENTITY` /
 *   `DECRYPTION_FAILED` when given identities cannot open it; ArchiveError when the data cannot be parsed
 */
export async function verifySnapshot(
  store: SnapshotCatalog,
  ref: SnapshotRef,
  keys: CodecKeys = NO_KEYS,
  checks: { readonly objcheck?: boolean } = {},
): Promise<VerifyResult> {
  const snapshot = await store.resolve(ref);
  const { manifest } = snapshot;
  const encrypted = manifest.codecs.includes('age');
  const objects = encrypted ? await verifyStoredObjects(snapshot) : [];
  const objectsOk = objects.every((o) => o.sha256 === 'ok');
  // damaged ciphertext is the finding: decrypting it would only stop at the first bad chunk
  if (encrypted && (!keys.identities?.length || !objectsOk))
    return {
      snapshot: `${manifest.name}@${manifest.id}`,
      ok: objectsOk && objects.length > 0,
      collections: [],
      unexpected: [],
      objects,
      plaintextChecked: false,
    };
  const tallies = new Map<string, DocumentTally>();
  for await (const event of readSnapshotData(snapshot, keys, checks)) {
    if (event.type !== 'document') continue;
    const ns = formatNamespace(event.namespace);
    let tally = tallies.get(ns);
    if (!tally) tallies.set(ns, (tally = new DocumentTally()));
    tally.add(event.bson);
  }
  const collections = manifest.collections.map((c): VerifiedCollection => {
    const tally = tallies.get(c.namespace) ?? new DocumentTally();
    const sha256 = tally.digest().sha256 === c.sha256 ? 'ok' : 'mismatch';
    const crc64 = tally.digest().crc64 === c.crc64 ? 'ok' : 'mismatch';
    const documents = tally.documents;
    return {
      namespace: c.namespace,
      expectedDocuments: c.documents,
      documents,
      sha256,
      crc64,
      ok: documents === c.documents && sha256 === 'ok' && crc64 === 'ok',
    };
  });
  const listed = new Set(manifest.collections.map((c) => c.namespace));
  const unexpected = [...tallies.keys()].filter((ns) => !listed.has(ns));
  return {
    snapshot: `${manifest.name}@${manifest.id}`,
    ok: objectsOk && collections.every((c) => c.ok) && unexpected.length === 0,
    collections,
    unexpected,
    objects,
    plaintextChecked: true,
  };
}
