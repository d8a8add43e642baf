import { describe, expect, it } from 'vitest';
import { DETECTORS, ibanValid, luhnValid, type DetectorName } from '../../../src/policy/detectors/index.js';
import { maskExample } from '../../../src/policy/mask-example.js';

const detect = (text: string): [DetectorName, string][] =>
  DETECTORS.flatMap((d) => d.find(text).map((m): [DetectorName, string] => [d.name, m]));
const kinds = (text: string) => [...new Set(detect(text).map(([k]) => k))];

describe('detectors', () => {
  it.each<[string, string, DetectorName]>([
    ['email', 'ann.lee+x@mail.example.org', 'email'],
    ['email inside free text', 'Please write to bob@corp.example today', 'email'],
    ['international phone', 'call +44 20 7946 0958', 'phone'],
    ['US phone in text', 'my number is (555) 123-4567, thanks', 'phone'],
    ['IPv4', 'login from 192.168.10.20', 'ip'],
    ['IPv6', 'fe80::1ff:fe23:4567:890a', 'ip'],
    ['Visa test card', '4111 1111 1111 1111', 'card'],
    ['IBAN in groups', 'GB82 WEST 1234 5698 7654 32', 'iban'],
    ['compact IBAN', 'DE89370400440532013000', 'iban'],
    ['street address', '9286 Bethany Glens\nVasqueztown, CO 22939', 'street_address'],
    ['abbreviated street', 'ship to 12 North Main St. please', 'street_address'],
    ['full name', 'Elizabeth Ray', 'person_name'],
    ['titled last name in text', 'Dear Mrs. Schmidt, your order', 'person_name'],
  ])('finds %s', (_what, text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    ['a date-time', '2020-01-01 12:30:45'],
    ['a version', 'mongodump 100.9.4 on 7.0.42'],
    ['a bcrypt hash', '$2b$12$UREFwsRUoyF0CRqGNK0LzO0HM/jLhgUCNNIJ9RJAqMUQ74crlJ1Vu'],
    ['a hex id (with a Luhn-valid digit run inside)', '56a2451072744942a4347b663a21948c'],
    ['a Luhn-invalid number', '4111 1111 1111 1112'],
    ['an IBAN with a bad checksum', 'GB82 WEST 1234 5698 7654 33'],
    ['plain words', 'Bronze tier, airline lounge access'],
    ['a bare id number', 'order 12345678901'],
  ])('ignores %s', (_what, text) => {
    expect(detect(text)).toEqual([]);
  });

  it('Luhn and IBAN checks', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(ibanValid('NL91ABNA0417164300')).toBe(true);
    expect(ibanValid('NL91ABNA0417164301')).toBe(false);
  });
});

describe('maskExample', () => {
  it('never shows more than 2 characters at each end, and keeps an email recognizable', () => {
    expect(maskExample('arroyocolton@gmail.com')).toBe('ar********on@*.com');
    expect(maskExample('4111 1111 1111 1111')).toBe('41***************11');
    expect(maskExample('Ned')).toBe('***');
    expect(maskExample('x'.repeat(100))).toHaveLength(24);
  });
});
