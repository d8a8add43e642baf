import { describe, expect, it } from 'vitest';
import { formatLease, mayTake, parseLease } from '../../../src/rds/run-lease.js';

const lease = { runId: 'r1', owner: 'build-1/4242', expires: '2026-12-02T02:00:00.000Z' };
const at = (iso: string): number => Date.parse(iso);

describe('the RDS run lease', () => {
  it('round-trips through its tag value (RDS tag characters only)', () => {
    const value = formatLease(lease);
    expect(value).toMatch(/^[\w .:/=+\-@]+$/);
    expect(parseLease(value)).toEqual(lease);
    expect(parseLease('something else')).toBeUndefined();
  });

  it('is refused to another live holder before it expires, taken after', () => {
    const other = { owner: 'laptop/7', alive: () => true };
    expect(mayTake(lease, { ...other, now: at('2026-12-02T01:00:00.000Z') })).toBe(false);
    expect(mayTake(lease, { ...other, now: at('2026-12-02T02:00:00.000Z') })).toBe(true);
  });

  it('is taken at once on the same host when its process is gone (a killed run resumed)', () => {
    const now = at('2026-12-02T01:00:00.000Z');
    expect(mayTake(lease, { owner: 'build-1/5000', now, alive: () => false })).toBe(true);
    expect(mayTake(lease, { owner: 'build-1/5000', now, alive: () => true })).toBe(false);
    expect(mayTake(lease, { owner: 'build-1/4242', now, alive: () => true })).toBe(true);
  });
});
