import { canonicalBytes } from '../canonical-bytes.js';
import { isDate } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * `date_shift`: move a date by a whole number of days in [−max_days, −1] ∪ [1, max_days], chosen by
 * the keyed hash of the date itself, so equal dates stay equal (and the time of day is kept).
 * Never a zero shift. Accepts BSON dates and ISO-8601 strings (`2021-03-04` stays a date-only
 * string; a date-time string comes back as `toISOString()`, UTC). `keep: weekday` shifts by whole
 * weeks (±max(1, ⌊max_days/7⌋) weeks), so Mondays stay Mondays; `keep: month` picks another day of the
 * same UTC calendar month within ±max_days (unchanged only in a month with no other such day).
 */
export function dateShiftTransform(options: { maxDays: number; keep?: 'weekday' | 'month' }): FieldTransform {
  const { maxDays, keep } = options;
  const days = (seed: Buffer, n: number): number => {
    const k = Number(seed.readUInt32BE(0) % (2 * n));
    return k < n ? k - n : k - n + 1;
  };
  const weeks = Math.max(1, Math.floor(maxDays / 7));
  const shiftOf = (seed: Buffer, time: number): number => {
    if (keep === 'weekday') return days(seed, weeks) * 7 * DAY_MS;
    if (keep === 'month') return inMonth(seed, time, maxDays) * DAY_MS;
    return days(seed, maxDays) * DAY_MS;
  };
  return {
    wholeValue: false,
    retryable: false,
    apply(value, { digest }) {
      if (isDate(value)) {
        if (Number.isNaN(value.getTime())) throw new TypeMismatch('a valid date');
        return new Date(value.getTime() + shiftOf(digest(canonicalBytes(value)), value.getTime()));
      }
      if (typeof value === 'string' && (ISO_DATE.test(value) || ISO_DATE_TIME.test(value))) {
        const time = Date.parse(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value);
        if (Number.isNaN(time)) throw new TypeMismatch('a valid ISO-8601 date');
        const shifted = new Date(time + shiftOf(digest(Buffer.from(value, 'utf8')), time));
        return ISO_DATE.test(value) ? shifted.toISOString().slice(0, 10) : shifted.toISOString();
      }
      throw new TypeMismatch('a date or an ISO-8601 date string');
    },
  };
}

/** A non-zero day offset within ±maxDays that keeps `time` in its UTC month (0 if none exists). */
function inMonth(seed: Buffer, time: number, maxDays: number): number {
  const d = new Date(time);
  const day = d.getUTCDate();
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const lo = Math.max(-maxDays, 1 - day);
  const hi = Math.min(maxDays, last - day);
  const choices = hi - lo; // every offset in [lo, hi] except 0
  if (choices <= 0) return 0;
  const k = lo + (seed.readUInt32BE(0) % choices);
  return k >= 0 ? k + 1 : k;
}
