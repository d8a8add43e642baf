import { isUtf8 } from 'node:buffer';

/** Where and why a document is not well-formed BSON. `at` is the byte offset inside the document. */
export interface StructureFault {
  readonly at: number;
  /** Dotted path of the element at fault ("" for the document itself). */
  readonly path: string;
  readonly reason: string;
}

/**
 * `maxBSONDepth`, mongod's default nesting limit: deeper documents are refused (and would exhaust the
 * stack of a recursive decoder).
 */
export const MAX_BSON_DEPTH = 200;

/** Below this many bytes a string is checked for ASCII in JS; longer ones go to the native UTF-8 check. */
const NATIVE_UTF8_FROM = 24;

/**
 * Walk a BSON document's elements without materializing values (the BSON 1.1 spec, bsonspec.org): every
 * length stays inside its parent, every document ends with 0x00 exactly where its length says, element
 * types are known (0x01..0x13, 0x7F, 0xFF), keys and strings are NUL-terminated UTF-8, strings,
 * code and symbols have a length ≥ 1 ending in 0x00, booleans are 0 or 1, binary subtype 2 carries its
 * inner length, code with scope's total length matches its parts, DBPointer has its 12-byte id, and the
 * nesting is at most {@link MAX_BSON_DEPTH}. What a decoder would refuse, this refuses; for a valid
 * document it allocates only the paths of embedded documents.
 *
 * @param bytes one whole document (its int32 length must equal `bytes.length`)
 * @returns null when well-formed, else the first fault
 */
export function checkBsonStructure(bytes: Uint8Array): StructureFault | null {
  if (bytes.length < 5)
    return { at: 0, path: '', reason: `${bytes.length} bytes is shorter than a document` };
  const stated = int32(bytes, 0);
  if (stated !== bytes.length)
    return { at: 0, path: '', reason: `the document states ${stated} bytes but holds ${bytes.length}` };
  const walk: Walk = { b: bytes, keys: [], fault: null };
  walkDocument(walk, 0, bytes.length, 0);
  return walk.fault;
}

interface Walk {
  readonly b: Uint8Array;
  /** Start and end offsets of the keys from the root to the current element (pairs). */
  readonly keys: number[];
  fault: StructureFault | null;
}

/** Records the first fault at the current element's path; returns -1 for the callers to propagate. */
function fail(w: Walk, at: number, reason: string): -1 {
  if (!w.fault) {
    const parts: string[] = [];
    for (let i = 0; i + 1 < w.keys.length; i += 2) parts.push(latin(w.b, w.keys[i] ?? 0, w.keys[i + 1] ?? 0));
    w.fault = { at, path: parts.join('.'), reason };
  }
  return -1;
}

/** A document (or array) at `start`, inside a parent ending at `limit`; returns its end offset or -1. */
function walkDocument(w: Walk, start: number, limit: number, depth: number): number {
  const b = w.b;
  if (depth > MAX_BSON_DEPTH) return fail(w, start, `nested deeper than ${MAX_BSON_DEPTH} levels`);
  if (start + 5 > limit) return fail(w, start, 'an embedded document runs past its parent');
  const length = int32(b, start);
  if (length < 5 || start + length > limit)
    return fail(w, start, `an embedded document length of ${length} does not fit its parent`);
  const end = start + length - 1;
  if (b[end] !== 0) return fail(w, end, 'a document does not end with 0x00');
  const keys = w.keys;
  const slot = keys.length;
  keys.push(0, 0);
  let i = start + 4;
  while (i < end) {
    const type = b[i] ?? 0;
    const keyStart = i + 1;
    let keyEnd = keyStart;
    let high = 0;
    for (let c = b[keyEnd] ?? 0; c !== 0 && keyEnd < end; c = b[++keyEnd] ?? 0) high |= c;
    keys[slot] = keyStart;
    keys[slot + 1] = keyEnd;
    if (keyEnd >= end) return fail(w, keyStart, 'an element name has no NUL before the end of its document');
    if (high >= 0x80 && !isUtf8(b.subarray(keyStart, keyEnd)))
      return fail(w, keyStart, 'an element name is not valid UTF-8');
    i = walkValue(w, type, keyEnd + 1, end, depth);
    if (i < 0) return -1;
  }
  keys.length = slot;
  if (i !== end) return fail(w, i, 'the elements run past the end of their document');
  return start + length;
}

/** One value of `type` at `at`, inside a document whose 0x00 is at `end`; returns the offset after it or -1. */
function walkValue(w: Walk, type: number, at: number, end: number, depth: number): number {
  const b = w.b;
  let size: number;
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      size = 8;
      break;
    case 0x07:
      size = 12;
      break;
    case 0x10:
      size = 4;
      break;
    case 0x13:
      size = 16;
      break;
    case 0x06:
    case 0x0a:
    case 0x7f:
    case 0xff:
      return at;
    case 0x08:
      if (at + 1 > end) return fail(w, at, 'a boolean runs past the end of its document');
      if (b[at] !== 0 && b[at] !== 1) return fail(w, at, `a boolean holds ${b[at]} (must be 0 or 1)`);
      return at + 1;
    case 0x02:
    case 0x0d:
    case 0x0e:
      return walkString(w, at, end, type);
    case 0x0c: {
      const next = walkString(w, at, end, type);
      if (next < 0) return -1;
      if (next + 12 > end) return fail(w, next, 'a dbPointer id runs past the end of its document');
      return next + 12;
    }
    case 0x03:
    case 0x04:
      return walkDocument(w, at, end, depth + 1);
    case 0x05: {
      if (at + 5 > end) return fail(w, at, 'a binary runs past the end of its document');
      const length = int32(b, at);
      if (length < 0 || at + 5 + length > end)
        return fail(w, at, `a binary length of ${length} does not fit its document`);
      if (b[at + 4] === 0x02 && (length < 4 || int32(b, at + 5) !== length - 4))
        return fail(w, at, 'a binary of subtype 2 has a wrong inner length');
      return at + 5 + length;
    }
    case 0x0b: {
      let pattern = at;
      while (pattern < end && b[pattern] !== 0) pattern++;
      let options = pattern + 1;
      while (options < end && b[options] !== 0) options++;
      if (options >= end) return fail(w, at, 'a regular expression has no NUL terminator');
      if (!utf8(b, at, pattern) || !utf8(b, pattern + 1, options))
        return fail(w, at, 'a regular expression is not valid UTF-8');
      return options + 1;
    }
    case 0x0f: {
      if (at + 4 > end) return fail(w, at, 'a code with scope runs past the end of its document');
      const total = int32(b, at);
      if (total < 14 || at + total > end)
        return fail(w, at, `a code with scope length of ${total} does not fit its document`);
      const afterCode = walkString(w, at + 4, at + total, type);
      if (afterCode < 0) return -1;
      const afterScope = walkDocument(w, afterCode, at + total, depth + 1);
      if (afterScope < 0) return -1;
      if (afterScope !== at + total)
        return fail(w, at, 'a code with scope length does not match its code and scope');
      return afterScope;
    }
    default:
      return fail(w, at - 1, `unknown element type 0x${type.toString(16).padStart(2, '0')}`);
  }
  if (at + size > end) return fail(w, at, `a ${typeName(type)} runs past the end of its document`);
  return at + size;
}

/** An int32-length-prefixed, NUL-terminated UTF-8 string; returns the offset after it, or -1. */
function walkString(w: Walk, at: number, end: number, type: number): number {
  const b = w.b;
  if (at + 4 > end) return fail(w, at, `a ${typeName(type)} runs past the end of its document`);
  const length = int32(b, at);
  if (length < 1 || at + 4 + length > end)
    return fail(w, at, `a ${typeName(type)} length of ${length} does not fit its document`);
  const last = at + 4 + length - 1;
  if (b[last] !== 0) return fail(w, last, `a ${typeName(type)} does not end with 0x00`);
  if (!utf8(b, at + 4, last)) return fail(w, at + 4, `a ${typeName(type)} is not valid UTF-8`);
  return last + 1;
}

function utf8(b: Uint8Array, from: number, to: number): boolean {
  if (to - from >= NATIVE_UTF8_FROM) return isUtf8(b.subarray(from, to));
  for (let i = from; i < to; i++) if ((b[i] ?? 0) >= 0x80) return isUtf8(b.subarray(from, to));
  return true;
}

function int32(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24);
}

/** A key for a message: its bytes as Latin-1 (never throws, even for invalid UTF-8). */
function latin(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, Math.min(to - from, 64)).toString('latin1');
}

const TYPE_NAMES: Record<number, string> = {
  0x01: 'double',
  0x02: 'string',
  0x07: 'objectId',
  0x09: 'date',
  0x0c: 'dbPointer',
  0x0d: 'code',
  0x0e: 'symbol',
  0x0f: 'code with scope',
  0x10: 'int32',
  0x11: 'timestamp',
  0x12: 'int64',
  0x13: 'decimal128',
};

function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type 0x${type.toString(16)}`;
}
