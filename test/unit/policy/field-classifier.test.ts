import { Binary, Decimal128, Int32, Long, ObjectId, serialize, Timestamp } from 'bson';
import fc from 'fast-check';
import { deserialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';
import { displayPath } from '../../../src/transform/path-coverage.js';
import { fieldClassifierFor } from '../../../src/policy/path-classifier.js';
import { findUnclassifiedField } from '../../../src/policy/unclassified-field.js';
import { walkLeaves } from '../../../src/policy/walk-leaves.js';

const ns = { db: 'app', collection: 'people' };
const classifierOf = (yaml: string) => fieldClassifierFor(parseRules(yaml, 'r.yaml').rules, ns);

describe('field classification (one implementation for scan --strict and the gate)', () => {
  const rules = classifierOf(
    'rules:\n  people:\n    fields:\n      email: { transform: hash_email }\n      contacts.email: { transform: hash_email }\n      ids.*.id: { transform: hash }\n      tags.0: { transform: hash }\n    keep: [_id, profile, contacts.kind, "ids.*.source"]\n',
  );

  it('classifies paths with the rewrite semantics: ancestors, array positions, * and numbered positions', () => {
    expect(rules.classify([{ key: 'email' }])).toBe('transformed');
    expect(rules.classify([{ key: 'contacts' }, { index: 2 }, { key: 'email' }])).toBe('transformed');
    expect(rules.classify([{ key: 'contacts' }, { index: 2 }, { key: 'kind' }])).toBe('kept');
    expect(rules.classify([{ key: 'contacts' }, { index: 2 }, { key: 'phone' }])).toBe('unclassified');
    expect(rules.classify([{ key: 'profile' }, { key: 'bio' }])).toBe('kept');
    expect(rules.classify([{ key: 'ids' }, { key: 'google' }, { key: 'id' }])).toBe('transformed');
    expect(rules.classify([{ key: 'ids' }, { index: 0 }, { key: 'source' }])).toBe('kept');
    expect(rules.classify([{ key: 'tags' }, { index: 0 }])).toBe('transformed');
    expect(rules.classify([{ key: 'tags' }, { index: 1 }])).toBe('unclassified');
    expect(rules.classify([{ key: 'secret' }])).toBe('unclassified');
  });

  it('finds the first unclassified leaf in raw BSON, skipping covered subtrees', () => {
    const doc = {
      _id: new ObjectId(),
      email: 'a@b.c',
      profile: { bio: 'x', nested: { deep: [1, 2] } },
      contacts: [
        { email: 'c@d.e', kind: 'home' },
        { email: 'x@y.z', kind: 'work', phone: '555' },
      ],
    };
    expect(findUnclassifiedField(rules, serialize(doc))).toBe('contacts.phone');
    expect(findUnclassifiedField(rules, serialize({ _id: 1, email: 'a', tags: ['a'] }))).toBeNull();
    expect(findUnclassifiedField(rules, serialize({ _id: 1, tags: ['a', 'b'] }))).toBe('tags');
    expect(findUnclassifiedField(rules, serialize({ _id: 1, empty: {} }))).toBe('empty');
    expect(findUnclassifiedField(rules, serialize({ _id: 1, contacts: [] }))).toBe('contacts');
  });

  it('a key kept whole (<collection>: null) covers every field', () => {
    const whole = classifierOf('rules:\n  people: null\n');
    expect(whole.coversEverything).toBe(true);
    expect(findUnclassifiedField(whole, serialize({ anything: { at: ['all'] } }))).toBeNull();
  });

  it('walks every BSON type without decoding it', () => {
    const only = classifierOf('rules:\n  people:\n    keep: [_id]\n');
    const zoo = {
      _id: 1,
      d: 1.5,
      s: 'x',
      o: { a: 1 },
      a: [1],
      b: new Binary(Buffer.from('hi'), 4),
      oid: new ObjectId(),
      t: true,
      dt: new Date(0),
      n: null,
      re: /x/i,
      i: new Int32(3),
      ts: new Timestamp({ t: 1, i: 2 }),
      l: Long.fromNumber(5),
      dec: Decimal128.fromString('1.5'),
      last: 'unclassified',
    };
    const bytes = serialize(zoo);
    expect(findUnclassifiedField(only, bytes)).toBe('d');
    const keepAllButLast = classifierOf(
      'rules:\n  people:\n    keep: [_id, d, s, o, a, b, oid, t, dt, n, re, i, ts, l, dec]\n',
    );
    expect(findUnclassifiedField(keepAllButLast, bytes)).toBe('last');
  });

  it('agrees with the decoded walk that scan uses, on random documents (2,000 runs)', () => {
    const key = fc.constantFrom('email', 'contacts', 'kind', 'profile', 'ids', 'id', 'source', 'tags', 'x');
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (doc) => {
        const bytes = serialize(doc);
        const decoded = deserialize(bytes, { promoteValues: false, bsonRegExp: true });
        let expected: string | null = null;
        walkLeaves(decoded, [], (steps) => {
          if (expected === null && rules.classify(steps) === 'unclassified') expected = displayPath(steps);
        });
        expect(findUnclassifiedField(rules, bytes)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
