import { EJSON } from 'bson';
import type { FieldTransform } from '../field-transform.js';

/**
 * `constant`: replace the whole field (even an array or document) by `value`, read as canonical
 * Extended JSON so typed values work (`{"$date": "2020-01-01T00:00:00Z"}`, `{"$numberInt": "0"}`).
 * A typical use is a known bcrypt hash so testers can log in with one password.
 * Any input type is accepted, including null.
 */
export function constantTransform(options: { value: unknown }): FieldTransform {
  const decoded = (EJSON.deserialize({ v: options.value }, { relaxed: false }) as { v: unknown }).v;
  return { wholeValue: true, retryable: false, apply: () => decoded };
}
