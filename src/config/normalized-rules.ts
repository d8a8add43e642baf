import type {
  FakeKind,
  FakeLocale,
  PersonPart,
  RedactKind,
  TransformName,
  TypeMismatchPolicy,
} from './rules-schema.js';

/**
 * Rules after validation with every default filled in: the form the engine compiles and the rules
 * digest is computed over (so two files that mean the same have the same digest). Plain JSON.
 */
export interface NormalizedRules {
  readonly version: 1;
  readonly collections: readonly NormalizedCollectionRules[];
  /** Collection patterns skipped entirely, in file order. */
  readonly exclusions: readonly string[];
  readonly sizeLimits: readonly NormalizedSizeLimit[];
  /** Bound of the uniqueness memory per field or group (entries; ~100 bytes each). */
  readonly uniqueMaxEntries: number;
  /**
   * Field strictness: a document field neither transformed nor kept fails the run (default true).
   * False is a deliberate opt-out, recorded in manifests and `snapshot_metadata`.
   */
  readonly strict: boolean;
}

export interface NormalizedCollectionRules {
  /** The key as written: `coll`, `db.coll` or a glob. */
  readonly pattern: string;
  /** In file order. */
  readonly fields: readonly NormalizedFieldRule[];
  readonly keep: readonly string[];
  /**
   * Kept whole: the key has no `fields` and no `keep` (`<collection>: null`), so every field of the
   * collection is classified as safe (reference data holding nothing personal).
   */
  readonly keepWhole: boolean;
  /** Metadata places whose literals are classified as safe (`options.validator`, `indexes.<name>`). */
  readonly keepMetadata: readonly string[];
}

export interface NormalizedFieldRule {
  readonly path: string;
  readonly transform: TransformName;
  /** The transform's own options, defaults applied (see {@link TransformOptions}). */
  readonly options: TransformOptions;
  readonly group: string | null;
  /** true/false as written; null = decided by the collection's unique indexes. */
  readonly unique: boolean | null;
  readonly onTypeMismatch: TypeMismatchPolicy;
  /**
   * `when:` tests by field path (absent when the rule has none, so older rules keep their digest):
   * a literal means equality, an object holds `$eq`, `$ne`, `$in`, `$nin`, `$exists`, `$type`.
   */
  readonly when?: Readonly<Record<string, unknown>>;
  /** Fraction (0–1) of values set to null by the keyed hash before the transform (absent: none). */
  readonly nullifyFraction?: number;
}

export interface NormalizedSizeLimit {
  readonly pattern: string;
  readonly maxDocuments: number;
  /** `_id`: the first N documents by `_id`; `natural`: the first N in dump order. */
  readonly order: '_id' | 'natural';
}

/** Per-transform options after defaults. Absent keys do not apply to the transform. */
export interface TransformOptions {
  readonly length?: number;
  readonly domain?: string;
  readonly prefix?: string;
  readonly deterministic?: boolean;
  readonly digits?: number;
  readonly start?: number;
  readonly kind?: FakeKind;
  readonly keepFirst?: number;
  readonly keepLast?: number;
  readonly char?: string;
  /** constant: the value as written (Extended JSON allowed, e.g. `{"$date": "…"}`). */
  readonly value?: unknown;
  readonly maxDays?: number;
  readonly percent?: number;
  readonly keepTimestamp?: boolean;
  readonly pattern?: string;
  readonly replacement?: string;
  readonly flags?: string;
  readonly template?: string;
  /** hash, fpe: output / encrypted characters. */
  readonly alphabet?: string;
  /** fake, person, redact: @faker-js/faker locale (absent: en). */
  readonly locale?: FakeLocale;
  /** date_shift: what the shift keeps besides the time of day. */
  readonly keep?: 'weekday' | 'month';
  /** number_noise: output bounds. */
  readonly min?: number;
  readonly max?: number;
  /** redact */
  readonly kinds?: readonly RedactKind[];
  readonly mode?: 'pseudonym' | 'mask';
  readonly emailGroup?: string;
  readonly nameFields?: readonly string[];
  /** person */
  readonly part?: PersonPart;
  readonly seedField?: string;
  readonly identity?: string;
  /** card_number */
  readonly keepPrefix?: number;
  /** number_bucket */
  readonly size?: number;
  /** date_truncate */
  readonly to?: 'hour' | 'day' | 'month' | 'year';
  /** age_from */
  readonly birthDate?: string;
  readonly asOf?: string;
  /** geo_jitter */
  readonly radiusM?: number;
  /** phone */
  readonly defaultCountry?: string;
  /** choice */
  readonly values?: readonly (string | number | boolean)[];
  /** shuffle: documents per window */
  readonly window?: number;
}

/** Default `hash_email` domain (a reserved-looking `.local` name that never receives mail). */
export const DEFAULT_EMAIL_DOMAIN = 'anonymized.dbfork.local';
/** Default bound of the uniqueness memory per field or group, in entries. */
export const DEFAULT_UNIQUE_MAX_ENTRIES = 2_000_000;
/** Default `shuffle` window, in documents. */
export const DEFAULT_SHUFFLE_WINDOW = 1000;
