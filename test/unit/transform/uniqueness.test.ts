import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../src/errors/index.js';
import { anonymize, docsOf } from './dump-events.js';

// a 4-hex-character hash has 65,536 outputs: 3,000 distinct inputs collide ~65 times (birthday bound)
const docs = Array.from({ length: 3000 }, (_, i) => ({
  _id: i,
  code: `customer-${i}`,
  ref: `customer-${i}`,
}));
const UNIQUE_INDEX = { v: 2, key: { code: 1 }, name: 'code_1', unique: true };

describe('uniqueness', () => {
  it('the forced collisions are real: without uniqueness a 4-hex hash collides', async () => {
    const out = docsOf(
      await anonymize('rules:\n  c:\n    fields:\n      code: { transform: hash, length: 4 }', [
        { ns: 'd.c', docs },
      ]),
      'd.c',
    );
    expect(new Set(out.map((d) => d.code)).size).toBeLessThan(3000);
  });

  it('under a unique index (from the prelude metadata) outputs never collide', async () => {
    const out = docsOf(
      await anonymize('rules:\n  c:\n    fields:\n      code: { transform: hash, length: 4 }', [
        { ns: 'd.c', docs, indexes: [UNIQUE_INDEX] },
      ]),
      'd.c',
    );
    expect(out).toHaveLength(3000);
    expect(new Set(out.map((d) => d.code)).size).toBe(3000);
    expect(out.every((d) => /^[0-9a-f]{4}$/.test(d.code as string))).toBe(true);
  });

  it('unique: true does the same without an index, and a non-unique reference in the group resolves identically', async () => {
    const events = await anonymize(
      `rules:
  c:
    fields:
      code: { transform: hash, length: 4, group: code, unique: true }
  r:
    fields:
      ref: { transform: hash, length: 4, group: code }
`,
      [
        { ns: 'd.c', docs },
        { ns: 'd.r', docs },
      ],
    );
    const codes = docsOf(events, 'd.c').map((d) => d.code);
    const refs = docsOf(events, 'd.r').map((d) => d.ref);
    expect(new Set(codes).size).toBe(3000);
    expect(refs).toEqual(codes);
  });

  it('resolves collisions deterministically: two runs give the same output', async () => {
    const rules = 'rules:\n  c:\n    fields:\n      code: { transform: hash, length: 4, unique: true }';
    const a = docsOf(await anonymize(rules, [{ ns: 'd.c', docs }]), 'd.c');
    const b = docsOf(await anonymize(rules, [{ ns: 'd.c', docs }]), 'd.c');
    expect(b).toEqual(a);
  });

  it('a constant on a unique-indexed field fails loudly naming the namespace and field', async () => {
    const run = anonymize('rules:\n  c:\n    fields:\n      code: { transform: constant, value: same }', [
      { ns: 'd.c', docs, indexes: [UNIQUE_INDEX] },
    ]);
    await expect(run).rejects.toBeInstanceOf(TransformError);
    await expect(run).rejects.toMatchObject({
      code: 'TRANSFORM_UNIQUE_COLLISION',
      subject: { namespace: 'd.c', fieldPath: 'code', document: 2 },
    });
  });

  it('a full uniqueness memory fails loudly instead of risking duplicates', async () => {
    const run = anonymize(
      'defaults:\n  unique_max_entries: 100\nrules:\n  c:\n    fields:\n      code: { transform: hash, length: 8, unique: true }',
      [{ ns: 'd.c', docs }],
    );
    await expect(run).rejects.toMatchObject({ code: 'TRANSFORM_UNIQUE_MEMORY' });
  });

  it('wide outputs (ObjectId pseudonyms) skip the memory: a tiny bound still passes', async () => {
    const { ObjectId } = await import('bson');
    const ids = Array.from({ length: 500 }, (_, i) => ({ _id: ObjectId.createFromTime(i) }));
    const out = docsOf(
      await anonymize(
        'defaults:\n  unique_max_entries: 1\nrules:\n  c:\n    fields:\n      _id: { transform: pseudonymous_id }',
        [{ ns: 'd.c', docs: ids }],
      ),
      'd.c',
    );
    expect(new Set(out.map((d) => String(d._id))).size).toBe(500);
  });
});
