import { serialize } from 'bson';
import { TransformError } from '../errors/index.js';
import { isDocument, isDouble, isInt32, isLong } from './bson-value.js';
import { int32, keyText, valueEnd } from './bson-elements.js';

/**
 * The concrete paths (`Contacts.2.Email`) whose value a rule replaced or removed in one document, and
 * whether the new value was computed from the old one (`derived`: a hash, a mask, a fake value seeded
 * by it) rather than replacing it whatever it was (`null`, `unset`, `constant`).
 */
export class TouchedPaths {
  readonly #leaves = new Map<string, boolean>();
  readonly #ancestors = new Set<string>();

  get size(): number {
    return this.#leaves.size;
  }

  add(concretePath: string, derived: boolean): void {
    this.#leaves.set(concretePath, derived || this.#leaves.get(concretePath) === true);
    for (let dot = concretePath.indexOf('.'); dot >= 0; dot = concretePath.indexOf('.', dot + 1))
      this.#ancestors.add(concretePath.slice(0, dot));
  }

  /** `leaf` (re-encode this value), `inside` (a value below it changed), or undefined (keep its bytes). */
  at(path: string): { readonly derived: boolean } | 'inside' | undefined {
    const derived = this.#leaves.get(path);
    if (derived !== undefined) return { derived };
    return this.#ancestors.has(path) ? 'inside' : undefined;
  }
}

const NO_BYTES = new Uint8Array(0);

/** Element types the decoder cannot give back as they were: Undefined (0x06) and DBPointer (0x0C). */
const LOSSY_TYPES = new Set([0x06, 0x0c]);

/** Names the document in a fail-closed error. */
export interface SplicePlace {
  readonly namespace: string;
  readonly ordinal: number;
}

/**
 * Write the rewritten document by splicing: every element no rule touched keeps its exact original
 * bytes (whatever its type, deprecated ones included), embedded documents and arrays on the way to a
 * touched value are rebuilt around it, and only touched values are encoded again from `decoded`
 * (removed fields are left out). With nothing touched the original bytes are returned as they are.
 *
 * `raw` must be structurally valid BSON (checkBsonStructure) and `decoded` its decoding after the
 * rules ran (`deserialize(raw, { promoteValues: false, bsonRegExp: true })`).
 *
 * @throws TransformError `TRANSFORM_TYPE_MISMATCH` when a rule computed a new value from an Undefined
 *   or DBPointer value (or a document or array holding one), whose decoded form is not the original:
 *   the output would silently change type, so the document is refused with the field path
 */
export function spliceDocument(
  raw: Uint8Array,
  decoded: Record<string, unknown>,
  touched: TouchedPaths,
  place: SplicePlace,
): Uint8Array {
  if (touched.size === 0) return raw;
  return container(raw, 0, decoded, '', false, touched, place);
}

function container(
  raw: Uint8Array,
  start: number,
  decoded: Record<string, unknown> | unknown[],
  prefix: string,
  isArray: boolean,
  touched: TouchedPaths,
  place: SplicePlace,
): Uint8Array {
  const end = start + int32(raw, start) - 1;
  const pieces: Uint8Array[] = [];
  let i = start + 4;
  let position = 0;
  let runStart = -1;
  while (i < end) {
    const type = raw[i] ?? 0;
    let keyEnd = i + 1;
    let ascii = true;
    while (raw[keyEnd] !== 0) {
      if ((raw[keyEnd] ?? 0) >= 0x80) ascii = false;
      keyEnd++;
    }
    const valueAt = keyEnd + 1;
    const next = valueEnd(raw, type, valueAt);
    const key = isArray ? String(position++) : keyText(raw, i + 1, keyEnd, ascii);
    const path = prefix ? `${prefix}.${key}` : key;
    const mark = touched.at(path);
    if (mark === undefined) {
      // consecutive untouched elements are copied as one run of original bytes
      if (runStart < 0) runStart = i;
    } else {
      if (runStart >= 0) pieces.push(raw.subarray(runStart, i));
      runStart = -1;
      const present = isArray || Object.hasOwn(decoded, key);
      const value = (decoded as Record<string, unknown>)[key];
      if (
        mark === 'inside' &&
        (type === 0x03 || type === 0x04) &&
        (isDocument(value) || Array.isArray(value))
      ) {
        pieces.push(raw.subarray(i, valueAt));
        pieces.push(container(raw, valueAt, value, path, type === 0x04, touched, place));
      } else if (present) {
        if (mark !== 'inside' && mark.derived && holdsLossy(raw, type, valueAt)) throw lossy(path, place);
        const encoded = encodeValue(value);
        if (encoded) pieces.push(Uint8Array.of(encoded.type), raw.subarray(i + 1, valueAt), encoded.bytes);
      }
    }
    i = next;
  }
  if (runStart >= 0) pieces.push(raw.subarray(runStart, end));
  let length = 5;
  for (const p of pieces) length += p.length;
  const out = Buffer.allocUnsafe(length);
  out.writeInt32LE(length, 0);
  let at = 4;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  out[at] = 0;
  return out;
}

/**
 * The type byte and value bytes of `value` as the encoder writes it; null when it writes nothing.
 * Strings (int32 byte length + 1, UTF-8, 0x00), null, Int32, Int64 and Double, most of what rules
 * write, are encoded here as `serialize` writes them (bsonspec.org), without building and copying a
 * wrapper document; other values go through `serialize`.
 */
function encodeValue(value: unknown): { type: number; bytes: Uint8Array } | null {
  if (typeof value === 'string') {
    const length = Buffer.byteLength(value, 'utf8');
    const bytes = Buffer.allocUnsafe(length + 5);
    bytes.writeInt32LE(length + 1, 0);
    bytes.write(value, 4, 'utf8');
    bytes[length + 4] = 0;
    return { type: 0x02, bytes };
  }
  if (value === null) return { type: 0x0a, bytes: NO_BYTES };
  if (isInt32(value)) {
    const bytes = Buffer.allocUnsafe(4);
    bytes.writeInt32LE(value.value, 0);
    return { type: 0x10, bytes };
  }
  if (isLong(value)) {
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeInt32LE(value.low, 0);
    bytes.writeInt32LE(value.high, 4);
    return { type: 0x12, bytes };
  }
  if (isDouble(value)) {
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleLE(value.value, 0);
    return { type: 0x01, bytes };
  }
  const doc = serialize({ v: value });
  if (doc.length <= 5) return null;
  return { type: doc[4] ?? 0, bytes: doc.subarray(7, doc.length - 1) };
}

/** True when the value at `at` is, or contains, an element of a lossy type. */
function holdsLossy(raw: Uint8Array, type: number, at: number): boolean {
  if (LOSSY_TYPES.has(type)) return true;
  if (type !== 0x03 && type !== 0x04) return false;
  const end = at + int32(raw, at) - 1;
  for (let i = at + 4; i < end;) {
    const inner = raw[i] ?? 0;
    let keyEnd = i + 1;
    while (raw[keyEnd] !== 0) keyEnd++;
    if (holdsLossy(raw, inner, keyEnd + 1)) return true;
    i = valueEnd(raw, inner, keyEnd + 1);
  }
  return false;
}

function lossy(path: string, place: SplicePlace): TransformError {
  return new TransformError(
    'TRANSFORM_TYPE_MISMATCH',
    `${place.namespace} ${path}: a rule would rewrite an undefined or dbPointer value, which dbfork cannot encode as it was (document ${place.ordinal})`,
    {
      subject: { namespace: place.namespace, fieldPath: path, document: place.ordinal },
      hint: 'use null, unset or constant on this field (they replace the value whatever its type), or convert the deprecated values in the source',
    },
  );
}
