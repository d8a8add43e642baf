import type { FieldTransform } from '../field-transform.js';

/** `null`: set the whole field to null. Any input type. */
export function nullTransform(): FieldTransform {
  return { wholeValue: true, retryable: false, apply: () => null };
}
