import type { ProgressListener } from '../core/progress.js';
import { UsageError } from '../errors/index.js';
import { openSubsetReader } from '../mongodb/mongodb-subset-reader.js';
import type { CaptureSelection, ReadPreference } from '../source/snapshot-source.js';
import { computeClosure, type SubsetSelection } from '../subset/compute-closure.js';
import { formatRelation } from '../subset/relation.js';
import type { SubsetSpec } from '../subset/subset-spec.js';
import type { SnapshotManifest } from '../store/snapshot-manifest.js';

/** A subset request: what to select, and what happens to collections outside every relation. */
export interface SubsetRequest extends SubsetSpec {
  /** Collections no root or relation names: copied whole, or left out. */
  readonly others: 'whole' | 'exclude';
}

/** What a manifest records of a subset (ids are not recorded: the data holds them). */
export type SubsetSummary = NonNullable<SnapshotManifest['subset']>;

/**
 * Select a subset on the source (read-only: indexed `$in` queries in batches on the read
 * preference), then turn it into the capture's selection: every selected collection filtered to
 * its `_id`s, the others whole or excluded.
 *
 * @throws UsageError `CONFIG_CONFLICTING_OPTIONS` when `--query` names a subset collection;
 *   SourceError when the source cannot be read
 */
export async function selectSubset(
  uri: string,
  db: string,
  request: SubsetRequest,
  base: CaptureSelection,
  options: { readPreference?: ReadPreference; onProgress: ProgressListener },
): Promise<{ selection: CaptureSelection; summary: SubsetSummary }> {
  const reader = await openSubsetReader(uri, db, options.readPreference);
  let chosen: SubsetSelection;
  try {
    options.onProgress({ type: 'phase', phase: 'subset', detail: `${request.relations.length} relations` });
    chosen = await computeClosure(request, reader);
  } finally {
    await reader.close();
  }
  const queries: Record<string, Record<string, unknown>> = { ...(base.queries ?? {}) };
  for (const c of chosen.collections) {
    if (queries[c.collection])
      throw new UsageError('CONFIG_CONFLICTING_OPTIONS', `--query and --subset both select ${c.collection}`, {
        hint: 'express the filter as a --subset root instead',
      });
    queries[c.collection] = { _id: { $in: [...c.ids] } };
  }
  const related = relatedCollections(request);
  for (const name of related) queries[name] ??= { _id: { $in: [] } };
  const include =
    request.others === 'exclude' ? [...related].map((c) => `${db}.${c}`) : [...(base.include ?? [])];
  return {
    selection: { include, exclude: [...(base.exclude ?? [])], queries },
    summary: {
      roots: request.roots.map((r) => ({ collection: r.collection, query: { ...r.query } })),
      rootLimit: request.rootLimit,
      follow: request.follow,
      others: request.others,
      relations: request.relations.map(formatRelation),
      rounds: chosen.rounds,
      collections: chosen.collections.map((c) => ({
        collection: c.collection,
        documents: c.ids.length,
        refused: c.refused,
      })),
      dangling: chosen.dangling.map((d) => ({ ...d, examples: [...d.examples] })),
    },
  };
}

/** Every collection a root or a relation names. */
function relatedCollections(request: SubsetSpec): Set<string> {
  const out = new Set(request.roots.map((r) => r.collection));
  for (const r of request.relations) out.add(r.from.collection).add(r.to.collection);
  return out;
}
