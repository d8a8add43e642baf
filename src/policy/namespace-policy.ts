import type { CollectionEntry } from '../core/dump-event.js';
import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { namespacePattern } from '../transform/namespace-pattern.js';

/** Databases that hold the deployment's own state (users, roles, sessions, the oplog). */
export const INTERNAL_DATABASES: ReadonlySet<string> = new Set(['admin', 'config', 'local']);

/** The deliberate opt-outs a run may carry; each is recorded in manifests and `snapshot_metadata`. */
export interface ClassificationOptions {
  /** Copy namespaces no rules key names, raw (a deliberate one-off). */
  readonly allowUnclassified?: boolean;
  /** Drop a dump's oplog instead of refusing it. */
  readonly dropOplog?: boolean;
}

/**
 * What the fail-closed gate does with one namespace under rules:
 * - `check`: a rules key matches; every document's fields must be transformed or kept;
 * - `pass`: nothing to check per document (kept whole, a view, or an allowed unclassified one);
 * - `drop`: left out of the output (excluded, an internal database, the oplog with `--drop-oplog`);
 * - `refuse`: the run stops before it writes; `why` and `fixes` say how to classify it.
 */
export type NamespaceDecision =
  | { readonly action: 'check' | 'pass'; readonly reason: string }
  | { readonly action: 'drop'; readonly reason: string }
  | { readonly action: 'refuse'; readonly why: string; readonly fixes: readonly string[] };

/** The oplog of a `mongodump --oplog` dump: namespace `{db: "", collection: "oplog"}`. */
export function isOplog(ns: Namespace): boolean {
  return ns.db === '' && ns.collection === 'oplog';
}

/** A time-series collection's bucket namespace (`system.buckets.<name>`). */
function isTimeSeriesBuckets(entry: CollectionEntry): boolean {
  return entry.namespace.collection.startsWith('system.buckets.') || entry.collectionType === 'timeseries';
}

/**
 * Decide one namespace (pure). The policy per kind of namespace:
 * - the oplog: passed to the oplog rewriter (transform/oplog/), which decides each entry by its own
 *   namespace (policy/oplog-policy.ts), or dropped with `--drop-oplog`; a rules key never classifies
 *   it, because its entries carry other namespaces' documents;
 * - `admin`, `config`, `local`: dropped (deployment state, credentials and sessions, never staging data);
 * - excluded: dropped; views: passed (no documents; their pipeline is checked as metadata);
 * - time-series buckets: must be excluded or kept whole (buckets store measurements column-wise, so
 *   field rules cannot reach them);
 * - every other collection, `system.*` ones included: matched by a rules key, else refused (or passed
 *   raw with `--allow-unclassified`).
 */
export function decideNamespace(
  entry: CollectionEntry,
  rules: NormalizedRules,
  options: ClassificationOptions = {},
): NamespaceDecision {
  const ns = entry.namespace;
  const name = formatNamespace(ns);
  if (isOplog(ns)) {
    if (options.dropOplog) return { action: 'drop', reason: 'oplog dropped (--drop-oplog)' };
    return {
      action: 'pass',
      reason: `${name}: each entry decided and rewritten by the rules of its namespace`,
    };
  }
  if (INTERNAL_DATABASES.has(ns.db)) return { action: 'drop', reason: `internal database ${ns.db}` };
  if (rules.exclusions.some((p) => namespacePattern(p)(ns))) return { action: 'drop', reason: 'excluded' };
  if (entry.collectionType === 'view') return { action: 'pass', reason: 'view (no documents)' };
  const matching = rules.collections.filter((c) => namespacePattern(c.pattern)(ns));
  if (isTimeSeriesBuckets(entry) && matching.length > 0) {
    if (matching.every((c) => c.keepWhole)) return { action: 'pass', reason: 'kept whole' };
    return {
      action: 'refuse',
      why: `${name}: time-series buckets store fields column-wise, so field rules cannot rewrite them`,
      fixes: [`keep it whole (rules: { ${ns.collection}: null })`, `exclude it (exclusions: [${name}])`],
    };
  }
  if (matching.length > 0) {
    if (matching.some((c) => c.keepWhole)) return { action: 'pass', reason: 'kept whole' };
    return { action: 'check', reason: `rules ${matching.map((c) => c.pattern).join(', ')}` };
  }
  if (options.allowUnclassified)
    return { action: 'pass', reason: 'unclassified, copied raw (--allow-unclassified)' };
  return {
    action: 'refuse',
    why: `${name}: no rules key names it`,
    fixes: [
      `rule its fields (rules: { ${ns.collection}: { fields: …, keep: […] } })`,
      `keep it whole if it holds nothing personal (rules: { ${ns.collection}: null })`,
      `exclude it (exclusions: [${ns.collection}])`,
    ],
  };
}
