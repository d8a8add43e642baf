import { createHash, type Hash } from 'node:crypto';
import { Crc64 } from './crc64.js';

/** An incremental checksum over document bytes. */
export interface Checksum {
  update(bytes: Uint8Array): unknown;
  /** Lowercase hex digest of everything fed so far. */
  digestHex(): string;
}

/** Makes a CRC-64/XZ checksum (16 hex digits). */
export type Crc64Factory = () => Checksum;

/** A tally's final figures: checksums over the concatenated document bytes. */
export interface TallyDigest {
  /** CRC-64/XZ, 16 lowercase hex digits (an archive EOF header's value, a manifest's `crc64`). */
  readonly crc64: string;
  /** SHA-256, 64 lowercase hex digits (a manifest's `sha256`). */
  readonly sha256: string;
}

/**
 * The count, size, CRC-64 and SHA-256 of a run of documents (one namespace's), as the archive writer,
 * the restore, `snapshot verify` and `archive inspect` each compute it.
 */
export class DocumentTally {
  documents = 0;
  /** Sum of the BSON document sizes, in bytes. */
  bytes = 0;
  readonly #crc: Checksum;
  readonly #sha: Hash = createHash('sha256');
  #digest: TallyDigest | undefined;

  /** @param crc64 - the CRC-64 implementation (default: the archive codec's {@link Crc64}) */
  constructor(crc64: Checksum = new Crc64()) {
    this.#crc = crc64;
  }

  add(bson: Uint8Array): void {
    this.documents++;
    this.bytes += bson.length;
    this.#crc.update(bson);
    this.#sha.update(bson);
  }

  /** Add a run of `count` documents lying back to back in `bytes` (one checksum update each). */
  addRun(bytes: Uint8Array, count: number): void {
    this.documents += count;
    this.bytes += bytes.length;
    this.#crc.update(bytes);
    this.#sha.update(bytes);
  }

  /** The checksums; call once the run is complete (later calls return the same object). */
  digest(): TallyDigest {
    this.#digest ??= { crc64: this.#crc.digestHex(), sha256: this.#sha.digest('hex') };
    return this.#digest;
  }
}
