import type { CollectionEntry } from '../core/dump-event.js';
import type {
  NormalizedFieldRule,
  NormalizedRules,
  NormalizedSizeLimit,
} from '../config/normalized-rules.js';
import { pathsOverlap } from '../config/path-overlap.js';
import { formatNamespace, isDumpOplog, type Namespace } from '../core/namespace.js';
import { UsageError } from '../errors/index.js';
import { DocumentRewriter, type BoundRule } from './document-rewriter.js';
import { parseFieldPath } from './field-path.js';
import type { Hasher } from './hasher.js';
import { namespacePattern } from './namespace-pattern.js';
import { domainName, RuleDomains, type RuleDomain } from './rule-domain.js';
import type { ShufflePlan } from './window-shuffle.js';
import { uniqueIndexesOf, type UniqueIndex } from './unique-indexes.js';

/** What happens to one namespace. */
export interface NamespacePlan {
  readonly namespace: string;
  /** Dropped from the prelude with all its documents (`exclusions`). */
  readonly excluded: boolean;
  /** Null when no rule applies: documents pass through byte for byte. */
  readonly rewriter: DocumentRewriter | null;
  /** `shuffle` rules (applied to documents as they arrive, before the rewriter), or null. */
  readonly shuffle: ShufflePlan | null;
  /** `size_limits` entry, or null. */
  readonly limit: NormalizedSizeLimit | null;
  /** Rule paths that must stay unique here, with the index (or `unique: true`) that requires it. */
  readonly unique: readonly { readonly path: string; readonly reason: string }[];
}

/**
 * The anonymization rules compiled against a key: per-namespace plans (which rules, which fields
 * must be unique, exclusions, limits), with transform instances and uniqueness memories shared per
 * domain. One instance per run: counters and uniqueness memories live here, so plan every namespace
 * of the prelude before the first document (anonymizeEvents does).
 */
export class Anonymizer {
  readonly #rules: NormalizedRules;
  readonly #domains: RuleDomains;
  readonly #collectionMatchers: readonly {
    readonly pattern: string;
    readonly matches: (ns: Namespace) => boolean;
  }[];
  readonly #exclusions: readonly ((ns: Namespace) => boolean)[];
  readonly #limits: readonly {
    readonly limit: NormalizedSizeLimit;
    readonly matches: (ns: Namespace) => boolean;
  }[];

  readonly #hasher: Hasher;

  constructor(rules: NormalizedRules, hasher: Hasher) {
    this.#rules = rules;
    this.#hasher = hasher;
    this.#domains = new RuleDomains(
      hasher,
      rules.uniqueMaxEntries,
      rules.collections.flatMap((c) => c.fields),
    );
    this.#collectionMatchers = rules.collections.map((c) => ({
      pattern: c.pattern,
      matches: namespacePattern(c.pattern),
    }));
    this.#exclusions = rules.exclusions.map(namespacePattern);
    this.#limits = rules.sizeLimits.map((limit) => ({ limit, matches: namespacePattern(limit.pattern) }));
  }

  get rules(): NormalizedRules {
    return this.#rules;
  }

  /**
   * The shared domain of one field rule of collection key `collectionPattern` (created on first use):
   * its transform instance, keyed digest and uniqueness registry (set once a namespace planned with
   * {@link plan} requires the rule unique).
   */
  domainOf(collectionPattern: string, rule: NormalizedFieldRule): RuleDomain {
    return this.#domains.get(collectionPattern, rule);
  }

  isExcluded(ns: Namespace): boolean {
    return this.#exclusions.some((m) => m(ns));
  }

  /**
   * Plan one namespace of a prelude.
   *
   * @throws UsageError `RULES_CONFLICT` when two collection keys matching the namespace (e.g. `users`
   *   and `*.users`) both have a rule for overlapping paths
   * @throws ArchiveError `ARCHIVE_BAD_METADATA` when the entry's metadata cannot be parsed
   */
  plan(entry: CollectionEntry): NamespacePlan {
    const ns = entry.namespace;
    const name = formatNamespace(ns);
    if (this.isExcluded(ns))
      return { namespace: name, excluded: true, rewriter: null, shuffle: null, limit: null, unique: [] };
    // a dump's oplog holds entries of other namespaces: transform/oplog/ rewrites them, never a collection key
    if (isDumpOplog(ns))
      return { namespace: name, excluded: false, rewriter: null, shuffle: null, limit: null, unique: [] };
    const limit = this.#limits.find((l) => l.matches(ns))?.limit ?? null;
    const matched: { pattern: string; rule: NormalizedFieldRule }[] = [];
    for (const { pattern, matches } of this.#collectionMatchers) {
      if (!matches(ns)) continue;
      const collection = this.#rules.collections.find((c) => c.pattern === pattern);
      for (const rule of collection?.fields ?? []) {
        const clash = matched.find(
          (m) => m.pattern !== pattern && overlap(parseFieldPath(m.rule.path), parseFieldPath(rule.path)),
        );
        if (clash) {
          throw new UsageError(
            'RULES_CONFLICT',
            `${name}: rules of ${clash.pattern} (${clash.rule.path}) and ${pattern} (${rule.path}) both apply`,
            {
              subject: { namespace: name, fieldPath: rule.path },
              hint: 'make the collection keys match different namespaces, or merge the rules under one key',
            },
          );
        }
        matched.push({ pattern, rule });
      }
    }
    const shuffle = this.#shufflePlan(name, matched);
    const rewritten = matched.filter((m) => m.rule.transform !== 'shuffle');
    if (rewritten.length === 0)
      return { namespace: name, excluded: false, rewriter: null, shuffle, limit, unique: [] };
    const indexes = uniqueIndexesOf(entry.metadataJson, entry.collectionType, name);
    const unique: { path: string; reason: string }[] = [];
    const bound: BoundRule[] = rewritten.map(({ pattern, rule }) => {
      const path = parseFieldPath(rule.path);
      const domain = this.#domains.get(pattern, rule);
      const index =
        rule.unique === false
          ? undefined
          : indexes.find((i) => i.paths.some((p) => overlap(path, parseFieldPath(p))));
      if (rule.unique === true || index) {
        this.#domains.requireUnique(domain, `${name}.${rule.path}`);
        unique.push({ path: rule.path, reason: index ? `unique index ${index.name}` : 'unique: true' });
      }
      return { rule, path, domain, missingIsFree: index ? sparse(index) : false };
    });
    const rewriter = new DocumentRewriter(name, bound);
    return { namespace: name, excluded: false, rewriter, shuffle, limit, unique };
  }

  /**
   * The namespace's shuffle rules with their keyed digests (domain `rule:<key>:<path>`).
   * A permutation keeps unique values unique, so no uniqueness memory is involved.
   *
   * @throws UsageError `RULES_CONFLICT` when two collection keys give the namespace different windows
   */
  #shufflePlan(
    name: string,
    matched: readonly { pattern: string; rule: NormalizedFieldRule }[],
  ): ShufflePlan | null {
    const shuffles = matched.filter((m) => m.rule.transform === 'shuffle');
    const window = shuffles[0]?.rule.options.window;
    if (window === undefined) return null;
    const other = shuffles.find((m) => m.rule.options.window !== window);
    if (other)
      throw new UsageError(
        'RULES_CONFLICT',
        `${name}: shuffle rules with windows ${window} and ${String(other.rule.options.window)} both apply`,
        {
          subject: { namespace: name, fieldPath: other.rule.path },
          hint: 'give every shuffle rule of a collection the same window',
        },
      );
    const rules = shuffles.map(({ pattern, rule }) => ({
      rule,
      digest: this.#hasher.forDomain(domainName(pattern, rule)),
    }));
    return { window, rules };
  }
}

function sparse(index: UniqueIndex): boolean {
  return index.sparseOrPartial;
}

/** Two paths reach a common value (or one reaches the other's parent); `*` matches any key. */
const overlap = pathsOverlap;
