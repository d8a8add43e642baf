import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../src/config/load-rules.js';
import { UsageError } from '../../../../src/errors/index.js';
import { failClosedGate } from '../../../../src/policy/fail-closed-gate.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { keyedPermutation } from '../../../../src/transform/keyed-permutation.js';
import { streamAnonymizer } from '../../../../src/transform/stream-anonymizer.js';
import { collect, dumpOf, TEST_KEY } from '../dump-events.js';

const fail = (text: string): UsageError => {
  try {
    parseRules(text, 'rules.yaml');
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected the rules to be rejected');
};
const rules = (fields: string) => `rules:\n  c:\n    fields:\n${fields}\n    keep: [_id, kind]\n`;

describe('shuffle rules', () => {
  it('fill in the default window and keep the rule in the digest', () => {
    const loaded = parseRules(rules('      city: { transform: shuffle }'), 'r.yaml');
    expect(loaded.rules.collections[0]?.fields[0]).toMatchObject({
      transform: 'shuffle',
      options: { window: 1000 },
    });
    expect(parseRules(rules('      city: { transform: shuffle, window: 1000 }'), 'r.yaml').digest).toBe(
      loaded.digest,
    );
    expect(parseRules(rules('      city: { transform: shuffle, window: 10 }'), 'r.yaml').digest).not.toBe(
      loaded.digest,
    );
  });

  it.each([
    ['      city: { transform: shuffle, window: 1 }', 'RULES_INVALID', /window/],
    ['      "**.city": { transform: shuffle }', 'RULES_BAD_PATH', /may not use \*\* or \$json/],
    ['      p.$json.city: { transform: shuffle }', 'RULES_BAD_PATH', /may not use \*\* or \$json/],
    ['      city: { transform: shuffle, group: g }', 'RULES_INVALID', /take no group/],
    ['      city: { transform: shuffle, nullify_fraction: 0.5 }', 'RULES_INVALID', /nullify_fraction/],
    [
      '      city: { transform: shuffle, window: 10 }\n      zip: { transform: shuffle, window: 20 }',
      'RULES_INVALID',
      /same window \(10\)/,
    ],
    [
      '      kind: { transform: shuffle }\n      email: { transform: hash_email, when: { kind: vip } }',
      'RULES_INVALID',
      /when: tests kind, which is shuffled/,
    ],
    [
      '      first: { transform: shuffle }\n      note: { transform: redact, name_fields: [first] }',
      'RULES_INVALID',
      /name_fields lists first, which is shuffled/,
    ],
  ])('reject %s', (fields, code, message) => {
    const error = fail(rules(fields).replace('keep: [_id, kind]', 'keep: [_id]'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('count as classified under strict rules: the fail-closed gate lets a shuffled field through', async () => {
    const yaml = rules('      city: { transform: shuffle, window: 2 }');
    const input = dumpOf([{ ns: 'd.c', docs: [{ _id: 1, kind: 'a', city: 'x' }] }]);
    const events = await collect(failClosedGate(input, parseRules(yaml, 'r.yaml').rules));
    expect(events.filter((e) => e.type === 'document')).toHaveLength(1);
    const unclassified = dumpOf([{ ns: 'd.c', docs: [{ _id: 1, kind: 'a', city: 'x', zip: '1' }] }]);
    await expect(collect(failClosedGate(unclassified, parseRules(yaml, 'r.yaml').rules))).rejects.toThrow(
      /zip/,
    );
  });

  it('conflict when two collection keys give one namespace different windows', async () => {
    const yaml =
      'rules:\n  c:\n    fields:\n      a: { transform: shuffle, window: 5 }\n  d.c:\n    fields:\n      b: { transform: shuffle, window: 6 }\n';
    const run = streamAnonymizer(parseRules(yaml, 'r.yaml'), keyedHasher(Buffer.from(TEST_KEY))).apply(
      dumpOf([{ ns: 'd.c', docs: [{ _id: 1 }] }]),
    );
    await expect(collect(run)).rejects.toMatchObject({ code: 'RULES_CONFLICT' });
  });
});

describe('keyedPermutation', () => {
  it('is a permutation, the same for the same seed, and uniform (each order of 3 about as often)', () => {
    const seed = Buffer.alloc(32, 7);
    const p = keyedPermutation(seed, 1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    expect(keyedPermutation(seed, 1000)).toEqual(p);
    expect(keyedPermutation(Buffer.alloc(32, 8), 1000)).not.toEqual(p);
    expect(keyedPermutation(seed, 0)).toHaveLength(0);
    expect([...keyedPermutation(seed, 1)]).toEqual([0]);
    // 6000 permutations of 3: each of the 6 orders about 1000 times (chi-square, 5 df, p ≈ 0.001 at 20.5)
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const s = Buffer.alloc(4);
      s.writeUInt32BE(i);
      const key = [...keyedPermutation(s, 3)].join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi = [...counts.values()].reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
    expect(chi).toBeLessThan(20.5);
  });
});
