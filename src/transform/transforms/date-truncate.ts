import { isDate } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Truncate a UTC time to the start of its hour, day, month or year. */
function truncate(time: number, to: 'hour' | 'day' | 'month' | 'year'): Date {
  const d = new Date(time);
  const y = d.getUTCFullYear();
  switch (to) {
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'month':
      return new Date(Date.UTC(y, d.getUTCMonth(), 1));
    case 'day':
      return new Date(Date.UTC(y, d.getUTCMonth(), d.getUTCDate()));
    case 'hour':
      return new Date(Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
  }
}

/**
 * `date_truncate`: the start (UTC) of the value's hour, day, month or year. Not keyed. Accepts BSON
 * dates and ISO-8601 strings (`2021-03-04` stays date-only: `2021-03-01` to month; a date-time
 * string comes back as `toISOString()`).
 */
export function dateTruncateTransform(options: { to: 'hour' | 'day' | 'month' | 'year' }): FieldTransform {
  const { to } = options;
  return {
    wholeValue: false,
    retryable: false,
    apply(value) {
      if (isDate(value)) {
        if (Number.isNaN(value.getTime())) throw new TypeMismatch('a valid date');
        return truncate(value.getTime(), to);
      }
      if (typeof value === 'string' && (ISO_DATE.test(value) || ISO_DATE_TIME.test(value))) {
        const dateOnly = ISO_DATE.test(value);
        const time = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
        if (Number.isNaN(time)) throw new TypeMismatch('a valid ISO-8601 date');
        const out = truncate(time, to).toISOString();
        return dateOnly ? out.slice(0, 10) : out;
      }
      throw new TypeMismatch('a date or an ISO-8601 date string');
    },
  };
}
