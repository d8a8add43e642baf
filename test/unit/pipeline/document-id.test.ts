import { BSON, Binary, Decimal128, Int32, Long, MaxKey, ObjectId, Timestamp, UUID } from 'bson';
import { describe, expect, it } from 'vitest';
import { documentId } from '../../../src/pipeline/dump-subset-reader.js';

const options = { promoteLongs: false, bsonRegExp: true } as const;

describe('documentId: the _id of raw BSON, read from the first element when it can be', () => {
  const ids: unknown[] = [
    new ObjectId(),
    'a string id',
    new Int32(7),
    new Long(2n ** 60n),
    3.5,
    true,
    new Date(1_700_000_000_000),
    new Decimal128('12.50'),
    new Timestamp({ t: 5, i: 1 }),
    new UUID(),
    new Binary(Buffer.from('raw bytes'), 0),
    { nested: 'document', n: 1 },
    ['an', 'array'],
    new MaxKey(),
    null,
  ];
  it.each(ids.map((id) => [String(id), id]))('%s', (_name, id) => {
    const bson = BSON.serialize({ _id: id, other: 'field', more: [1, 2, 3] });
    expect(documentId(bson)).toEqual(BSON.deserialize(bson, options)['_id']);
  });

  it('finds an _id that is not the first element', () => {
    const bson = BSON.serialize({ first: 1, _id: 'late' });
    expect(documentId(bson)).toBe('late');
  });
});
