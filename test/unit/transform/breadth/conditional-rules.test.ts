import { serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../src/config/load-rules.js';
import { FieldClassifier } from '../../../../src/policy/field-classifier.js';
import { findUnclassifiedField } from '../../../../src/policy/unclassified-field.js';
import { anonymize, docsOf } from '../dump-events.js';

const run = async (fields: string, docs: Record<string, unknown>[]) =>
  docsOf(await anonymize(`rules:\n  c:\n    fields:\n${fields}`, [{ ns: 'd.c', docs }]), 'd.c');

describe('when: conditions', () => {
  const docs = [
    { _id: 1, kind: 'person', n: 5, v: 'a' },
    { _id: 2, kind: 'company', n: 5, v: 'a' },
    { _id: 3, kind: 'lead', v: 'a' },
    { _id: 4, v: 'a' },
  ];
  const applied = async (when: string) =>
    (await run(`      v: { transform: constant, value: X, when: ${when} }`, docs)).map((d) => d.v === 'X');
  it('equality, $in, $nin, $ne, $exists and $type on original values', async () => {
    expect(await applied('{ kind: person }')).toEqual([true, false, false, false]);
    expect(await applied('{ kind: { $in: [person, lead] } }')).toEqual([true, false, true, false]);
    expect(await applied('{ kind: { $nin: [person] } }')).toEqual([false, true, true, true]);
    expect(await applied('{ kind: { $ne: company } }')).toEqual([true, false, true, true]);
    expect(await applied('{ n: { $exists: true } }')).toEqual([true, true, false, false]);
    expect(await applied('{ kind: { $exists: false } }')).toEqual([false, false, false, true]);
    expect(await applied('{ n: { $type: number }, kind: company }')).toEqual([false, true, false, false]);
    expect(await applied('{ n: 5 }')).toEqual([true, true, false, false]);
  });
  it('tests the document as it arrived, even when a rule changes the tested field first', async () => {
    const out = await run(
      '      kind: { transform: constant, value: other }\n      v: { transform: constant, value: X, when: { kind: person } }',
      docs,
    );
    expect(out.map((d) => d.v)).toEqual(['X', 'a', 'a', 'a']);
  });
});

describe('** patterns, array positions, $json', () => {
  it('** reaches a key at any depth, through arrays, once each', async () => {
    const [d] = await run('      "**.email": { transform: hash_email }', [
      {
        _id: 1,
        email: 'a@x.example',
        p: { email: 'b@x.example', q: [{ email: 'c@x.example' }, { r: { email: 'd@x.example' } }] },
      },
    ]);
    const all = JSON.stringify(d);
    expect(all).not.toMatch(/[abcd]@x\.example/);
    expect(all.match(/@anonymized\.dbfork\.local/g)).toHaveLength(4);
  });
  it('array elements by position', async () => {
    const [d] = await run('      tags.1: { transform: constant, value: X }', [
      { _id: 1, tags: ['a', 'b', 'c'] },
    ]);
    expect(d!.tags).toEqual(['a', 'X', 'c']);
  });
  it('$json rewrites values inside JSON and Extended JSON strings, leaving other text alone', async () => {
    const [d] = await run(
      '      payload.$json.user.email: { transform: hash_email }\n      other.$json.a: { transform: hash }',
      [
        {
          _id: 1,
          payload: JSON.stringify({
            user: { email: 'a@x.example', id: { $oid: '5f0000000000000000000000' } },
            n: 1,
          }),
          other: 'not json',
        },
      ],
    );
    const payload = JSON.parse(d!.payload as string);
    expect(payload.user.email).toMatch(/@anonymized\.dbfork\.local$/);
    expect(payload.user.id).toEqual({ $oid: '5f0000000000000000000000' });
    expect(payload.n).toBe(1);
    expect(d!.other).toMatch(/^[0-9a-f]{16}$/); // not JSON: the whole string goes through the transform
  });
  it('refuses ** or $json at the end of a path', async () => {
    await expect(run('      "a.**": { transform: hash }', [])).rejects.toThrow(
      /\*\* must be followed by a key/,
    );
    await expect(run('      a.$json: { transform: hash }', [])).rejects.toThrow(
      /\$json must be followed by a key/,
    );
  });
  it('a ** rule does not clash with a rule on another field, but does on the same one', async () => {
    await expect(
      run('      "**.email": { transform: hash }\n      name: { transform: hash }', []),
    ).resolves.toEqual([]);
    await expect(
      run('      "**.email": { transform: hash }\n      a.email: { transform: hash }', []),
    ).rejects.toThrow(/overlaps/);
  });
  it('the strict field check classifies what ** reaches (the gate and scan --strict)', () => {
    const rules = parseRules(
      'rules:\n  c:\n    fields:\n      "**.email": { transform: hash_email }\n    keep: [_id, p.name]',
      'r.yaml',
    );
    const classifier = new FieldClassifier(rules.rules.collections);
    expect(
      findUnclassifiedField(
        classifier,
        serialize({ _id: 1, email: 'x', p: { name: 'n', q: [{ email: 'y' }] } }),
      ),
    ).toBeNull();
    expect(
      findUnclassifiedField(classifier, serialize({ _id: 1, p: { q: [{ email: 'y', phone: '1' }] } })),
    ).toBe('p.q.phone');
  });
});
