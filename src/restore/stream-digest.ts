import { createHash, type Hash } from 'node:crypto';

/** An incremental checksum over document bytes. */
export interface Checksum {
  update(bytes: Uint8Array): void;
  /** Lowercase hex digest. Call once, after the last update. */
  digestHex(): string;
}

/** Makes a CRC-64/XZ checksum (16 hex digits); injected so the archive's implementation is the one used. */
export type Crc64Factory = () => Checksum;

/** SHA-256 over the concatenated bytes (64 hex digits). */
function sha256Checksum(): Checksum {
  const hash: Hash = createHash('sha256');
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => hash.digest('hex'),
  };
}

/** What the restore saw of one namespace in the stream. Sizes in bytes. */
export interface StreamTally {
  documents: number;
  bytes: number;
  readonly sha256: Checksum;
  readonly crc64: Checksum | null;
}

export function newTally(crc64?: Crc64Factory): StreamTally {
  return { documents: 0, bytes: 0, sha256: sha256Checksum(), crc64: crc64 ? crc64() : null };
}

export function tallyDocument(tally: StreamTally, bytes: Uint8Array): void {
  tally.documents++;
  tally.bytes += bytes.byteLength;
  tally.sha256.update(bytes);
  tally.crc64?.update(bytes);
}
