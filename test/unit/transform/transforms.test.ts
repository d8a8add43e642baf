import { createHash } from 'node:crypto';
import { Double, Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { anonymize, docsOf } from './dump-events.js';
import { unkeyedHasher } from '../../../src/transform/hasher.js';

const one = async (rule: string, doc: Record<string, unknown>, extra = '') => {
  const events = await anonymize(`rules:\n  c:\n    fields:\n      ${rule}\n${extra}`, [
    { ns: 'd.c', docs: [doc] },
  ]);
  return docsOf(events, 'd.c')[0]!;
};

describe('hash', () => {
  it('gives lowercase hex of the configured length, different from the input', async () => {
    const out = await one('v: { transform: hash, length: 20 }', { _id: 1, v: 'auth0|123' });
    expect(out.v).toMatch(/^[0-9a-f]{20}$/);
  });
  it('is seed-compatible unkeyed: sha256(value)[:16]', async () => {
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      v: { transform: hash }',
      [{ ns: 'd.c', docs: [{ _id: 1, v: 'auth0|123' }] }],
      unkeyedHasher(),
    );
    expect(docsOf(events, 'd.c')[0]!.v).toBe(
      createHash('sha256').update('auth0|123').digest('hex').slice(0, 16),
    );
  });
});

describe('hash_email', () => {
  it('keeps the seed format <hash>.<domain hash>@<domain> and equal domains share the domain hash', async () => {
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      e: { transform: hash_email, domain: anon.test }',
      [
        {
          ns: 'd.c',
          docs: [
            { _id: 1, e: 'ann@corp.example' },
            { _id: 2, e: 'bob@corp.example' },
            { _id: 3, e: 'ANN@Corp.Example ' },
          ],
        },
      ],
    );
    const [a, b, c] = docsOf(events, 'd.c').map((d) => d.e as string);
    expect(a).toMatch(/^[0-9a-f]{12}\.[0-9a-f]{4}@anon\.test$/);
    expect(a!.split('.')[1]).toBe(b!.split('.')[1]);
    expect(a).not.toBe(b);
    expect(c).toBe(a); // trimmed and case-folded
  });
  it('unkeyed with length 8 equals seed 001 exactly', async () => {
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      e: { transform: hash_email, length: 8, domain: anonymized.syrf.local }',
      [{ ns: 'd.c', docs: [{ _id: 1, e: 'user@example.com' }] }],
      unkeyedHasher(),
    );
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(docsOf(events, 'd.c')[0]!.e).toBe(
      `${sha('user').slice(0, 8)}.${sha('example.com').slice(0, 4)}@anonymized.syrf.local`,
    );
  });
});

describe('sequential and sequential_suffix', () => {
  it('number documents in stream order, as the seed (User1, User2 / 1, 2)', async () => {
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      f: { transform: sequential }\n      l: { transform: sequential_suffix }',
      [
        {
          ns: 'd.c',
          docs: [
            { _id: 1, f: 'John', l: 'Smith' },
            { _id: 2, f: 'John', l: 'Smith' },
          ],
        },
      ],
    );
    expect(docsOf(events, 'd.c').map((d) => [d.f, d.l])).toEqual([
      ['User1', '1'],
      ['User2', '2'],
    ]);
  });
  it('deterministic: the same input gets the same zero-padded number wherever it is', async () => {
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      f: { transform: sequential, deterministic: true, digits: 5, prefix: "Member " }',
      [
        {
          ns: 'd.c',
          docs: [
            { _id: 1, f: 'John' },
            { _id: 2, f: 'Mary' },
            { _id: 3, f: 'John' },
          ],
        },
      ],
    );
    const out = docsOf(events, 'd.c').map((d) => d.f as string);
    expect(out[0]).toMatch(/^Member \d{5}$/);
    expect(out[2]).toBe(out[0]);
    expect(out[1]).not.toBe(out[0]);
  });
});

describe('fake', () => {
  it.each([
    ['first_name', /^[A-Z][a-zA-Z' -]+$/],
    ['full_name', /^\S+ \S+/],
    ['email', /@example\.(com|net|org)$/],
    ['phone', /\d{3}/],
    ['street_address', /^\d+ \S+/],
    ['ip', /^\d+\.\d+\.\d+\.\d+$/],
    ['url', /^https:\/\/[a-z-]+\.example\.com\/$/],
    ['username', /^\S+$/],
    ['city', /\S/],
    ['company', /\S/],
    ['last_name', /\S/],
  ])('%s is realistic and the same input gives the same fake', async (kind, shape) => {
    const events = await anonymize(`rules:\n  c:\n    fields:\n      v: { transform: fake, kind: ${kind} }`, [
      {
        ns: 'd.c',
        docs: [
          { _id: 1, v: 'Jane Original' },
          { _id: 2, v: 'Someone Else' },
          { _id: 3, v: 'Jane Original' },
        ],
      },
    ]);
    const [a, b, c] = docsOf(events, 'd.c').map((d) => d.v as string);
    expect(a).toMatch(shape);
    expect(a).not.toContain('Original');
    expect(c).toBe(a);
    expect(b).not.toBe(a);
  });
});

describe('mask, constant, unset, null', () => {
  it('mask keeps the ends and the length; short values are masked entirely', async () => {
    const out = await one('v: { transform: mask, keep_first: 2, keep_last: 4 }', {
      _id: 1,
      v: '4111111111111111',
      w: 'x',
    });
    expect(out.v).toBe('41**********1111');
    const short = await one('v: { transform: mask, keep_first: 2, keep_last: 4, char: "#" }', {
      _id: 1,
      v: 'abc',
    });
    expect(short.v).toBe('###');
  });
  it('constant replaces the whole field with a typed Extended JSON value', async () => {
    const out = await one('v: { transform: constant, value: { $date: "2020-01-01T00:00:00Z" } }', {
      _id: 1,
      v: ['a', 'b'],
    });
    expect(out.v).toEqual(new Date('2020-01-01T00:00:00Z'));
  });
  it('unset removes the field, null nulls it', async () => {
    const out = await one('a: { transform: unset }\n      b: { transform: "null" }', {
      _id: 1,
      a: 'x',
      b: { c: 1 },
      z: 1,
    });
    expect(out).toEqual({ _id: 1, b: null, z: 1 });
  });
});

describe('date_shift', () => {
  it('shifts by whole days within ±max_days, never 0, keeping time of day; equal dates stay equal', async () => {
    const d = new Date('1977-03-02T02:20:31Z');
    const events = await anonymize(
      'rules:\n  c:\n    fields:\n      b: { transform: date_shift, max_days: 10 }',
      [
        {
          ns: 'd.c',
          docs: [
            { _id: 1, b: d },
            { _id: 2, b: d },
            { _id: 3, b: '1990-05-06' },
          ],
        },
      ],
    );
    const [x, y, z] = docsOf(events, 'd.c').map((doc) => doc.b);
    const days = ((x as Date).getTime() - d.getTime()) / 86_400_000;
    expect(Number.isInteger(days)).toBe(true);
    expect(Math.abs(days)).toBeGreaterThanOrEqual(1);
    expect(Math.abs(days)).toBeLessThanOrEqual(10);
    expect(y).toEqual(x);
    expect(z).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(z).not.toBe('1990-05-06');
  });
});

describe('number_noise', () => {
  it('stays within ±percent and keeps the BSON type and decimals', async () => {
    const out = await one('n.*: { transform: number_noise, percent: 10 }', {
      _id: 1,
      n: { i: new Int32(1000), l: Long.fromNumber(1_000_000), d: new Double(12.5), z: new Int32(0) },
    });
    const n = out.n as Record<string, unknown>;
    expect(n.i).toBeGreaterThanOrEqual(900);
    expect(n.i).toBeLessThanOrEqual(1100);
    expect(Number(n.l)).toBeGreaterThanOrEqual(900_000);
    expect(Number(n.l)).toBeLessThanOrEqual(1_100_000);
    expect(String(n.d)).toMatch(/^\d+(\.\d)?$/);
    expect(Math.abs((n.d as number) - 12.5)).toBeLessThanOrEqual(1.25 + 0.05);
    expect(n.z).toBe(0);
  });
});

describe('pseudonymous_id', () => {
  it('keeps ObjectId, auth0-style and UUID-string shapes and integer digit counts', async () => {
    const id = new ObjectId();
    const out = await one('v.*: { transform: pseudonymous_id }', {
      _id: 1,
      v: {
        o: id,
        a: 'auth0|5f1e2d3c4b5a69788796a5b4',
        u: '3F2504E0-4F89-41D3-9A0C-0305E82C3301',
        n: new Int32(371138),
        s: 'AB-1234',
      },
    });
    const v = out.v as Record<string, unknown>;
    expect(v.o).toBeInstanceOf(ObjectId);
    expect((v.o as ObjectId).equals(id)).toBe(false);
    expect(v.a).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(v.a).not.toBe('auth0|5f1e2d3c4b5a69788796a5b4');
    expect(v.u).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(String(v.n)).toMatch(/^[1-9]\d{5}$/);
    expect(v.s).toMatch(/^[A-Z]{2}-\d{4}$/);
  });
  it('keep_timestamp keeps the ObjectId creation time', async () => {
    const id = ObjectId.createFromTime(1_700_000_000);
    const out = await one('v: { transform: pseudonymous_id, keep_timestamp: true }', { _id: 1, v: id });
    expect((out.v as ObjectId).getTimestamp().getTime()).toBe(1_700_000_000_000);
    expect((out.v as ObjectId).equals(id)).toBe(false);
  });
});

describe('regex_replace and template', () => {
  it('regex_replace applies a global replacement', async () => {
    const out = await one('v: { transform: regex_replace, pattern: "\\\\d", replacement: "#" }', {
      _id: 1,
      v: 'call 555-1234',
    });
    expect(out.v).toBe('call ###-####');
  });
  it('template composes other fields’ anonymized values and a keyed hash', async () => {
    const out = await one(
      'first: { transform: fake, kind: first_name }\n      last: { transform: sequential_suffix }\n      login: { transform: template, template: "{first}.{last}.{hash:6}@example.com" }',
      { _id: 1, first: 'Johanna', last: 'Smithers', login: 'johanna.smithers' },
    );
    expect(out.login).toBe(
      `${out.first as string}.1.${(out.login as string).split('.')[2]!.slice(0, 6)}@example.com`,
    );
    expect(out.login).toMatch(/\.[0-9a-f]{6}@example\.com$/);
    expect(out.login).not.toContain('Johanna');
  });
});
