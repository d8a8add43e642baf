import { Binary, Int32, Long, MaxKey, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { resumeAfter, typeBracket } from '../../../src/mongodb/resume-filter.js';

describe('resume filter for _id-sorted scans', () => {
  it('puts values in MongoDB sort-order brackets', () => {
    expect(typeBracket(new Int32(1))).toBe(typeBracket(new Long(5)));
    expect(typeBracket(3)).toBeLessThan(typeBracket('a'));
    expect(typeBracket('a')).toBeLessThan(typeBracket({ a: 1 }));
    expect(typeBracket(new Binary(Buffer.alloc(1)))).toBeLessThan(typeBracket(new ObjectId()));
    expect(typeBracket(new ObjectId())).toBeLessThan(typeBracket(true));
    expect(typeBracket(true)).toBeLessThan(typeBracket(new Date()));
  });

  it('continues after a string _id with every higher type included', () => {
    const filter = resumeAfter('m');
    expect(filter).toEqual({
      $or: [
        { _id: { $gt: 'm' } },
        {
          _id: {
            $type: ['object', 'array', 'binData', 'objectId', 'bool', 'date', 'timestamp', 'regex', 'maxKey'],
          },
        },
      ],
    });
  });

  it('leaves out types the server cannot store (FerretDB: no maxKey, symbol, decimal, minKey)', () => {
    const storable = new Set([
      'double',
      'int',
      'long',
      'string',
      'object',
      'binData',
      'objectId',
      'bool',
      'date',
      'timestamp',
      'regex',
    ]);
    expect(resumeAfter(41, storable)).toEqual({
      $or: [
        { _id: { $gt: 41 } },
        { _id: { $type: ['string', 'object', 'binData', 'objectId', 'bool', 'date', 'timestamp', 'regex'] } },
      ],
    });
  });

  it('needs no $type after MaxKey', () => {
    const last = new MaxKey();
    expect(resumeAfter(last)).toEqual({ _id: { $gt: last } });
  });
});
