import type { FieldTransform } from '../field-transform.js';
import { requireString } from './scalar-input.js';

/**
 * `mask`: keep the first `keep_first` and last `keep_last` characters (code points) and replace the
 * others by `char` (default `*`), keeping the length: `4111111111111111` → `************1111`. When
 * the kept characters would cover the whole value, everything is masked (fail-closed).
 * Not keyed (the output reveals only the kept characters). Accepts strings.
 */
export function maskTransform(options: {
  keepFirst: number;
  keepLast: number;
  char: string;
}): FieldTransform {
  const { keepFirst, keepLast, char } = options;
  return {
    wholeValue: false,
    retryable: false,
    apply(value) {
      const chars = [...requireString(value)];
      if (keepFirst + keepLast >= chars.length) return char.repeat(chars.length);
      return (
        chars.slice(0, keepFirst).join('') +
        char.repeat(chars.length - keepFirst - keepLast) +
        chars.slice(chars.length - keepLast).join('')
      );
    },
  };
}
