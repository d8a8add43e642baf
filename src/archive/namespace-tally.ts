import { formatNamespace, type Namespace } from '../core/namespace.js';
import { Crc64 } from './crc64.js';
import type { CollectionEntry } from '../core/dump-event.js';
import { DocumentTally } from './document-tally.js';

/** What a writer wrote for one namespace. Sizes in bytes; checksums over the concatenated document bytes. */
export interface NamespaceSummary {
  /** `db.collection` of the data (`db.system.buckets.X` for a time-series X). */
  readonly namespace: string;
  readonly db: string;
  readonly collection: string;
  /** listCollections type of the prelude entry ("collection", "view", "timeseries", ""). */
  readonly collectionType: string;
  /** The metadata.json text of the prelude entry ("" when none). */
  readonly metadataJson: string;
  readonly documents: number;
  /** Sum of the BSON document sizes, in bytes. */
  readonly bytes: number;
  /** CRC-64/XZ of the document bytes, 16 lowercase hex digits (the archive EOF header's value). */
  readonly crc64: string;
  /** SHA-256 of the document bytes, 64 lowercase hex digits. */
  readonly sha256: string;
}

/** Running counts and checksums of one namespace while it is written. */
export class NamespaceTally extends DocumentTally {
  readonly namespace: Namespace;
  readonly name: string;
  readonly entry: CollectionEntry;
  readonly #crc: Crc64;
  #summary: NamespaceSummary | undefined;

  constructor(entry: CollectionEntry, data: Namespace) {
    const crc = new Crc64();
    super(crc);
    this.#crc = crc;
    this.entry = entry;
    this.namespace = data;
    this.name = formatNamespace(data);
  }

  /** The CRC-64 so far, as an unsigned bigint. */
  crc(): bigint {
    return this.#crc.digest();
  }

  /** Final figures (call once the namespace is complete; later calls return the same object). */
  summary(): NamespaceSummary {
    this.#summary ??= {
      namespace: this.name,
      db: this.namespace.db,
      collection: this.namespace.collection,
      collectionType: this.entry.collectionType,
      metadataJson: this.entry.metadataJson,
      documents: this.documents,
      bytes: this.bytes,
      ...this.digest(),
    };
    return this.#summary;
  }
}
