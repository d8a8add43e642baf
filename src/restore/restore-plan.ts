import type { CollectionEntry } from '../core/dump-event.js';
import { formatNamespace } from '../core/namespace.js';
import { UsageError } from '../errors/index.js';
import type { GuardVerdict } from '../target/guard/target-guard.js';
import { parseCollectionMetadata } from '../archive/collection-metadata.js';
import type { ExpectedCollection, ExpectedManifest } from './expected-manifest.js';
import { normalizeIndexSpec, type IndexSpec } from '../target/index-spec.js';
import { namespaceRenamer } from './ns-renamer.js';
import {
  isWorkCollection,
  tempName,
  SNAPSHOT_METADATA_COLLECTION,
  JOURNAL_COLLECTION,
} from './swap-names.js';

/** What to restore and where: the options that shape the plan. */
export interface RestorePlanOptions {
  /** Target database name. */
  readonly targetDb: string;
  /** mongorestore-style `--ns-from` patterns (`$var$` wildcards), paired with {@link nsTo}. */
  readonly nsFrom?: readonly string[];
  readonly nsTo?: readonly string[];
  /** Source collection names to restore (`--collections`); all when absent or empty. */
  readonly collections?: readonly string[];
  readonly expected?: ExpectedManifest;
}

/** One namespace of the dump and what happens to it. */
export interface PlannedCollection {
  /** Source namespace, `db.coll`. */
  readonly source: string;
  readonly action: 'restore' | 'skip';
  /** Why it is skipped (absent when restored). */
  readonly reason?: string;
  /** Target collection name in the target db. */
  readonly target: string;
  /** Temporary collection the data loads into. */
  readonly temp: string;
  /** `create` options from the metadata. */
  readonly createOptions: Readonly<Record<string, unknown>>;
  /** Secondary indexes to build after the load, normalized. */
  readonly indexes: readonly IndexSpec[];
  readonly expected: ExpectedCollection | null;
}

/** The whole plan: printable, JSON-serialisable, computed without touching any server. */
export interface RestorePlan {
  readonly runId: string;
  readonly targetDb: string;
  readonly guard: GuardVerdict;
  readonly collections: readonly PlannedCollection[];
  readonly warnings: readonly string[];
}

/**
 * Plan a restore from the dump's prelude. Pure. Each namespace maps to `<targetDb>.<coll>`, or to
 * what the first matching `--ns-from`/`--ns-to` pair gives (which must stay in the target db).
 * Skipped: collections outside `--collections`, `system.*`, dbfork's own work collections, the
 * target's `snapshot_metadata`, and views/time-series/special entries (data collections only).
 *
 * @throws UsageError `CONFIG_BAD_OPTION` for bad rename pairs, `NS_OUTSIDE_TARGET` when a rename
 *   leaves the target db, `NS_COLLISION` when two namespaces map to one collection
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` when a metadata text is not JSON
 */
export function planRestore(
  entries: readonly CollectionEntry[],
  options: RestorePlanOptions,
  guard: GuardVerdict,
  runId: string,
): RestorePlan {
  const rename = namespaceRenamer(options.nsFrom ?? [], options.nsTo ?? []);
  const subset = new Set(options.collections ?? []);
  const expectedByNs = new Map((options.expected?.collections ?? []).map((c) => [c.namespace, c]));
  const warnings: string[] = [];
  const seenTargets = new Map<string, string>();
  const collections: PlannedCollection[] = [];
  for (const entry of entries) {
    const source = formatNamespace(entry.namespace);
    const target = targetCollection(source, entry.namespace.collection, options.targetDb, rename);
    const meta =
      entry.metadataJson.trim() === ''
        ? { options: {}, indexes: [] }
        : parseCollectionMetadata(entry.metadataJson, { namespace: source });
    const base = {
      source,
      target,
      temp: tempName(runId, target),
      expected: expectedByNs.get(source) ?? null,
    };
    const skip = skipReason(entry, target, subset);
    if (skip) {
      collections.push({ ...base, action: 'skip', reason: skip, createOptions: {}, indexes: [] });
      continue;
    }
    const other = seenTargets.get(target);
    if (other !== undefined) {
      throw new UsageError(
        'NS_COLLISION',
        `${other} and ${source} would both restore into ${options.targetDb}.${target}`,
        {
          hint: 'adjust --ns-from/--ns-to so each namespace gets its own collection',
        },
      );
    }
    seenTargets.set(target, source);
    const indexes = meta.indexes.map(normalizeIndexSpec).filter((s): s is IndexSpec => s !== undefined);
    collections.push({ ...base, action: 'restore', createOptions: meta.options, indexes });
  }
  for (const name of subset) {
    if (!entries.some((e) => e.namespace.collection === name))
      warnings.push(`--collections names ${name}, which the dump does not hold`);
  }
  for (const c of options.expected?.collections ?? []) {
    if (!collections.some((p) => p.source === c.namespace))
      warnings.push(`the manifest lists ${c.namespace}, which the dump does not hold`);
  }
  return { runId, targetDb: options.targetDb, guard, collections, warnings };
}

function targetCollection(
  source: string,
  collection: string,
  targetDb: string,
  rename: (ns: string) => string | undefined,
): string {
  const renamed = rename(source);
  if (renamed === undefined) return collection;
  const dot = renamed.indexOf('.');
  if (dot <= 0 || renamed.slice(0, dot) !== targetDb || dot === renamed.length - 1) {
    throw new UsageError(
      'NS_OUTSIDE_TARGET',
      `--ns-to maps ${source} to ${renamed}, outside the target database ${targetDb}`,
      {
        hint: `write --ns-to patterns that start with ${targetDb}.`,
      },
    );
  }
  return renamed.slice(dot + 1);
}

function skipReason(entry: CollectionEntry, target: string, subset: ReadonlySet<string>): string | undefined {
  if (subset.size > 0 && !subset.has(entry.namespace.collection)) return 'not in --collections';
  if (entry.collectionType !== 'collection' && entry.collectionType !== '') {
    return `a ${entry.collectionType}, not a data collection`;
  }
  // a special intent (the oplog); other entries without a type come from mongodump < 4.4, which wrote none
  if (entry.collectionType === '' && (entry.namespace.db === '' || entry.namespace.collection === 'oplog'))
    return 'a special entry (oplog), not a data collection';
  if (entry.namespace.collection.startsWith('system.') || target.startsWith('system.'))
    return 'a system collection';
  if (
    isWorkCollection(entry.namespace.collection) ||
    isWorkCollection(target) ||
    target === JOURNAL_COLLECTION
  ) {
    return 'a dbfork work collection';
  }
  if (target === SNAPSHOT_METADATA_COLLECTION) return "dbfork writes the target's snapshot_metadata itself";
  return undefined;
}
