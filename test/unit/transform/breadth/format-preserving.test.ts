import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { ibanValid, luhnValid } from '../../../../src/policy/detectors/index.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { pseudonymCard } from '../../../../src/transform/transforms/card-number.js';
import { FpeCipher } from '../../../../src/transform/transforms/fpe.js';
import { pseudonymIban } from '../../../../src/transform/transforms/iban.js';
import { anonymize, docsOf, TEST_KEY } from '../dump-events.js';

const digest = keyedHasher(Buffer.from(TEST_KEY)).forDomain('rule:test:v');
const N = 100_000;

describe('card_number', () => {
  it('is Luhn-valid with the issuer prefix, length and separators kept, 100 % over 100k', () => {
    const prefixes = ['411111', '550000', '340000', '601100', '353011'];
    let valid = 0;
    for (let i = 0; i < N; i++) {
      const p = prefixes[i % prefixes.length]!;
      const length = p.startsWith('34') ? 15 : 16;
      const digits = `${p}${String(i).padStart(length - 6, '0')}`;
      const text = i % 2 ? digits.replace(/(\d{4})(?=\d)/g, '$1 ') : digits;
      const out = pseudonymCard(text, digest(Buffer.from(text)), 6)!;
      const outDigits = out.replace(/\D/g, '');
      if (
        luhnValid(outDigits) &&
        outDigits.startsWith(p) &&
        out.length === text.length &&
        out.replace(/\d/g, '#') === text.replace(/\d/g, '#')
      )
        valid++;
    }
    expect(valid).toBe(N);
  });
  it('keeps the BSON type of an integer card number', async () => {
    const out = docsOf(
      await anonymize('rules:\n  c:\n    fields:\n      n: { transform: card_number }', [
        { ns: 'd.c', docs: [{ _id: 1, n: 4111111111111111 }] },
      ]),
      'd.c',
    )[0]!;
    expect(typeof out.n).toBe('number');
    expect(luhnValid(String(out.n))).toBe(true);
    expect(String(out.n)).toMatch(/^411111\d{10}$/);
  });
});

describe('iban', () => {
  it('passes mod-97 with the country and layout kept, 100 % over 100k', () => {
    const samples = [
      'DE89370400440532013000',
      'GB82 WEST 1234 5698 7654 32',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
    ];
    let valid = 0;
    for (let i = 0; i < N; i++) {
      const s = samples[i % samples.length]!;
      const text = `${s.slice(0, -4)}${String(i % 10000).padStart(4, '0')}`;
      const out = pseudonymIban(text, digest(Buffer.from(text)))!;
      const shape = (x: string) => x.replace(/\d/g, '9').replace(/[A-Z]/g, 'A');
      if (
        ibanValid(out) &&
        out.slice(0, 2) === text.slice(0, 2) &&
        shape(out.slice(4)) === shape(text.slice(4))
      )
        valid++;
    }
    expect(valid).toBe(N);
  });
});

describe('fpe (FF3-1)', () => {
  it('round-trips with the key, is deterministic, and keeps length, alphabet and other characters', () => {
    const cipher = new FpeCipher(digest, '0123456789');
    const again = new FpeCipher(digest, '0123456789');
    const other = new FpeCipher(
      keyedHasher(Buffer.from('another-key-0123456789')).forDomain('rule:test:v'),
      '0123456789',
    );
    let ok = 0;
    for (let i = 0; i < 10_000; i++) {
      const text = `AB-${String(i * 7919).padStart(8, '0')}-${i % 10}`;
      const enc = cipher.encrypt(text);
      if (
        enc !== text &&
        enc.length === text.length &&
        enc.replace(/\d/g, '#') === text.replace(/\d/g, '#') &&
        cipher.decrypt(enc) === text &&
        again.encrypt(text) === enc &&
        other.encrypt(text) !== enc
      )
        ok++;
    }
    expect(ok).toBe(10_000);
    const alnum = new FpeCipher(digest, '0123456789abcdefghijklmnopqrstuvwxyz');
    expect(alnum.decrypt(alnum.encrypt('order4711x'))).toBe('order4711x');
  });
  it('refuses values with too few or too many alphabet characters (a type mismatch)', async () => {
    const rules = 'rules:\n  c:\n    fields:\n      v: { transform: fpe }';
    await expect(anonymize(rules, [{ ns: 'd.c', docs: [{ _id: 1, v: '1234' }] }])).rejects.toThrow(
      /TRANSFORM_TYPE_MISMATCH|fpe expected 6 to 18/,
    );
    await expect(anonymize(rules, [{ ns: 'd.c', docs: [{ _id: 1, v: '1'.repeat(19) }] }])).rejects.toThrow(
      /fpe expected 6 to 18/,
    );
  });
});

describe('phone', () => {
  it('gives numbers valid for their region (libphonenumber-js), in the same format', async () => {
    const inputs = [
      '+1 415 555 2671',
      '(212) 736-5000',
      '+44 20 7946 0958',
      '+447911123456',
      '+49 30 901820',
      '+33 6 12 34 56 78',
      '+81 3-1234-5678',
      '+55 11 91234-5678',
      '+91 98765 43210',
      '+61 2 9374 4000',
    ];
    const docs = Array.from({ length: 1000 }, (_, i) => {
      const base = inputs[i % inputs.length]!;
      // vary the last digit so each input is distinct
      return { _id: i, p: base.replace(/\d$/, String(i % 10)) };
    });
    const out = docsOf(
      await anonymize('rules:\n  c:\n    fields:\n      p: { transform: phone }', [{ ns: 'd.c', docs }]),
      'd.c',
    );
    let valid = 0;
    out.forEach((d, i) => {
      const before = parsePhoneNumberFromString(docs[i]!.p, 'US');
      const after = parsePhoneNumberFromString(d.p as string, 'US');
      const sameFormat = (d.p as string).startsWith('+') === docs[i]!.p.startsWith('+');
      if (after?.isValid() && after.country === before?.country && sameFormat && d.p !== docs[i]!.p) valid++;
    });
    expect(valid).toBe(docs.length);
  });
});

describe('fake card and iban kinds', () => {
  it('are Luhn- and mod-97-valid (faker generates them with their check digits)', async () => {
    const { SeededFaker } = await import('../../../../src/transform/seeded-faker.js');
    const { fakeOf } = await import('../../../../src/transform/transforms/fake.js');
    const faker = new SeededFaker();
    let ok = 0;
    for (let i = 0; i < 10_000; i++) {
      if (luhnValid(fakeOf('card', faker.seeded(digest(Buffer.from(`c${i}`)))))) ok++;
      if (ibanValid(fakeOf('iban', faker.seeded(digest(Buffer.from(`i${i}`)))))) ok++;
    }
    expect(ok).toBe(20_000);
  });
});
