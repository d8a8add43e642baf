/**
 * What the restore should find in the stream, per namespace: the snapshot manifest's collections
 * (`SnapshotManifest.collections` fits structurally). Checksums are over the concatenated BSON
 * document bytes in stream order, before any restore-time transform.
 */
export interface ExpectedManifest {
  readonly collections: readonly ExpectedCollection[];
}

export interface ExpectedCollection {
  /** Source namespace, `db.coll`. */
  readonly namespace: string;
  readonly documents: number;
  /** SHA-256, 64 hex digits. */
  readonly sha256?: string;
  /** CRC-64/XZ, 16 hex digits. */
  readonly crc64?: string;
}
