import type { NormalizedFieldRule } from '../../config/normalized-rules.js';
import { InternalError } from '../../errors/index.js';
import type { FieldTransform } from '../field-transform.js';
import { constantTransform } from './constant.js';
import { dateShiftTransform } from './date-shift.js';
import { fakeTransform } from './fake.js';
import { hashEmailTransform } from './hash-email.js';
import { hashTransform } from './hash.js';
import { maskTransform } from './mask.js';
import { nullTransform } from './null.js';
import { numberNoiseTransform } from './number-noise.js';
import { pseudonymousIdTransform } from './pseudonymous-id.js';
import { regexReplaceTransform } from './regex-replace.js';
import { sequentialTransform } from './sequential.js';
import { templateTransform } from './template.js';
import { unsetTransform } from './unset.js';

/**
 * Build the transform instance of a normalized rule (defaults are already filled in, so a missing
 * option here is a bug).
 */
export function createTransform(rule: NormalizedFieldRule): FieldTransform {
  const o = rule.options;
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new InternalError(`normalized ${rule.transform} rule without ${name}`);
    return value;
  };
  switch (rule.transform) {
    case 'hash':
      return hashTransform({ length: need(o.length, 'length') });
    case 'hash_email':
      return hashEmailTransform({ domain: need(o.domain, 'domain'), length: need(o.length, 'length') });
    case 'sequential':
    case 'sequential_suffix':
      return sequentialTransform({
        prefix: need(o.prefix, 'prefix'),
        deterministic: need(o.deterministic, 'deterministic'),
        digits: need(o.digits, 'digits'),
        start: need(o.start, 'start'),
      });
    case 'fake':
      return fakeTransform({ kind: need(o.kind, 'kind') });
    case 'mask':
      return maskTransform({
        keepFirst: need(o.keepFirst, 'keepFirst'),
        keepLast: need(o.keepLast, 'keepLast'),
        char: need(o.char, 'char'),
      });
    case 'constant':
      return constantTransform({ value: o.value });
    case 'unset':
      return unsetTransform();
    case 'null':
      return nullTransform();
    case 'date_shift':
      return dateShiftTransform({ maxDays: need(o.maxDays, 'maxDays') });
    case 'number_noise':
      return numberNoiseTransform({ percent: need(o.percent, 'percent') });
    case 'pseudonymous_id':
      return pseudonymousIdTransform({ keepTimestamp: need(o.keepTimestamp, 'keepTimestamp') });
    case 'regex_replace':
      return regexReplaceTransform({
        pattern: need(o.pattern, 'pattern'),
        replacement: need(o.replacement, 'replacement'),
        flags: need(o.flags, 'flags'),
      });
    case 'template':
      return templateTransform({ template: need(o.template, 'template') });
  }
}
