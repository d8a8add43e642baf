import { deserialize, Double, Int32, Long, ObjectId, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { spliceDocument, TouchedPaths } from '../../../src/transform/splice-writer.js';

const DECODE = { promoteValues: false, bsonRegExp: true } as const;
const place = { namespace: 'shop.users', ordinal: 1 };

/** The document with `a` replaced, spliced, next to what `serialize` writes for the same document. */
function both(value: unknown): { spliced: string; serialized: string } {
  const raw = serialize({ _id: 1, a: 'original', z: true });
  const decoded = deserialize(raw, DECODE);
  decoded.a = value;
  const touched = new TouchedPaths();
  touched.add('a', true);
  return {
    spliced: Buffer.from(spliceDocument(raw, decoded, touched, place)).toString('hex'),
    serialized: Buffer.from(serialize(decoded)).toString('hex'),
  };
}

describe('spliced values are encoded as serialize encodes them', () => {
  const values: Record<string, unknown> = {
    'an ASCII string': 'ada@example.com',
    'an empty string': '',
    'a string with an embedded NUL': 'a\0b',
    'a non-ASCII string': 'Zoë Ångström 東京 🙂',
    'a lone surrogate': 'x\ud800y',
    null: null,
    'Int32 limits': new Int32(-2147483648),
    'Int32 max': new Int32(2147483647),
    'a negative Long': Long.fromString('-9007199254740993'),
    'a large Long': Long.fromString('9223372036854775807'),
    'a Double': new Double(3.25),
    'a Double NaN': new Double(Number.NaN),
    'a Double -0': new Double(-0),
    'a Double infinity': new Double(Number.NEGATIVE_INFINITY),
    'an ObjectId (through serialize)': new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
    'a date (through serialize)': new Date('2024-02-29T12:00:00Z'),
  };
  for (const [name, value] of Object.entries(values)) {
    it(name, () => {
      const { spliced, serialized } = both(value);
      expect(spliced).toBe(serialized);
    });
  }
});
