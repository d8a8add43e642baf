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
 * string; a date-time string comes back as `toISOString()`, UTC).
 */
export function dateShiftTransform(options: { maxDays: number }): FieldTransform {
  const { maxDays } = options;
  const shiftOf = (seed: Buffer): number => {
    const k = Number(seed.readUInt32BE(0) % (2 * maxDays));
    return (k < maxDays ? k - maxDays : k - maxDays + 1) * DAY_MS;
  };
  return {
    wholeValue: false,
    retryable: false,
    apply(value, { digest }) {
      if (isDate(value)) {
        if (Number.isNaN(value.getTime())) throw new TypeMismatch('a valid date');
        return new Date(value.getTime() + shiftOf(digest(canonicalBytes(value))));
      }
      if (typeof value === 'string' && (ISO_DATE.test(value) || ISO_DATE_TIME.test(value))) {
        const time = Date.parse(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value);
        if (Number.isNaN(time)) throw new TypeMismatch('a valid ISO-8601 date');
        const shifted = new Date(time + shiftOf(digest(Buffer.from(value, 'utf8'))));
        return ISO_DATE.test(value) ? shifted.toISOString().slice(0, 10) : shifted.toISOString();
      }
      throw new TypeMismatch('a date or an ISO-8601 date string');
    },
  };
}
