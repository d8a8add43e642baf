import { CONSISTENCY_MODES } from '../../source/consistency.js';
import { EJSON } from 'bson';
import { READ_PREFERENCES } from '../../source/snapshot-source.js';
import { z } from 'zod';
import type { OperationKind } from '../../plan/operation-kind.js';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { createSnapshot } from '../create-snapshot.js';
import type { SubsetRequest } from '../subset-capture.js';
import { relationsFrom } from '../../subset/relation.js';
import { AnonymizationParamSchema, loadAnonymization } from './anonymization-param.js';

/** A referentially complete subset (docs/subsets.md); queries in canonical Extended JSON. */
export const SubsetParamSchema = z.strictObject({
  roots: z.array(z.strictObject({ collection: z.string(), query: z.record(z.string(), z.json()) })),
  rootLimit: z.number().int().min(0),
  follow: z.enum(['parents', 'children', 'both']),
  relations: z.array(z.strictObject({ from: z.string(), to: z.string() })),
  maxDocuments: z.record(z.string(), z.number().int().min(0)),
  others: z.enum(['whole', 'exclude']),
  /** Closure entries kept in memory before the on-disk index takes over. */
  spillAfter: z.number().int().min(0).optional(),
});

export const SnapshotCaptureParamsSchema = z.strictObject({
  source: ConnectionRefSchema,
  db: z.string(),
  /** Snapshot name. */
  name: z.string(),
  /** Store URL. */
  store: z.string(),
  format: z.enum(['archive', 'directory']),
  gzip: z.boolean(),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  /** Per collection, a filter in canonical Extended JSON (types kept: `{"$date": …}`). */
  queries: z.record(z.string(), z.record(z.string(), z.json())),
  readPreference: z.enum(READ_PREFERENCES),
  parallelCollections: z.number().int().min(1),
  /** Point-in-time consistency (docs/consistency.md); absent: none (plans written before it existed). */
  consistency: z.enum(CONSISTENCY_MODES).optional(),
  /** Refuse a source member lagging the primary by more than this (ms). */
  maxLagMs: z.number().int().min(0).optional(),
  maxReadRate: z.number().int().min(1).optional(),
  /** age recipients (public keys) to encrypt the stored objects to; absent or empty: not encrypted. */
  recipients: z.array(z.string()).optional(),
  /** A referentially complete subset (docs/subsets.md). */
  subset: SubsetParamSchema.optional(),
  /** A snapshot database store: fail instead of streaming when `$out` cannot copy in the cluster. */
  requireServerSide: z.boolean().optional(),
  /** Capture always chooses: rules, or an explicit opt-out. */
  anonymization: AnonymizationParamSchema.refine((a) => a !== null, 'a capture needs rules or none'),
});

export type SnapshotCaptureParams = z.infer<typeof SnapshotCaptureParamsSchema>;

/**
 * `snapshot.capture`: capture the source db into the store (manifest last, then `latest` moves),
 * anonymized at capture when rules are given. A failed capture leaves no complete snapshot, so a
 * retry starts clean.
 *
 * @returns the snapshot's manifest
 */
export const snapshotCaptureOperation: OperationKind<SnapshotCaptureParams> = {
  kind: 'snapshot.capture',
  params: SnapshotCaptureParamsSchema,
  async run(params, ctx) {
    const anonymization = await loadAnonymization(params.anonymization, ctx);
    return createSnapshot({
      uri: (await ctx.secrets.resolve(params.source)).reveal(),
      db: params.db,
      name: params.name,
      store: await openSnapshotStore(params.store),
      format: params.format,
      gzip: params.gzip,
      include: params.include,
      exclude: params.exclude,
      queries: EJSON.deserialize(params.queries, { relaxed: false }) as Record<
        string,
        Record<string, unknown>
      >,
      readPreference: params.readPreference,
      parallelCollections: params.parallelCollections,
      ...(params.consistency ? { consistency: params.consistency } : {}),
      ...(params.maxLagMs === undefined ? {} : { maxLagMs: params.maxLagMs }),
      ...(params.maxReadRate === undefined ? {} : { maxReadRate: params.maxReadRate }),
      ...(params.recipients?.length ? { encryption: { recipients: params.recipients } } : {}),
      ...(params.subset ? { subset: subsetRequest(params.subset) } : {}),
      ...(anonymization && 'rules' in anonymization ? { transform: anonymization.rules } : {}),
      ...(params.requireServerSide ? { requireServerSide: true } : {}),
      onProgress: ctx.onProgress,
    });
  },
};

/** The subset of a plan's params as the capture takes it (queries decoded from Extended JSON). */
export function subsetRequest(subset: z.infer<typeof SubsetParamSchema>): SubsetRequest {
  return {
    ...subset,
    roots: subset.roots.map((r) => ({
      collection: r.collection,
      query: EJSON.deserialize(r.query, { relaxed: false }) as Record<string, unknown>,
    })),
    relations: relationsFrom(subset.relations),
  };
}
