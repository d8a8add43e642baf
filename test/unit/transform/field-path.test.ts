import { describe, expect, it } from 'vitest';
import { rewritePath, parseFieldPath } from '../../../src/transform/field-path.js';
import { UNSET } from '../../../src/transform/field-transform.js';
import { pathCovers, displayPath, type ConcreteStep } from '../../../src/transform/path-coverage.js';

const rewrite = (
  doc: Record<string, unknown>,
  path: string,
  whole = false,
  to: (v: unknown) => unknown = (v) => `<${String(v)}>`,
) => {
  const seen: string[] = [];
  rewritePath(doc, parseFieldPath(path), whole, (value, concrete) => {
    seen.push(concrete);
    return to(value);
  });
  return seen;
};

describe('rewritePath', () => {
  it('walks through arrays of documents like a MongoDB query (Contacts.Email)', () => {
    const doc = { Contacts: [{ Email: 'a' }, { Phone: 'x' }, { Email: 'b' }] };
    expect(rewrite(doc, 'Contacts.Email')).toEqual(['Contacts.0.Email', 'Contacts.2.Email']);
    expect(doc.Contacts).toEqual([{ Email: '<a>' }, { Phone: 'x' }, { Email: '<b>' }]);
  });
  it('applies to each element of an array value, also nested arrays', () => {
    const doc = { tags: ['a', ['b', 'c']] };
    expect(rewrite(doc, 'tags')).toEqual(['tags.0', 'tags.1.0', 'tags.1.1']);
    expect(doc.tags).toEqual(['<a>', ['<b>', '<c>']]);
  });
  it('replaces a whole array for whole-value transforms', () => {
    const doc = { tags: ['a', 'b'] };
    expect(rewrite(doc, 'tags', true, () => null)).toEqual(['tags']);
    expect(doc.tags).toBeNull();
  });
  it('* matches every key at one level (ExternalIds.*.id) and every array element', () => {
    const doc = {
      ExternalIds: { google: { id: 'g' }, github: { id: 'h', x: 1 } },
      list: [{ id: 'p' }, { id: 'q' }],
    };
    expect(rewrite(doc, 'ExternalIds.*.id')).toEqual(['ExternalIds.google.id', 'ExternalIds.github.id']);
    expect(rewrite(doc, 'list.*.id')).toEqual(['list.0.id', 'list.1.id']);
    expect(doc.ExternalIds.github).toEqual({ id: '<h>', x: 1 });
  });
  it('a numeric segment selects one array position', () => {
    const doc = { items: [{ sku: 'a' }, { sku: 'b' }] };
    expect(rewrite(doc, 'items.1.sku')).toEqual(['items.1.sku']);
    expect(doc.items).toEqual([{ sku: 'a' }, { sku: '<b>' }]);
  });
  it('leaves missing fields missing and removes fields for UNSET', () => {
    const doc: Record<string, unknown> = { a: { b: 1 }, c: [{ d: 1 }, { e: 2 }] };
    expect(rewrite(doc, 'x.y')).toEqual([]);
    rewrite(doc, 'c.d', true, () => UNSET);
    expect(doc).toEqual({ a: { b: 1 }, c: [{}, { e: 2 }] });
  });
});

describe('pathCovers', () => {
  const steps = (...s: (string | number)[]): ConcreteStep[] =>
    s.map((x) => (typeof x === 'number' ? { index: x } : { key: x }));
  it('matches with array positions transparent, * for any key or position, and ancestors', () => {
    expect(pathCovers(['Contacts', 'Email'], steps('Contacts', 2, 'Email'))).toBe(true);
    expect(pathCovers(['address'], steps('address', 'street'))).toBe(true);
    expect(pathCovers(['ExternalIds', '*', 'id'], steps('ExternalIds', 'google', 'id'))).toBe(true);
    expect(pathCovers(['ExternalIds', '*', 'id'], steps('ExternalIds', 0, 'id'))).toBe(true);
    expect(pathCovers(['items', '1', 'sku'], steps('items', 0, 'sku'))).toBe(false);
    expect(pathCovers(['a', 'b'], steps('a', 'c'))).toBe(false);
    expect(pathCovers(['a', 'b', 'c'], steps('a', 'b'))).toBe(false);
    expect(displayPath(steps('Contacts', 2, 'Email'))).toBe('Contacts.Email');
  });
});
