import type { FieldTransform } from '../field-transform.js';
import { requireString } from './scalar-input.js';

/**
 * `regex_replace`: `value.replace(new RegExp(pattern, flags), replacement)` with JavaScript syntax
 * (`$1`, `$<name>` in the replacement; flags default `g`). Not keyed. Accepts strings.
 * The pattern was compiled when the rules were loaded (validate-rules.ts).
 */
export function regexReplaceTransform(options: {
  pattern: string;
  replacement: string;
  flags: string;
}): FieldTransform {
  const regex = new RegExp(options.pattern, options.flags);
  const { replacement } = options;
  return {
    wholeValue: false,
    retryable: false,
    apply(value) {
      regex.lastIndex = 0;
      return requireString(value).replace(regex, replacement);
    },
  };
}
