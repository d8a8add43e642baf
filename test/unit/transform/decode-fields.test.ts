import { deserialize, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { decodeCheckedFields, FieldSelection } from '../../../src/transform/decode-checked.js';

const DECODE = { promoteValues: false, bsonRegExp: true } as const;
const place = { namespace: 'shop.users', position: 3 };

describe('decodeCheckedFields', () => {
  const doc = {
    _id: 7,
    name: 'Ada',
    naam: 'same length as name, not selected',
    prénom: 'Zoë',
    address: { street: '1 Main St', city: 'Paris' },
    tags: ['a', 'b'],
    big: 'x'.repeat(1000),
  };
  const raw = serialize(doc);
  const whole = deserialize(raw, DECODE);

  it('decodes only the selected top-level fields, with the values the whole decoding gives', () => {
    const got = decodeCheckedFields(raw, new FieldSelection(['name', 'address', 'prénom']), place);
    expect(Object.keys(got)).toEqual(['name', 'prénom', 'address']);
    expect(got.name).toEqual(whole.name);
    expect(got.address).toEqual(whole.address);
    expect(got['prénom']).toBe('Zoë');
  });

  it('gives an empty object when no field is selected, and everything when all are', () => {
    expect(decodeCheckedFields(raw, new FieldSelection(['missing']), place)).toEqual({});
    const all = new FieldSelection(Object.keys(doc));
    expect(decodeCheckedFields(raw, all, place)).toEqual(whole);
  });

  it('still checks the whole document: damage in a field it skips is an archive error', () => {
    const damaged = Buffer.from(raw);
    const at = damaged.indexOf(Buffer.from('xxxx'));
    damaged.writeInt32LE(0x7fffffff, at - 4); // the string length of `big`
    expect(() => decodeCheckedFields(damaged, new FieldSelection(['name']), place)).toThrow(
      expect.objectContaining({ code: 'ARCHIVE_BAD_DOCUMENT' }),
    );
  });
});
