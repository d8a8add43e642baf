import { EJSON } from 'bson';
import type { NormalizedFieldRule } from '../config/normalized-rules.js';
import { TransformError } from '../errors/index.js';
import { bsonTypeName } from './bson-value.js';
import { canonicalBytes } from './canonical-bytes.js';
import { rewritePath, type FieldPath } from './field-path.js';
import { TypeMismatch, UNSET, type ValueContext } from './field-transform.js';
import type { RuleDomain } from './rule-domain.js';
import { ruleGate, valueAtPath, type RuleGate } from './rule-gate.js';
import { decodeChecked, decodeCheckedFields, FieldSelection } from './decode-checked.js';
import { spliceDocument, TouchedPaths } from './splice-writer.js';
import { registryKey, registryKeyOfString } from './uniqueness-registry.js';

/** Attempts per value before a collision is reported. */
const MAX_UNIQUE_ATTEMPTS = 64;

/** A rule bound to a namespace. */
export interface BoundRule {
  readonly rule: NormalizedFieldRule;
  readonly path: FieldPath;
  readonly domain: RuleDomain;
  /** A missing field is not indexed (sparse/partial unique index): `unset` cannot collide. */
  readonly missingIsFree: boolean;
}

/**
 * Rewrites the documents of one namespace: check and decode (types kept, see bson-value.ts), apply
 * every rule (templates last), then splice (splice-writer.ts): untouched fields keep their exact
 * bytes, only changed values are encoded. Fail-closed: a value a transform cannot handle is a
 * `TRANSFORM_TYPE_MISMATCH` unless the rule says `on_type_mismatch: keep | null`.
 */
export class DocumentRewriter {
  readonly #namespace: string;
  readonly #rules: readonly BoundRule[];
  /** Per rule (same order): `when:`, reads of original values, `nullify_fraction`; null when none. */
  readonly #gates: readonly (RuleGate | null)[];
  /** Paths whose original values some gate reads (captured before any rule runs). */
  readonly #reads: readonly string[];
  /** The top-level fields to decode; null to decode whole documents. */
  readonly #fields: FieldSelection | null;

  constructor(namespace: string, rules: readonly BoundRule[]) {
    this.#namespace = namespace;
    this.#rules = [
      ...rules.filter((r) => !r.domain.transform.late),
      ...rules.filter((r) => r.domain.transform.late),
    ];
    this.#gates = this.#rules.map(({ rule, domain }) =>
      rule.when || rule.nullifyFraction !== undefined || domain.transform.reads
        ? ruleGate(rule, domain.transform)
        : null,
    );
    this.#reads = [...new Set(this.#gates.flatMap((g) => g?.reads ?? []))];
    this.#fields = selectedFields(this.#rules, this.#reads);
  }

  /**
   * Rewrite one document: only the top-level fields the rules reach or read are decoded (all of
   * them when a path starts with `*` or `**`, or a late transform reads the whole document), and
   * the output is spliced into the original bytes.
   *
   * @param ordinal the document's position in its namespace (1-based), for error messages (values
   *   and `_id`s are never printed: they may be personal data)
   * @throws TransformError `TRANSFORM_TYPE_MISMATCH`, `TRANSFORM_UNIQUE_COLLISION`, `TRANSFORM_UNIQUE_MEMORY`;
   *   ArchiveError `ARCHIVE_BAD_DOCUMENT` when `bson` is not a well-formed document
   */
  rewrite(bson: Uint8Array, ordinal: number): Uint8Array {
    const place = { namespace: this.#namespace, position: ordinal };
    const document = this.#fields
      ? decodeCheckedFields(bson, this.#fields, place)
      : decodeChecked(bson, place);
    const touched = new TouchedPaths();
    this.rewriteDocument(document, ordinal, touched);
    return spliceDocument(bson, document, touched, { namespace: this.#namespace, ordinal });
  }

  /**
   * Apply the rules to a decoded document in place.
   * @param touched collects the paths whose value changed (for {@link spliceDocument}); a change
   *   inside a JSON string marks the string itself, which is written again whole
   */
  rewriteDocument(document: Record<string, unknown>, ordinal: number, touched?: TouchedPaths): void {
    const original = this.#reads.length > 0 ? captured(document, this.#reads) : NOTHING;
    this.#rules.forEach((bound, i) => {
      const { transform, digest } = bound.domain;
      const gate = this.#gates[i];
      if (gate && !gate.applies(original)) return;
      rewritePath(document, bound.path, transform.wholeValue, (value, concretePath) => {
        if ((value === null || value === undefined) && !transform.wholeValue) return value;
        const out = gate?.nullified(value, digest)
          ? null
          : this.#transformValue(bound, value, concretePath, ordinal, document, original);
        if (out !== value) {
          const inJson = concretePath.indexOf('.$json');
          if (inJson >= 0) touched?.add(concretePath.slice(0, inJson), true);
          else touched?.add(concretePath, !transform.wholeValue && out !== null && out !== UNSET);
        }
        return out;
      });
    });
  }

  #transformValue(
    bound: BoundRule,
    value: unknown,
    fieldPath: string,
    ordinal: number,
    document: Record<string, unknown>,
    original: (path: string) => unknown,
  ): unknown {
    const { transform, digest, registry } = bound.domain;
    for (let attempt = 0; attempt < MAX_UNIQUE_ATTEMPTS; attempt++) {
      const context: ValueContext = { attempt, digest, document, original };
      let out: unknown;
      try {
        out = transform.apply(value, context);
      } catch (error) {
        if (!(error instanceof TypeMismatch)) throw error;
        return this.#mismatch(bound, value, fieldPath, ordinal, error);
      }
      if (!registry || (out === UNSET && bound.missingIsFree) || transform.collisionFree?.(out)) return out;
      if (registry.claim(registryKeyOf(out === UNSET ? null : out), registryKeyOf(value))) return out;
      if (!transform.retryable) break;
    }
    throw new TransformError(
      'TRANSFORM_UNIQUE_COLLISION',
      `${this.#namespace} ${fieldPath}: ${bound.rule.transform} gave two different values the same output, and the field must be unique (document ${ordinal})`,
      {
        subject: { namespace: this.#namespace, fieldPath, document: ordinal },
        hint: bound.domain.transform.retryable
          ? `no free output after ${MAX_UNIQUE_ATTEMPTS} attempts: use a transform with a larger output space (e.g. a longer hash)`
          : `${bound.rule.transform} cannot vary its output: use hash, hash_email, fake or pseudonymous_id for a unique field, or set unique: false if the index allows it`,
      },
    );
  }

  #mismatch(
    bound: BoundRule,
    value: unknown,
    fieldPath: string,
    ordinal: number,
    error: TypeMismatch,
  ): unknown {
    switch (bound.rule.onTypeMismatch) {
      case 'keep':
        return value;
      case 'null':
        return null;
      case 'error':
        throw new TransformError(
          'TRANSFORM_TYPE_MISMATCH',
          `${this.#namespace} ${fieldPath}: ${bound.rule.transform} expected ${error.expected}, got ${bsonTypeName(value)} (document ${ordinal})`,
          {
            subject: { namespace: this.#namespace, fieldPath, document: ordinal },
            hint: 'fix the data or the rule, or set on_type_mismatch: null (or keep, which copies the value unchanged) on the rule',
          },
        );
    }
  }
}

const NOTHING = (): unknown => undefined;

/**
 * The top-level fields the rules can change or read (their paths, the conditions' and transforms'
 * reads, the fields late transforms read from the rewritten document); null when that is not known
 * without the whole document: a path starting with a wildcard, or a late transform declaring no reads.
 */
function selectedFields(rules: readonly BoundRule[], reads: readonly string[]): FieldSelection | null {
  const paths: string[] = [...reads];
  for (const { path, domain } of rules) {
    const { late, reads: own, documentReads } = domain.transform;
    if (late && own === undefined && documentReads === undefined) return null;
    paths.push(path.join('.'), ...(own ?? []), ...(documentReads ?? []));
  }
  const names = new Set(paths.map((p) => p.split('.')[0] ?? p));
  return names.has('*') || names.has('**') ? null : new FieldSelection(names);
}

/** The original values at `paths`, read before any rule changes the document. */
function captured(document: Record<string, unknown>, paths: readonly string[]): (path: string) => unknown {
  const values = new Map(paths.map((p) => [p, valueAtPath(document, p)]));
  return (path) => values.get(path);
}

function registryKeyOf(value: unknown): string {
  if (typeof value === 'string') return registryKeyOfString(value);
  try {
    return registryKey(canonicalBytes(value));
  } catch {
    return registryKey(Buffer.from(EJSON.stringify({ v: value }, { relaxed: false }), 'utf8'));
  }
}
