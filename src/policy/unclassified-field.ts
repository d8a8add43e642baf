import { ArchiveError } from '../errors/index.js';
import { keyText } from '../transform/bson-elements.js';
import { markOf, stepIndex, stepKey, type ClassifierNode, type FieldClassifier } from './field-classifier.js';

/**
 * The first field path of a raw BSON document that the classifier leaves unclassified (keys joined
 * by dots, array positions left out, as `scan` reports paths), or null when every leaf is
 * transformed or kept. Walks the bytes without decoding values: a covered subtree is skipped whole,
 * so a document costs one pass over its keys. Leaves are scalars and empty documents or arrays.
 *
 * Byte layout from the BSON specification (bsonspec.org): int32 length, elements (type byte,
 * cstring key, value), 0x00.
 *
 * @throws ArchiveError `ARCHIVE_BAD_DOCUMENT` for an unknown element type or a length past the end
 */
export function findUnclassifiedField(classifier: FieldClassifier, bson: Uint8Array): string | null {
  if (classifier.coversEverything) return null;
  const buf = Buffer.from(bson.buffer, bson.byteOffset, bson.byteLength);
  return walk(buf, 0, [classifier.root], false, []);
}

function walk(
  buf: Buffer,
  start: number,
  nodes: readonly ClassifierNode[],
  isArray: boolean,
  path: string[],
): string | null {
  const end = start + buf.readInt32LE(start) - 1;
  let pos = start + 4;
  let index = 0;
  while (pos < end) {
    const type = buf[pos] ?? 0;
    // keys are short: a loop here costs less than a native indexOf and toString per element
    let keyEnd = pos + 1;
    let ascii = true;
    for (; keyEnd < end && buf[keyEnd] !== 0; keyEnd++) if ((buf[keyEnd] ?? 0) >= 0x80) ascii = false;
    if (keyEnd >= end) throw bad(pos);
    const key = isArray ? '' : keyText(buf, pos + 1, keyEnd, ascii);
    const valueAt = keyEnd + 1;
    const next = isArray ? stepIndex(nodes, index++) : stepKey(nodes, key);
    const valueEnd = valueAt + valueSize(buf, type, valueAt);
    if (valueEnd > end + 1) throw bad(pos);
    if (markOf(next) === 'unclassified') {
      const here = isArray ? path : [...path, key];
      const container = type === 0x03 || type === 0x04;
      if (!container || buf.readInt32LE(valueAt) <= 5) return here.join('.');
      const found = walk(buf, valueAt, next, type === 0x04, here);
      if (found !== null) return found;
    }
    pos = valueEnd;
  }
  return null;
}

const FIXED: Readonly<Record<number, number>> = {
  0x01: 8, // double
  0x06: 0, // undefined
  0x07: 12, // ObjectId
  0x08: 1, // boolean
  0x09: 8, // UTC datetime
  0x0a: 0, // null
  0x10: 4, // int32
  0x11: 8, // timestamp
  0x12: 8, // int64
  0x13: 16, // decimal128
  0x7f: 0, // max key
  0xff: 0, // min key
};

/** Size in bytes of the value of an element of `type` starting at `at`. */
function valueSize(buf: Buffer, type: number, at: number): number {
  const fixed = FIXED[type];
  if (fixed !== undefined) return fixed;
  switch (type) {
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + buf.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return buf.readInt32LE(at);
    case 0x05: // binary: int32 length, subtype, bytes
      return 5 + buf.readInt32LE(at);
    case 0x0b: {
      // regular expression: two cstrings
      const first = buf.indexOf(0, at);
      return buf.indexOf(0, first + 1) + 1 - at;
    }
    case 0x0c: // DBPointer: string + ObjectId
      return 4 + buf.readInt32LE(at) + 12;
    default:
      throw bad(at - 1, type);
  }
}

function bad(offset: number, type?: number): ArchiveError {
  return new ArchiveError(
    'ARCHIVE_BAD_DOCUMENT',
    type === undefined
      ? `a BSON document is malformed at byte ${offset}`
      : `a BSON document has an unknown element type 0x${type.toString(16)} at byte ${offset}`,
    { subject: { offset } },
  );
}
