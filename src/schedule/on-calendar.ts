import { UsageError } from '../errors/index.js';
import type { CronSchedule } from './cron-schedule.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const EVERY_OCCURRENCE = 0b111111;

/**
 * A cron schedule as a systemd `OnCalendar=` value, `[weekdays] *-month-day hour:minute:second [zone]`:
 * each field a list of values, ranges (`a..b`) or a repetition (`a/step`) to its end.
 *
 * Format: systemd.time(7), "Calendar Events".
 * @throws UsageError `SCHEDULE_NOT_EXPRESSIBLE` for what OnCalendar cannot say: both day-of-month and
 *   day-of-week restricted (cron runs on either, OnCalendar on both), `L`, `W` or `#`
 */
export function onCalendarOf(schedule: CronSchedule): string {
  const p = schedule.pattern;
  const refuse = (what: string): never => {
    throw new UsageError(
      'SCHEDULE_NOT_EXPRESSIBLE',
      `--cron "${schedule.expression}": ${what}; OnCalendar cannot say that`,
      {
        hint: 'use two timers, or run `dbfork schedule --cron …` in-process instead of --print systemd',
      },
    );
  };
  if (p.lastDayOfMonth || p.lastWeekday || p.nearestWeekdays.some((v) => v !== 0)) refuse('it uses L or W');
  // a weekday's value is a bit mask of its occurrences in the month: all six bits for every one
  if (p.dayOfWeek.some((v) => v !== 0 && v !== EVERY_OCCURRENCE)) refuse('it uses # (the nth weekday)');
  const everyWeekday = set(p.dayOfWeek).length === 7;
  if (set(p.day).length !== 31 && !everyWeekday)
    refuse('it restricts both the day of the month and the day of the week');
  const weekdays = everyWeekday ? '' : `${weekdayList(set(p.dayOfWeek))} `;
  const date = `*-${field(set(p.month), 1, 12)}-${field(set(p.day), 1, 31)}`;
  const time = [field(set(p.hour), 0, 23), field(set(p.minute), 0, 59), field(set(p.second), 0, 59)].join(
    ':',
  );
  return `${weekdays}${date} ${time}${schedule.timezone ? ` ${schedule.timezone}` : ''}`;
}

/** croner's field array (index → 0/non-zero; day and month start at index 0 for 1) as values. */
function set(field: readonly number[]): number[] {
  return field.flatMap((v, i) => (v === 0 ? [] : [i]));
}

/** Values of a field whose first value is `min`: `*`, `a/step`, or a list of values and ranges. */
function field(indexes: readonly number[], min: number, max: number): string {
  const values = indexes.map((i) => i + (min === 1 ? 1 : 0));
  if (values.length === max - min + 1) return '*';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const step = (values[1] ?? 0) - (values[0] ?? 0);
  const first = values[0] ?? min;
  if (
    values.length >= 3 &&
    step > 1 &&
    values.every((v, i) => v === first + i * step) &&
    (values.at(-1) ?? 0) + step > max
  )
    return `${pad(first)}/${step}`;
  return runs(values)
    .map(([a, b]) => (a === b ? pad(a) : b === a + 1 ? `${pad(a)},${pad(b)}` : `${pad(a)}..${pad(b)}`))
    .join(',');
}

/** Weekday indexes (0 = Sunday) as names, Monday first, with ranges: `Mon..Fri`, `Sat,Sun`. */
function weekdayList(indexes: readonly number[]): string {
  const mondayFirst = indexes.map((d) => (d + 6) % 7).sort((a, b) => a - b);
  const name = (d: number): string => WEEKDAYS[(d + 1) % 7] ?? '';
  return runs(mondayFirst)
    .map(([a, b]) => (a === b ? name(a) : b === a + 1 ? `${name(a)},${name(b)}` : `${name(a)}..${name(b)}`))
    .join(',');
}

/** Sorted values as runs of consecutive values, `[first, last]` each. */
function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out.at(-1);
    if (last && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}
