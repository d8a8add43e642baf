import { EJSON } from 'bson';
import type { NormalizedFieldRule } from '../config/normalized-rules.js';
import { bsonTypeName, isDate, isDocument, isDouble, isInt32, isLong } from './bson-value.js';
import { canonicalBytes } from './canonical-bytes.js';
import type { FieldTransform } from './field-transform.js';
import type { DomainDigest } from './hasher.js';

/** The value at a dot path from the document root (keys only; arrays are not entered). */
export function valueAtPath(document: Record<string, unknown>, path: string): unknown {
  let node: unknown = document;
  for (const key of path.split('.')) {
    if (!isDocument(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A decoded BSON value as a plain comparable: numbers of every width as numbers, others as they are. */
function plain(value: unknown): unknown {
  if (isInt32(value) || isDouble(value)) return value.value;
  if (isLong(value)) return value.toNumber();
  return value;
}

const TYPE_OF: Readonly<Record<string, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof plain(v) === 'number',
  bool: (v) => typeof v === 'boolean',
  date: isDate,
  objectId: (v) => bsonTypeName(v) === 'objectId',
  object: isDocument,
  array: Array.isArray,
  null: (v) => v === null,
  binData: (v) => bsonTypeName(v).startsWith('binData'),
};

/** One `when:` test of one value: a literal (equality) or an operator object. */
function test(value: unknown, condition: unknown): boolean {
  const candidates = Array.isArray(value) ? [value, ...value] : [value];
  const equals = (want: unknown) => candidates.some((v) => plain(v ?? null) === want);
  if (!isDocument(condition)) return equals(condition);
  for (const [op, arg] of Object.entries(condition)) {
    const ok =
      op === '$eq'
        ? equals(arg)
        : op === '$ne'
          ? !equals(arg)
          : op === '$in'
            ? (arg as unknown[]).some(equals)
            : op === '$nin'
              ? !(arg as unknown[]).some(equals)
              : op === '$exists'
                ? (value !== undefined) === arg
                : op === '$type'
                  ? value !== undefined && (TYPE_OF[arg as string]?.(value) ?? false)
                  : false;
    if (!ok) return false;
  }
  return true;
}

/**
 * What a document-level gate needs per rule: its `when:` tests (on original values), the paths its
 * transform reads, and its `nullify_fraction`.
 */
export interface RuleGate {
  /** Dot paths to capture before any rule runs (conditions and transform reads). */
  readonly reads: readonly string[];
  /** True when the rule applies to a document whose original values `read` returns. */
  applies(read: (path: string) => unknown): boolean;
  /** True when this value is in the keyed `nullify_fraction` of the rule's values. */
  nullified(value: unknown, digest: DomainDigest): boolean;
}

/** 0xFF 0xFD: no canonical scalar starts with it (see canonical-bytes.ts), so no pseudonym equals it. */
const NULLIFY_LABEL = Buffer.from([0xff, 0xfd]);

/**
 * Compile a rule's gate. `when` tests: a literal means equality (numbers of any BSON width compare
 * by value; an array field passes when it or any element passes), `$eq`, `$ne`, `$in`, `$nin`,
 * `$exists`, `$type` (`string`, `number`, `bool`, `date`, `objectId`, `object`, `array`, `null`,
 * `binData`); every test must pass. A missing field passes only `$exists: false`, `$ne` and `$nin`.
 */
export function ruleGate(rule: NormalizedFieldRule, transform: FieldTransform): RuleGate {
  const when = Object.entries(rule.when ?? {});
  const fraction = rule.nullifyFraction;
  return {
    reads: [...when.map(([path]) => path), ...(transform.reads ?? [])],
    applies: (read) => when.every(([path, condition]) => test(read(path), condition)),
    nullified(value, digest) {
      if (fraction === undefined || fraction <= 0) return false;
      let bytes: Buffer;
      try {
        bytes = canonicalBytes(value);
      } catch {
        bytes = Buffer.from(EJSON.stringify({ v: value }, { relaxed: false }), 'utf8');
      }
      return digest(Buffer.concat([NULLIFY_LABEL, bytes])).readUInt32BE(0) / 2 ** 32 < fraction;
    },
  };
}
