import { Cron, CronPattern } from 'croner';
import { UsageError } from '../errors/index.js';

/** A cron expression checked once, up front: 5 fields, or 6 with seconds first, or a nickname. */
export interface CronSchedule {
  readonly expression: string;
  /** IANA time zone; undefined: the host's. */
  readonly timezone: string | undefined;
  /** The expanded fields (croner's), for conversions to other schedulers. */
  readonly pattern: CronPattern;
}

/** What croner reads: 5 fields (minute first) or 6 (second first), and the `@daily`-style nicknames. */
const MODE = '5-or-6-parts';

/**
 * Parse and check a cron expression and time zone. Fields follow croner (POSIX cron plus a leading
 * seconds field, `L`, `W` and `#`); when both day-of-month and day-of-week are restricted, a day
 * matching either runs, as in cron.
 *
 * Syntax: https://croner.56k.guru/usage/pattern/
 * @throws UsageError `SCHEDULE_BAD_CRON` for an expression croner refuses, one that never fires, or
 *   an unknown time zone
 */
export function parseCronSchedule(expression: string, timezone?: string): CronSchedule {
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw new UsageError('SCHEDULE_BAD_CRON', `--timezone ${timezone} is not an IANA time zone`, {
        hint: 'e.g. --timezone UTC or --timezone Europe/Berlin',
      });
    }
  }
  let pattern: CronPattern;
  let next: Date | null;
  try {
    pattern = new CronPattern(expression.trim(), timezone, { mode: MODE });
    next = new Cron(expression.trim(), {
      paused: true,
      mode: MODE,
      ...(timezone ? { timezone } : {}),
    }).nextRun();
  } catch (error) {
    throw new UsageError(
      'SCHEDULE_BAD_CRON',
      `--cron "${expression}" is not a cron expression: ${(error as Error).message}`,
      {
        hint: 'five fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"; a sixth in front is seconds',
      },
    );
  }
  if (next === null)
    throw new UsageError('SCHEDULE_BAD_CRON', `--cron "${expression}" never fires`, {
      hint: 'check the day of month against the month (e.g. 31 in February)',
    });
  return { expression: expression.trim(), timezone, pattern };
}
