import type { ProgressListener } from '../core/progress.js';
import { UsageError } from '../errors/index.js';
import { openSubsetReader } from '../mongodb/mongodb-subset-reader.js';
import type { CaptureSelection, IdSelection, ReadPreference } from '../source/snapshot-source.js';
import type { ClosureMemory } from '../subset/closure-memory.js';
import { computeClosure, type SubsetSelection } from '../subset/compute-closure.js';
import { formatRelation } from '../subset/relation.js';
import { DEFAULT_SPILL_AFTER, spillingClosureMemory } from '../subset/spilling-closure-memory.js';
import { openSqliteClosureMemory } from '../subset/sqlite-closure-memory.js';
import type { SubsetSpec } from '../subset/subset-spec.js';
import type { SnapshotManifest } from '../store/snapshot-manifest.js';

/** A subset request: what to select, and what happens to collections outside every relation. */
export interface SubsetRequest extends SubsetSpec {
  /** Collections no root or relation names: copied whole, or left out. */
  readonly others: 'whole' | 'exclude';
  /** Entries the closure keeps in memory before it spills to an on-disk index (default 100,000). */
  readonly spillAfter?: number;
}

/** What a manifest records of a subset (ids are not recorded: the data holds them). */
export type SubsetSummary = NonNullable<SnapshotManifest['subset']>;

/** A selected subset, ready to capture; `release` frees the closure's memory (and its spill files). */
export interface ChosenSubset {
  readonly selection: CaptureSelection;
  readonly summary: SubsetSummary;
  /** Whether the closure outgrew memory and used the on-disk index. */
  readonly spilled: boolean;
  release(): void;
}

/**
 * Select a subset on the source (read-only: indexed `$in` queries in batches on the read
 * preference), then turn it into the capture's selection: every selected collection read by its
 * `_id`s (in batches, from the closure's memory, which spills to an SQLite index in the temporary
 * folder past `spillAfter` entries), the others whole or excluded. Call `release` once the capture
 * has read the selection.
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
): Promise<ChosenSubset> {
  for (const name of relatedCollections(request))
    if (base.queries?.[name])
      throw new UsageError('CONFIG_CONFLICTING_OPTIONS', `--query and --subset both select ${name}`, {
        hint: 'express the filter as a --subset root instead',
      });
  const memory = spillingClosureMemory(request.spillAfter ?? DEFAULT_SPILL_AFTER, () =>
    openSqliteClosureMemory(),
  );
  try {
    const reader = await openSubsetReader(uri, db, options.readPreference);
    let chosen: SubsetSelection;
    try {
      options.onProgress({ type: 'phase', phase: 'subset', detail: `${request.relations.length} relations` });
      chosen = await computeClosure(request, reader, memory);
    } finally {
      await reader.close();
    }
    const documents = chosen.collections.reduce((n, c) => n + c.documents, 0);
    options.onProgress({
      type: 'phase',
      phase: 'subset',
      detail: `${documents} documents in ${chosen.rounds} rounds${memory.spilled ? ', kept in an on-disk index (beyond the memory threshold)' : ''}`,
    });
    return {
      selection: captureSelection(db, request, base, chosen, memory),
      summary: summarizeSubset(request, chosen),
      spilled: memory.spilled,
      release: () => memory.close(),
    };
  } catch (error) {
    memory.close();
    throw error;
  }
}

function captureSelection(
  db: string,
  request: SubsetRequest,
  base: CaptureSelection,
  chosen: SubsetSelection,
  memory: ClosureMemory,
): CaptureSelection {
  const related = relatedCollections(request);
  const ids: Record<string, IdSelection> = {};
  for (const name of related)
    ids[name] = {
      count: memory.selectedCount(name),
      batches: (size) => chosen.ids(name, size),
    };
  const include =
    request.others === 'exclude' ? [...related].map((c) => `${db}.${c}`) : [...(base.include ?? [])];
  return {
    include,
    exclude: [...(base.exclude ?? [])],
    ...(base.queries ? { queries: base.queries } : {}),
    ids,
  };
}

/** What the manifest and the summary record of a computed subset. */
export function summarizeSubset(request: SubsetRequest, chosen: SubsetSelection): SubsetSummary {
  return {
    roots: request.roots.map((r) => ({ collection: r.collection, query: { ...r.query } })),
    rootLimit: request.rootLimit,
    follow: request.follow,
    others: request.others,
    relations: request.relations.map(formatRelation),
    rounds: chosen.rounds,
    collections: chosen.collections.map((c) => ({ ...c })),
    dangling: chosen.dangling.map((d) => ({ ...d, examples: [...d.examples] })),
  };
}

/** Every collection a root or a relation names. */
export function relatedCollections(request: SubsetSpec): Set<string> {
  const out = new Set(request.roots.map((r) => r.collection));
  for (const r of request.relations) out.add(r.from.collection).add(r.to.collection);
  return out;
}
