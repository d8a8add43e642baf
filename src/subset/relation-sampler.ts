import type { KeyedValue } from './subset-reader.js';

/** One field of a sampled collection: its path and the sampled values (arrays looked into). */
export interface SampledField {
  readonly path: string;
  /** Values of the kinds a reference holds (ObjectId, UUID/binary, integers, strings), keyed. */
  readonly values: readonly KeyedValue[];
  /** Sampled documents that hold the field. */
  readonly documents: number;
}

/** A collection's sample: how many documents were read, and their fields. */
export interface CollectionSample {
  readonly documents: number;
  readonly fields: readonly SampledField[];
}

/** What `relations suggest` needs to read (the `mongodb/` adapter implements it). Read-only. */
export interface RelationSampler {
  /** The database's collections (not views, not system or dbfork collections), sorted. */
  collections(): Promise<string[]>;
  /** The fields of the first `size` documents, with their reference-like values. */
  sample(collection: string, size: number): Promise<CollectionSample>;
  /** Fields with a unique single-field index (`_id` included). */
  uniqueFields(collection: string): Promise<string[]>;
  /** How many of `values` occur at `path` in the collection. */
  matching(collection: string, path: string, values: readonly unknown[]): Promise<number>;
  /** Whether some value occurs at `path` in more than one document (a full read of the field). */
  hasDuplicates(collection: string, path: string): Promise<boolean>;
}
