import { deserialize, serialize } from 'bson';
import type { CollectionEntry } from '../../core/dump-event.js';
import { formatNamespace, parseNamespace, type Namespace } from '../../core/namespace.js';
import { TransformError } from '../../errors/index.js';
import type { Anonymizer } from '../anonymizer.js';
import { isDocument } from '../bson-value.js';
import type { DocumentRewriter } from '../document-rewriter.js';
import { parseFieldPath, rewritePath } from '../field-path.js';
import { UNSET } from '../field-transform.js';
import { oplogCommandTarget } from './oplog-command.js';
import { formatOptime } from './oplog-optime.js';
import { dotPathOf, sparseDocument, valueInSparse, type PathStep } from './oplog-path.js';
import { oplogRuleTraits, type OplogRuleTraits } from './oplog-rules.js';
import { rewriteUpdate, UnrewritableUpdate } from './oplog-update.js';

const DECODE = { promoteValues: false, bsonRegExp: true } as const;

/** How the policy in front of the engine treats the namespace an entry applies to. */
export interface OplogPolicy {
  /**
   * `drop` (excluded, internal database) or `keep`.
   * @throws the policy's own error for a namespace it refuses (unclassified)
   */
  decide(ns: Namespace, optime: string): 'drop' | 'keep';
  /**
   * Check a document an entry writes (whole, or the part an update writes) before it is rewritten.
   * @throws the policy's error for a field no rule classifies (strict rules)
   */
  check(ns: Namespace, bson: Uint8Array, optime: string): void;
}

/** Without a policy: excluded namespaces dropped, nothing checked. */
const RULES_ONLY = (anonymizer: Anonymizer): OplogPolicy => ({
  decide: (ns) => (anonymizer.isExcluded(ns) ? 'drop' : 'keep'),
  check: () => undefined,
});

interface Planned {
  readonly rewriter: DocumentRewriter | null;
  readonly traits: OplogRuleTraits;
}

/**
 * Rewrites the entries of a dump's oplog (`mongodump --oplog`) with the same rules and key as the
 * collections, so that replaying the anonymized entries over the anonymized collections gives what
 * anonymizing the final documents gives (the same pseudonyms, groups kept):
 * - inserts (`i`) and replacements (`u` without operators): the whole document;
 * - updates: every value `$set` or a `$v: 2` diff writes, rewritten as the field it lands in
 *   (see {@link rewriteUpdate}); removals stay;
 * - `o2` (the `_id`, and shard key fields) of updates, and `o` of deletes (`d`): as documents;
 * - transactions (`applyOps`): each nested entry, to any depth;
 * - entries of dropped namespaces (excluded, internal databases) and no-ops: replaced by a no-op
 *   at the same optime (so the oplog still ends where it did), and left out of `applyOps`;
 * - commands: structural ones (create, drop, indexes, rename, collMod) kept when they carry no
 *   literal (validator, partial filter, view pipeline).
 * Fail-closed: an entry that cannot be rewritten that way stops the run with
 * `TRANSFORM_OPLOG_UNREWRITABLE`, its optime and namespace (never a value): an operator other than
 * `$set`/`$unset`, a `sequential` counter or a `shuffle` rule reached by an entry, a `template`/`when:` rule reached by an update, a rule
 * that changes the shape of the path an update writes (a whole-value rule on its parent), a command
 * carrying literals.
 *
 * Uses the per-document API of the engine ({@link Anonymizer.plan}, `DocumentRewriter.rewrite`), so
 * it shares the run's domains, counters and uniqueness memories with the collections.
 */
export class OplogRewriter {
  readonly #anonymizer: Anonymizer;
  readonly #entries: ReadonlyMap<string, CollectionEntry>;
  readonly #policy: OplogPolicy;
  readonly #planned = new Map<string, Planned>();

  /**
   * @param entries the prelude's collections by `db.collection`, for their indexes (unique fields)
   */
  constructor(anonymizer: Anonymizer, entries: ReadonlyMap<string, CollectionEntry>, policy?: OplogPolicy) {
    this.#anonymizer = anonymizer;
    this.#entries = entries;
    this.#policy = policy ?? RULES_ONLY(anonymizer);
  }

  /**
   * Rewrite one raw entry.
   * @param ordinal the entry's position in the oplog (1-based), for messages
   * @throws TransformError `TRANSFORM_OPLOG_UNREWRITABLE`, the engine's errors, the policy's errors
   */
  rewrite(bson: Uint8Array, ordinal: number): Uint8Array {
    const entry = deserialize(bson, DECODE);
    const optime = formatOptime(entry);
    const out = this.#entry(entry, optime, ordinal);
    return serialize(out ?? droppedNoop(entry));
  }

  #entry(entry: Record<string, unknown>, optime: string, ordinal: number): Record<string, unknown> | null {
    const op = entry.op;
    if (op === 'n') return null;
    const o = entry.o;
    if (op === 'c') {
      if (isDocument(o) && Array.isArray(o.applyOps)) {
        const inner: Record<string, unknown>[] = [];
        for (const nested of o.applyOps as unknown[]) {
          if (!isDocument(nested))
            throw this.#fail(optime, String(entry.ns), 'an applyOps element is not a document');
          const kept = this.#entry(nested, optime, ordinal);
          if (kept) inner.push(kept);
        }
        if (inner.length === 0) return null;
        o.applyOps = inner;
        return entry;
      }
      return this.#command(entry, optime);
    }
    const ns = typeof entry.ns === 'string' ? parseNamespace(entry.ns) : undefined;
    if (!ns || (op !== 'i' && op !== 'u' && op !== 'd'))
      throw this.#fail(optime, String(entry.ns), `an entry of kind ${String(op)} cannot be rewritten`);
    if (this.#policy.decide(ns, optime) === 'drop') return null;
    const planned = this.#plan(ns);
    if (!isDocument(o)) throw this.#fail(optime, entry.ns as string, 'the entry has no document');
    const fail = (why: string): TransformError => this.#fail(optime, entry.ns as string, why);
    if (op === 'u' && Object.keys(o).some((k) => k.startsWith('$'))) {
      if (planned.traits.documentDependent.length > 0)
        throw fail(
          `an update cannot recompute ${planned.traits.documentDependent.join(', ')} (template or when: rules read the whole document)`,
        );
      try {
        rewriteUpdate(o, (steps, value) =>
          this.#assignment(ns, planned, steps, value, optime, ordinal, fail),
        );
      } catch (error) {
        if (error instanceof UnrewritableUpdate) throw fail(error.message);
        throw error;
      }
    } else {
      entry.o = this.#document(ns, planned, o, optime, ordinal, fail);
    }
    if (isDocument(entry.o2)) entry.o2 = this.#document(ns, planned, entry.o2, optime, ordinal, fail);
    return entry;
  }

  #plan(ns: Namespace): Planned {
    const name = formatNamespace(ns);
    let planned = this.#planned.get(name);
    if (!planned) {
      const entry = this.#entries.get(name) ?? {
        namespace: ns,
        collectionType: 'collection',
        metadataJson: '',
      };
      planned = {
        rewriter: this.#anonymizer.plan(entry).rewriter,
        traits: oplogRuleTraits(this.#anonymizer.rules, ns),
      };
      this.#planned.set(name, planned);
    }
    return planned;
  }

  /** A whole (or sparse) document: checked, order-dependent rules refused, rewritten. */
  #document(
    ns: Namespace,
    planned: Planned,
    document: Record<string, unknown>,
    optime: string,
    ordinal: number,
    fail: (why: string) => TransformError,
  ): Record<string, unknown> {
    const bson = serialize(document);
    this.#policy.check(ns, bson, optime);
    const shuffled = planned.traits.windowed.find((path) => reaches(document, path));
    if (shuffled !== undefined)
      throw fail(
        `${shuffled} is shuffled among the documents of a window, which an oplog entry does not have`,
      );
    if (!planned.rewriter) return document;
    const counter = planned.traits.orderDependent.find((path) => reaches(document, path));
    if (counter !== undefined)
      throw fail(
        `${counter} is numbered by a sequential counter, which depends on the order documents are read in`,
      );
    return deserialize(planned.rewriter.rewrite(bson, ordinal), DECODE);
  }

  /** The value an update writes at `steps`, rewritten as that field of a document. */
  #assignment(
    ns: Namespace,
    planned: Planned,
    steps: readonly PathStep[],
    value: unknown,
    optime: string,
    ordinal: number,
    fail: (why: string) => TransformError,
  ): unknown {
    const path = dotPathOf(steps);
    if (planned.rewriter && planned.traits.positional && steps.some((s) => s.array))
      throw fail(
        `a rule names an array position, so the update of ${path} cannot be matched without the document`,
      );
    const sparse = this.#document(ns, planned, sparseDocument(steps, value), optime, ordinal, fail);
    if (!planned.rewriter) return value;
    const found = valueInSparse(sparse, steps);
    if (found.found) return found.value;
    const parent =
      steps.length === 1 ? { found: true, value: sparse } : valueInSparse(sparse, steps.slice(0, -1));
    if (parent.found && isDocument(parent.value)) return UNSET;
    throw fail(
      `a rule replaces a parent of ${path} whole, so the update cannot be written as the anonymized field`,
    );
  }

  #command(entry: Record<string, unknown>, optime: string): Record<string, unknown> | null {
    const target = oplogCommandTarget(entry);
    if (!target.ok) throw this.#fail(optime, String(entry.ns), target.why);
    if (target.namespace && this.#policy.decide(target.namespace, optime) === 'drop') return null;
    return entry;
  }

  #fail(optime: string, ns: string, why: string): TransformError {
    return new TransformError(
      'TRANSFORM_OPLOG_UNREWRITABLE',
      `oplog entry ${optime} on ${ns}: ${why}; replaying it could not give the anonymized final document`,
      {
        subject: { namespace: ns, optime },
        hint: 'capture with --consistency snapshot (no oplog) or --drop-oplog, or change the rule (e.g. sequential with deterministic: true)',
        labels: ['noWritesPerformed'],
      },
    );
  }
}

/** The entry as a no-op at the same optime, holding nothing of the original. */
function droppedNoop(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ts: entry.ts };
  if (entry.t !== undefined) out.t = entry.t;
  if (entry.v !== undefined) out.v = entry.v;
  out.op = 'n';
  out.ns = '';
  if (entry.wall !== undefined) out.wall = entry.wall;
  out.o = { msg: 'dbfork: entry left out by the anonymization rules' };
  return out;
}

/** Whether `path` reaches a non-null value of `document`. */
function reaches(document: Record<string, unknown>, path: string): boolean {
  let hit = false;
  rewritePath(document, parseFieldPath(path), true, (value) => {
    if (value !== null && value !== undefined) hit = true;
    return value;
  });
  return hit;
}
