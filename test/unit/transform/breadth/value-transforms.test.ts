import { Double, Int32, Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { anonymize, docsOf } from '../dump-events.js';

const run = async (fields: string, docs: Record<string, unknown>[], extra = '') =>
  docsOf(await anonymize(`rules:\n  c:\n    fields:\n${fields}\n${extra}`, [{ ns: 'd.c', docs }]), 'd.c');

describe('number_bucket', () => {
  it('rounds down to a multiple of size, keeping the BSON type', async () => {
    const [d] = await run(
      '      a: { transform: number_bucket, size: 10 }\n      b: { transform: number_bucket, size: 10 }\n      c: { transform: number_bucket, size: 0.5 }',
      [{ _id: 1, a: new Int32(37), b: Long.fromNumber(-3), c: new Double(2.7) }],
    );
    expect(d!.a).toBe(30);
    expect(d!.b).toBe(-10);
    expect(d!.c).toBe(2.5);
  });
});

describe('number_noise min/max', () => {
  it('clamps noisy values to the range', async () => {
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: i, age: new Int32(18 + (i % 3)) }));
    const out = await run('      age: { transform: number_noise, percent: 50, min: 18, max: 99 }', docs);
    expect(out.every((d) => (d.age as number) >= 18 && (d.age as number) <= 99)).toBe(true);
    expect(out.some((d) => d.age === 18)).toBe(true);
  });
});

describe('date_truncate', () => {
  it('truncates dates and ISO strings to the hour, day, month or year', async () => {
    const [d] = await run(
      '      m: { transform: date_truncate, to: month }\n      y: { transform: date_truncate, to: year }\n      s: { transform: date_truncate, to: day }\n      h: { transform: date_truncate, to: hour }',
      [
        {
          _id: 1,
          m: new Date('2021-03-17T10:20:30Z'),
          y: '2021-03-17',
          s: '2021-03-17T10:20:30.123Z',
          h: new Date('2021-03-17T10:20:30Z'),
        },
      ],
    );
    expect((d!.m as Date).toISOString()).toBe('2021-03-01T00:00:00.000Z');
    expect(d!.y).toBe('2021-01-01');
    expect(d!.s).toBe('2021-03-17T00:00:00.000Z');
    expect((d!.h as Date).toISOString()).toBe('2021-03-17T10:00:00.000Z');
  });
});

describe('date_shift keep', () => {
  const dates = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2020, i % 12, (i % 28) + 1, 9, 30)));
  it('weekday: shifts by whole weeks, never 0', async () => {
    const out = await run(
      '      d: { transform: date_shift, max_days: 60, keep: weekday }',
      dates.map((d, i) => ({ _id: i, d })),
    );
    out.forEach((o, i) => {
      const diff = ((o.d as Date).getTime() - dates[i]!.getTime()) / 86_400_000;
      expect(Math.abs(diff % 7)).toBe(0);
      expect(diff).not.toBe(0);
      expect(Math.abs(diff)).toBeLessThanOrEqual(56);
    });
  });
  it('month: stays in the same calendar month, within max_days', async () => {
    const out = await run(
      '      d: { transform: date_shift, max_days: 10, keep: month }',
      dates.map((d, i) => ({ _id: i, d })),
    );
    out.forEach((o, i) => {
      const after = o.d as Date;
      expect(after.getUTCMonth()).toBe(dates[i]!.getUTCMonth());
      expect(Math.abs(after.getTime() - dates[i]!.getTime())).toBeLessThanOrEqual(10 * 86_400_000);
      expect(after.getTime()).not.toBe(dates[i]!.getTime());
    });
  });
  it('keep: weekday with max_days under 7 is refused', async () => {
    await expect(run('      d: { transform: date_shift, max_days: 3, keep: weekday }', [])).rejects.toThrow(
      /at least 7/,
    );
  });
});

describe('age_from', () => {
  it('keeps ages consistent with the shifted birth date', async () => {
    const docs = Array.from({ length: 200 }, (_, i) => ({
      _id: i,
      born: new Date(Date.UTC(1950 + (i % 50), i % 12, (i % 28) + 1)),
      age: new Int32(0),
    }));
    const out = await run(
      '      born: { transform: date_shift, max_days: 400 }\n      age: { transform: age_from, birth_date: born, as_of: 2026-01-01 }',
      docs,
    );
    for (const d of out) {
      const born = d.born as Date;
      const asOf = new Date('2026-01-01T00:00:00Z');
      let years = asOf.getUTCFullYear() - born.getUTCFullYear();
      if (
        asOf.getUTCMonth() < born.getUTCMonth() ||
        (asOf.getUTCMonth() === born.getUTCMonth() && asOf.getUTCDate() < born.getUTCDate())
      )
        years--;
      expect(d.age).toBe(years);
    }
  });
  it('refuses a raw birth date', async () => {
    await expect(
      run('      age: { transform: age_from, birth_date: born, as_of: 2026-01-01 }', []),
    ).rejects.toThrow(/neither transformed nor in keep/);
  });
});

describe('geo_jitter', () => {
  it('moves points within the radius, keeping them valid 2dsphere points', async () => {
    const R = 6_371_008.8;
    const distance = (a: number[], b: number[]) => {
      const [l1, p1, l2, p2] = [a[0]!, a[1]!, b[0]!, b[1]!].map((x) => (x * Math.PI) / 180) as [
        number,
        number,
        number,
        number,
      ];
      const h = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin((l2 - l1) / 2) ** 2;
      return 2 * R * Math.asin(Math.sqrt(h));
    };
    const points = [
      [2.35, 48.85],
      [179.9999, 0],
      [-179.9999, 10],
      [10, 89.9999],
      [0, -89.9999],
    ];
    const docs = Array.from({ length: 500 }, (_, i) => ({
      _id: i,
      loc: {
        type: 'Point',
        coordinates: points[i % points.length]!.map((v) => new Double(v + (i % 97) * 1e-6)),
      },
    }));
    const out = await run('      loc: { transform: geo_jitter, radius_m: 500 }', docs);
    out.forEach((d, i) => {
      const loc = d.loc as { type: string; coordinates: number[] };
      expect(loc.type).toBe('Point');
      const [lng, lat] = loc.coordinates as [number, number];
      expect(Math.abs(lng)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      const before = (docs[i]!.loc.coordinates as Double[]).map((c) => c.value);
      expect(distance(before, [lng, lat])).toBeLessThanOrEqual(500.01);
    });
  });
});

describe('choice, hash alphabet, nullify_fraction', () => {
  it('choice picks from the list, equal inputs alike', async () => {
    const docs = Array.from({ length: 300 }, (_, i) => ({ _id: i, tier: `t${i % 10}` }));
    const out = await run('      tier: { transform: choice, values: [bronze, silver, gold] }', docs);
    expect(new Set(out.map((d) => d.tier))).toEqual(new Set(['bronze', 'silver', 'gold']));
    out.forEach((d, i) => expect(d.tier).toBe(out[i % 10]!.tier));
  });
  it('hash with an alphabet gives length characters of it', async () => {
    const [d] = await run("      v: { transform: hash, length: 10, alphabet: '0123456789' }", [
      { _id: 1, v: 'x' },
    ]);
    expect(d!.v).toMatch(/^\d{10}$/);
    await expect(run("      v: { transform: hash, alphabet: 'aab' }", [])).rejects.toThrow(
      /repeats a character/,
    );
  });
  it('nullify_fraction nulls a keyed fraction, the rest goes through the transform', async () => {
    const docs = Array.from({ length: 4000 }, (_, i) => ({ _id: i, v: `value ${i}` }));
    const out = await run('      v: { transform: hash, nullify_fraction: 0.25 }', docs);
    const nulls = out.filter((d) => d.v === null).length;
    expect(nulls / docs.length).toBeGreaterThan(0.22);
    expect(nulls / docs.length).toBeLessThan(0.28);
    expect(out.filter((d) => d.v !== null).every((d) => /^[0-9a-f]{16}$/.test(d.v as string))).toBe(true);
  });
});

describe('template with fake parts', () => {
  it('renders {fake:<kind>} seeded by the own value', async () => {
    const docs = [
      { _id: 1, v: 'a' },
      { _id: 2, v: 'a' },
      { _id: 3, v: 'b' },
    ];
    const out = await run(
      "      v: { transform: template, template: '{fake:first_name} from {fake:city}' }",
      docs,
    );
    expect(out[0]!.v).toMatch(/^\S.* from \S/);
    expect(out[1]!.v).toBe(out[0]!.v);
    expect(out[2]!.v).not.toBe(out[0]!.v);
    await expect(run("      v: { transform: template, template: '{fake:nope}' }", [])).rejects.toThrow(
      /unknown kind/,
    );
  });
});

describe('fake kinds and locale', () => {
  const KINDS = [
    ['date_of_birth', /^\d{4}-\d{2}-\d{2}$/],
    ['job_title', /\S/],
    ['country', /\S/],
    ['country_code', /^[A-Z]{2}$/],
    ['state', /\S/],
    ['postcode', /\d/],
    ['company_email', /@[a-z0-9-]+\.example\.com$/i],
    ['iban', /^[A-Z]{2}\d{2}[A-Z0-9]+$/],
    ['card', /^\d{12,19}$/],
    ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/],
    ['user_agent', /Mozilla|Opera/],
    ['lorem_sentence', /^[A-Z].*\.$/],
    ['lorem_paragraph', /\. [A-Z]/],
    ['ipv6', /^[0-9a-f:]+$/],
    ['mac_address', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/],
    ['time_zone', /\//],
  ] as const;
  for (const [kind, pattern] of KINDS) {
    it(`${kind} gives a realistic value`, async () => {
      const [d] = await run(`      v: { transform: fake, kind: ${kind} }`, [{ _id: 1, v: 'original' }]);
      expect(d!.v).toMatch(pattern);
    });
  }
  it('date_of_birth keeps a date a date', async () => {
    const [d] = await run('      v: { transform: fake, kind: date_of_birth }', [
      { _id: 1, v: new Date('1980-05-05') },
    ]);
    expect(d!.v).toBeInstanceOf(Date);
  });
  it('locale draws from that locale', async () => {
    const docs = Array.from({ length: 50 }, (_, i) => ({ _id: i, v: `c${i}` }));
    const de = await run('      v: { transform: fake, kind: country, locale: de }', docs);
    const en = await run('      v: { transform: fake, kind: country }', docs);
    expect(de.map((d) => d.v)).not.toEqual(en.map((d) => d.v));
  });
});
