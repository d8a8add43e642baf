import { execFileSync } from 'node:child_process';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from '../../../src/schedule/cron-schedule.js';
import { onCalendarOf } from '../../../src/schedule/on-calendar.js';

/** The next `n` elapses systemd computes for an OnCalendar value (the real systemd-analyze, in UTC). */
function systemdElapses(onCalendar: string, n: number): string[] {
  const out = execFileSync('systemd-analyze', ['calendar', `--iterations=${n}`, onCalendar], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  return [...out.matchAll(/(?:Next elapse|Iter\. #\d+): \w{3} (\S+) (\S+) UTC/g)].map((m) =>
    new Date(`${m[1]}T${m[2]}Z`).toISOString(),
  );
}

describe('OnCalendar values that the real systemd-analyze reads as the cron expression means', () => {
  // minute-level expressions only: both sides compute "from now", and a minute boundary between the
  // two calls is unlikely where a seconds boundary would not be
  it.each([
    ['0 2 * * *', 'UTC'],
    ['0 2 * * 1-5', 'Europe/Berlin'],
    ['*/15 * * * *', undefined],
    ['30 4 1,15 * *', 'America/New_York'],
    ['0 3 * * 0,6', undefined],
    ['0 0 1 1-3,7 *', undefined],
    ['5 9-17 * * 2', 'Asia/Tokyo'],
    ['@weekly', undefined],
  ])('%s (%s): the same next 6 runs', (cron, tz) => {
    const schedule = parseCronSchedule(cron, tz);
    const systemd = systemdElapses(onCalendarOf(schedule), 6);
    const croner = new Cron(cron, { paused: true, timezone: tz ?? 'UTC' })
      .nextRuns(6)
      .map((d) => d.toISOString());
    expect(systemd).toEqual(croner);
  });
});
