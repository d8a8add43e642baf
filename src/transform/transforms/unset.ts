import { UNSET, type FieldTransform } from '../field-transform.js';

/** `unset`: remove the field (from every array element the path reaches). Any input type. */
export function unsetTransform(): FieldTransform {
  return { wholeValue: true, retryable: false, apply: () => UNSET };
}
