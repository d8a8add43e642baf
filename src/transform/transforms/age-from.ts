import { Double, Int32, Long } from 'bson';
import { isDate, isDocument, isDouble, isInt32, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';

/** Whole years from `birth` to `asOf` (both UTC). */
function fullYears(birth: Date, asOf: Date): number {
  let years = asOf.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    asOf.getUTCMonth() < birth.getUTCMonth() ||
    (asOf.getUTCMonth() === birth.getUTCMonth() && asOf.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) years--;
  return years;
}

function readPath(document: Record<string, unknown>, path: string): unknown {
  let node: unknown = document;
  for (const key of path.split('.')) {
    if (!isDocument(node)) return undefined;
    node = node[key];
  }
  return node;
}

function dateOf(value: unknown): Date | null {
  if (isDate(value)) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

/**
 * `age_from`: the age in whole years between the document's birth date (`birth_date`, read after its
 * own rule, e.g. a `date_shift`, has run) and `as_of`, so an age field stays consistent with the
 * shifted birth date. Runs after the other rules of the document. The BSON type of the age is kept
 * (int, long, double, or a digit string). No birth date (missing, null, not a date) gives null: the
 * original age is never copied. Accepts numbers and digit strings.
 */
export function ageFromTransform(options: { birthDate: string; asOf: string }): FieldTransform {
  const asOf = new Date(`${options.asOf}T00:00:00Z`);
  return {
    wholeValue: false,
    retryable: false,
    late: true,
    documentReads: [options.birthDate],
    apply(value, { document }) {
      const numeric = isInt32(value) || isLong(value) || isDouble(value) || typeof value === 'number';
      if (!numeric && !(typeof value === 'string' && /^\d+$/.test(value))) {
        throw new TypeMismatch('an age (a number or a digit string)');
      }
      const birth = dateOf(readPath(document, options.birthDate));
      if (!birth) return null;
      const age = Math.max(0, fullYears(birth, asOf));
      if (isInt32(value)) return new Int32(age);
      if (isLong(value)) return Long.fromNumber(age);
      if (isDouble(value)) return new Double(age);
      return typeof value === 'number' ? age : String(age);
    },
  };
}
