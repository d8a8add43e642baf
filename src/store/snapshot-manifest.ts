import { z } from 'zod';

/**
 * Version of the manifest format written now; bumped on any incompatible change. Version 2 added
 * `codecs`; version 1 manifests (0.1.0, where `gzip` was the only codec) still read, as their
 * version 2 equivalent (see `manifest-codec.ts`).
 */
export const MANIFEST_FORMAT_VERSION = 2;

const indexSpec = z.record(z.string(), z.unknown());

/** One collection of a snapshot. Sizes in bytes; checksums over the concatenated BSON document bytes. */
const manifestCollectionSchema = z.object({
  namespace: z.string(),
  type: z.string(),
  documents: z.number().int().nonnegative(),
  /** Sum of the BSON document sizes, in bytes. */
  bytes: z.number().int().nonnegative(),
  /** SHA-256 (hex) of the concatenated document bytes, in dump order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** CRC-64/XZ of the same bytes, as 16 hex digits (the archive's EOF-header CRC). */
  crc64: z.string().regex(/^[0-9a-f]{16}$/),
  indexes: z.array(indexSpec),
  options: z.record(z.string(), z.unknown()),
});

/** The fields every manifest version has. */
const manifestFields = z.object({
  id: z.string(),
  name: z.string(),
  /** ISO 8601, UTC: when the capture started. */
  createdAt: z.string(),
  /** ISO 8601, UTC: when the data was complete. */
  completedAt: z.string(),
  durationMs: z.number().nonnegative(),
  source: z.object({
    /** Connection string without any user info. */
    uri: z.string(),
    db: z.string(),
    serverVersion: z.string(),
  }),
  toolVersion: z.string(),
  format: z.enum(['archive', 'directory']),
  /** Whether the data is gzipped (`codecs` includes `gzip`), as mongodump's `--gzip` would have it. */
  gzip: z.boolean(),
  /**
   * Key of the data relative to the snapshot: the archive object (with the codecs' suffix), or the
   * prefix of a directory dump's objects (each with the codecs' suffix).
   */
  dataPath: z.string(),
  /** Total size of the stored data, in bytes (compressed size when gzipped). */
  sizeBytes: z.number().int().nonnegative(),
  collections: z.array(manifestCollectionSchema),
  /** SHA-256 of the normalized anonymization rules; null when the snapshot holds raw data. */
  rulesDigest: z.string().nullable(),
  anonymized: z.boolean(),
  /** How the data was anonymized (absent for raw snapshots and those written before it was recorded). */
  anonymization: z
    .object({
      /** Field strictness was on; false records a deliberate `strict: false`. */
      strict: z.boolean(),
      /** Namespaces no rules key named were copied raw (`--allow-unclassified`). */
      allowUnclassified: z.boolean(),
      /** A dump's oplog was left out (`--drop-oplog`). */
      dropOplog: z.boolean(),
      /** `hmac-sha256:<32 hex>` fingerprint of the key (never the key); null when unkeyed. */
      keyFingerprint: z.string().nullable(),
    })
    .optional(),
  /**
   * The point in time the collections agree on (docs/consistency.md); absent in manifests written
   * before it was recorded, which are `none`.
   */
  consistency: z
    .object({
      mode: z.enum(['snapshot', 'oplog', 'none']),
      atClusterTime: z.string().optional(),
      startOptime: z.string().optional(),
      endOptime: z.string().optional(),
      member: z.string().nullable(),
    })
    .optional(),
  /** A whole-server snapshot (`backup run --all-databases`): the databases it holds, sorted. */
  databases: z.array(z.string()).optional(),
  /** Namespaces a whole-server snapshot left out on purpose, and why (users the server does not expose). */
  skipped: z.array(z.object({ namespace: z.string(), reason: z.string() })).optional(),
  /**
   * Every stored object's key, size (bytes) and SHA-256 over the stored bytes (after the codecs), so
   * the data can be checked without decoding it, e.g. an encrypted snapshot without its identity.
   * Absent in manifests written before it was recorded.
   */
  objects: z
    .array(
      z.object({
        key: z.string(),
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .optional(),
  /**
   * How a referentially complete subset was selected: roots, relations, per-collection counts and
   * the references that dangle (where a bound cut them). Absent for a full capture.
   */
  subset: z
    .object({
      roots: z.array(z.object({ collection: z.string(), query: z.record(z.string(), z.unknown()) })),
      rootLimit: z.number().int().nonnegative(),
      follow: z.enum(['parents', 'children', 'both']),
      others: z.enum(['whole', 'exclude']),
      relations: z.array(z.string()),
      rounds: z.number().int().nonnegative(),
      collections: z.array(
        z.object({ collection: z.string(), documents: z.number().int(), refused: z.number().int() }),
      ),
      dangling: z.array(
        z.object({
          relation: z.string(),
          references: z.number().int(),
          dangling: z.number().int(),
          examples: z.array(z.string()),
        }),
      ),
    })
    .optional(),
  /** The age recipients (public keys) the data is encrypted to; absent when not encrypted. */
  encryption: z.object({ recipients: z.array(z.string()) }).optional(),
  status: z.literal('complete'),
});

/** A 0.1.0 manifest: `formatVersion` 1 (or absent), gzip as a flag. */
export const manifestV1Schema = manifestFields.extend({ formatVersion: z.literal(1).optional() });

/** The manifest as written now. */
export const manifestSchema = manifestFields
  .extend({
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    /**
     * Codecs applied to each data object, in encoding order (`[]`, `["gzip"]`, `["age"]` or
     * `["gzip", "age"]`); a reader undoes them in reverse.
     */
    codecs: z.array(z.string()),
  })
  .refine((m) => m.gzip === m.codecs.includes('gzip'), { message: 'gzip must match codecs', path: ['gzip'] });

export type SnapshotManifest = z.infer<typeof manifestSchema>;
export type ManifestCollection = z.infer<typeof manifestCollectionSchema>;
