import { describe, expect, it } from 'vitest';
import { namespaceSelector } from '../../../src/mongodb/namespace-filter.js';

describe('namespace globs', () => {
  it('matches collection-only and db-qualified patterns', () => {
    const sel = namespaceSelector(['users', 'shop.order*', '*.audit_?'], ['shop.orders_archive']);
    expect(sel('app', 'users')).toBe(true);
    expect(sel('shop', 'orders')).toBe(true);
    expect(sel('shop', 'orders.items')).toBe(true);
    expect(sel('shop', 'orders_archive')).toBe(false);
    expect(sel('x', 'audit_1')).toBe(true);
    expect(sel('x', 'audit_12')).toBe(false);
    expect(sel('app', 'sessions')).toBe(false);
  });

  it('includes everything without includes, and treats regex characters literally', () => {
    const sel = namespaceSelector([], ['a+b']);
    expect(sel('db', 'anything')).toBe(true);
    expect(sel('db', 'a+b')).toBe(false);
    expect(sel('db', 'aab')).toBe(true);
  });
});
