import { deserialize, serialize } from 'bson';
import type { NormalizedFieldRule } from '../config/normalized-rules.js';
import type { FieldTransform } from './field-transform.js';
import { parseFieldPath, rewritePath, type FieldPath } from './field-path.js';
import type { DomainDigest } from './hasher.js';
import { keyedPermutation } from './keyed-permutation.js';
import { ruleGate, valueAtPath, type RuleGate } from './rule-gate.js';

/** The `shuffle` rules of one namespace, bound to their keyed digests. */
export interface ShufflePlan {
  /** Documents per window (every shuffle rule of a namespace has the same). */
  readonly window: number;
  readonly rules: readonly { readonly rule: NormalizedFieldRule; readonly digest: DomainDigest }[];
}

/** Holds one namespace's documents per window; same contract as a size limiter's. */
export interface WindowShuffle {
  /** Offer a document; returns [] while the window fills, then the whole window, shuffled, in order. */
  offer(bson: Uint8Array): Uint8Array[];
  /** At the namespace's end: the last (shorter) window, shuffled, in order. */
  finish(): Uint8Array[];
}

const DECODE = { promoteValues: false, bsonRegExp: true } as const;

/** A shuffle moves values unchanged; this stands for it where a gate asks for its transform. */
const MOVE: FieldTransform = { wholeValue: true, retryable: false, apply: (value) => value };

/**
 * The column-wise shuffle of one namespace: documents are held in windows of `plan.window` (the
 * last one shorter); in each window, for each rule, the values its path reaches are permuted among
 * the window's documents by {@link keyedPermutation} seeded with the rule's keyed digest of
 * `"shuffle" 0x00 <namespace> 0x00 <path> 0x00 <window index>`, then the documents are emitted in
 * their original order. So the same key, rules and input order give the same bytes, and each
 * window keeps exactly the multiset of each shuffled field's values.
 *
 * - Slots: every value the path reaches (`rewritePath` with whole values: an array or embedded
 *   document at the path moves as one value; a path through an array has one slot per element).
 * - Missing fields and nulls hold no value: they take no part and stay where they are.
 * - `when:` is tested on each document as it arrived (before any shuffle): only passing documents
 *   take part; the others keep their own values.
 * - Types and key order are kept (values are decoded without promotion and moved as they are).
 *
 * Memory: up to `window` raw documents of the namespace (decoded once more while flushing).
 */
export function windowShuffle(namespace: string, plan: ShufflePlan): WindowShuffle {
  const rules = plan.rules.map(({ rule, digest }) => ({
    path: parseFieldPath(rule.path),
    label: rule.path,
    digest,
    gate: rule.when ? ruleGate(rule, MOVE) : null,
  }));
  let held: Uint8Array[] = [];
  let index = 0;
  const flush = (): Uint8Array[] => {
    if (held.length === 0) return [];
    const documents = held.map((bson) => deserialize(bson, DECODE));
    held = [];
    const taking = rules.map(({ gate }) => documents.map((d) => takesPart(gate, d)));
    rules.forEach(({ path, label, digest }, r) => {
      const seed = digest(Buffer.from(`shuffle\0${namespace}\0${label}\0${index}`, 'utf8'));
      permute(documents, path, taking[r] ?? [], seed);
    });
    index++;
    return documents.map((d) => serialize(d));
  };
  return {
    offer(bson) {
      held.push(bson);
      return held.length >= plan.window ? flush() : [];
    },
    finish: flush,
  };
}

function takesPart(gate: RuleGate | null, document: Record<string, unknown>): boolean {
  return gate === null || gate.applies((p) => valueAtPath(document, p));
}

/** Permute, in place, the non-null values `path` reaches in the documents that take part. */
function permute(
  documents: Record<string, unknown>[],
  path: FieldPath,
  taking: readonly boolean[],
  seed: Buffer,
): void {
  const values: unknown[] = [];
  const each = (visit: (value: unknown) => unknown) =>
    documents.forEach((d, i) => {
      if (taking[i])
        rewritePath(d, path, true, (value) => (value === null || value === undefined ? value : visit(value)));
    });
  each((value) => {
    values.push(value);
    return value;
  });
  if (values.length < 2) return;
  const order = keyedPermutation(seed, values.length);
  let k = 0;
  each(() => values[order[k++] ?? 0]);
}
