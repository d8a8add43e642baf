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
import { ageFromTransform } from './age-from.js';
import { cardNumberTransform } from './card-number.js';
import { choiceTransform } from './choice.js';
import { dateTruncateTransform } from './date-truncate.js';
import { fpeTransform } from './fpe.js';
import { geoJitterTransform } from './geo-jitter.js';
import { ibanTransform } from './iban.js';
import { numberBucketTransform } from './number-bucket.js';
import { personTransform } from './person.js';
import { phoneTransform } from './phone.js';
import { redactTransform, type RedactEnvironment } from './redact.js';

/** What transforms may use besides their options: the hasher and the rules of other groups. */
export type TransformEnvironment = RedactEnvironment;

/**
 * Build the transform instance of a normalized rule (defaults are already filled in, so a missing
 * option here is a bug).
 */
export function createTransform(rule: NormalizedFieldRule, env: TransformEnvironment): FieldTransform {
  const o = rule.options;
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new InternalError(`normalized ${rule.transform} rule without ${name}`);
    return value;
  };
  switch (rule.transform) {
    case 'hash':
      return hashTransform({ length: need(o.length, 'length'), ...present({ alphabet: o.alphabet }) });
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
      return fakeTransform({ kind: need(o.kind, 'kind'), ...present({ locale: o.locale }) });
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
      return dateShiftTransform({ maxDays: need(o.maxDays, 'maxDays'), ...present({ keep: o.keep }) });
    case 'number_noise':
      return numberNoiseTransform({
        percent: need(o.percent, 'percent'),
        ...present({ min: o.min, max: o.max }),
      });
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
    case 'redact':
      return redactTransform(
        {
          kinds: need(o.kinds, 'kinds'),
          mode: need(o.mode, 'mode'),
          nameFields: need(o.nameFields, 'nameFields'),
          locale: need(o.locale, 'locale'),
          domain: need(o.domain, 'domain'),
          ...present({ emailGroup: o.emailGroup }),
        },
        env,
      );
    case 'person':
      return personTransform(
        {
          part: need(o.part, 'part'),
          identity: need(o.identity, 'identity'),
          locale: need(o.locale, 'locale'),
          ...present({ seedField: o.seedField }),
        },
        env.hasher,
      );
    case 'card_number':
      return cardNumberTransform({ keepPrefix: need(o.keepPrefix, 'keepPrefix') });
    case 'iban':
      return ibanTransform();
    case 'fpe':
      return fpeTransform({ alphabet: need(o.alphabet, 'alphabet') });
    case 'number_bucket':
      return numberBucketTransform({ size: need(o.size, 'size') });
    case 'date_truncate':
      return dateTruncateTransform({ to: need(o.to, 'to') });
    case 'age_from':
      return ageFromTransform({ birthDate: need(o.birthDate, 'birthDate'), asOf: need(o.asOf, 'asOf') });
    case 'geo_jitter':
      return geoJitterTransform({ radiusM: need(o.radiusM, 'radiusM') });
    case 'phone':
      return phoneTransform({ defaultCountry: need(o.defaultCountry, 'defaultCountry') });
    case 'choice':
      return choiceTransform({ values: need(o.values, 'values') });
    case 'shuffle':
      // moves values between documents: a stream stage (window-shuffle.ts), never a value transform
      throw new InternalError('shuffle rules are applied by the window shuffle, not per value');
  }
}

/** The options that are set (an absent optional option stays absent). */
function present<T extends Record<string, unknown>>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
