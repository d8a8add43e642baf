import { describe, expect, it } from 'vitest';
import { applyRetention, isoWeek } from '../../../src/store/retention.js';

/** One snapshot a day at 02:00 UTC for `days` days ending 2026-11-22, plus extra ones on some days. */
function dailySnapshots(days: number): { id: string; createdAt: string }[] {
  const out = [];
  for (let i = 0; i < days; i++) {
    const at = new Date(Date.UTC(2026, 10, 22 - i, 2));
    out.push({ id: `d${i}`, createdAt: at.toISOString() });
    if (i % 3 === 0)
      out.push({ id: `d${i}-late`, createdAt: new Date(at.getTime() + 3_600_000).toISOString() });
  }
  return out;
}

describe('retention', () => {
  it("keeps seed 001's 7 daily and 4 weekly, and the latest", () => {
    const snaps = dailySnapshots(60);
    const decisions = applyRetention(snaps, { daily: 7, weekly: 4 }, 'd40');
    const kept = decisions.filter((d) => d.keep).map((d) => d.id);
    // newest of each of the 7 most recent days (on days with two, the later one)
    for (const id of ['d0-late', 'd1', 'd2', 'd3-late', 'd4', 'd5', 'd6-late']) expect(kept).toContain(id);
    expect(kept).not.toContain('d0');
    expect(kept).toContain('d40'); // latest is never pruned
    const weekly = decisions.filter((d) => d.reasons.some((r) => r.startsWith('weekly')));
    expect(weekly).toHaveLength(4);
    expect(
      new Set(weekly.map((d) => isoWeek(new Date(snaps.find((s) => s.id === d.id)!.createdAt)))).size,
    ).toBe(4);
    expect(kept.length).toBeLessThan(7 + 4 + 1 + 1);
    expect(decisions.filter((d) => !d.keep).length).toBe(snaps.length - kept.length);
  });

  it('keeps the last N regardless of day', () => {
    const decisions = applyRetention(dailySnapshots(10), { last: 3 }, null);
    expect(decisions.filter((d) => d.keep).map((d) => d.id)).toEqual(['d0-late', 'd0', 'd1']);
  });

  it('keeps one per month for monthly', () => {
    const decisions = applyRetention(dailySnapshots(90), { monthly: 2 }, null);
    expect(decisions.filter((d) => d.keep).map((d) => d.reasons[0])).toEqual([
      'monthly 2026-11',
      'monthly 2026-10',
    ]);
  });

  it('computes ISO weeks across a year boundary', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2026-11-22T10:00:00Z'))).toBe('2026-W47');
  });
});
