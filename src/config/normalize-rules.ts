import { REDACT_KINDS, type RulesFile, type TransformRule } from './rules-schema.js';
import {
  DEFAULT_EMAIL_DOMAIN,
  DEFAULT_SHUFFLE_WINDOW,
  DEFAULT_UNIQUE_MAX_ENTRIES,
  type NormalizedFieldRule,
  type NormalizedRules,
  type TransformOptions,
} from './normalized-rules.js';

/**
 * Fill in every default of a schema-valid rules file (pure; no validation beyond the schema's).
 * Null sections (`fields:` with only a comment under it) become empty; a collection key with neither
 * `fields` nor `keep` (`<collection>: null`) is kept whole.
 */
export function normalizeRules(file: RulesFile): NormalizedRules {
  const defaults = file.defaults ?? {};
  const onTypeMismatch = defaults.on_type_mismatch ?? 'error';
  const emailDomain = defaults.email_domain ?? DEFAULT_EMAIL_DOMAIN;
  return {
    version: 1,
    strict: file.strict ?? true,
    collections: Object.entries(file.rules ?? {}).map(([pattern, body]) => ({
      pattern,
      keepWhole: Object.keys(body?.fields ?? {}).length === 0 && (body?.keep ?? null) === null,
      keepMetadata: [...(body?.keep_metadata ?? [])],
      fields: Object.entries(body?.fields ?? {}).map(([path, rule]): NormalizedFieldRule => ({
        path,
        transform: rule.transform,
        options: optionsOf(rule, emailDomain),
        group: rule.group ?? null,
        unique: rule.unique ?? null,
        onTypeMismatch: rule.on_type_mismatch ?? onTypeMismatch,
        ...(rule.when ? { when: rule.when } : {}),
        ...(rule.nullify_fraction !== undefined ? { nullifyFraction: rule.nullify_fraction } : {}),
      })),
      keep: [...(body?.keep ?? [])],
    })),
    exclusions: [...(file.exclusions ?? [])],
    sizeLimits: Object.entries(file.size_limits ?? {}).map(([pattern, limit]) => ({
      pattern,
      maxDocuments: limit.max_documents,
      order: limit.order ?? '_id',
    })),
    uniqueMaxEntries: defaults.unique_max_entries ?? DEFAULT_UNIQUE_MAX_ENTRIES,
  };
}

function optionsOf(rule: TransformRule, emailDomain: string): TransformOptions {
  switch (rule.transform) {
    case 'hash':
      return { length: rule.length ?? 16, ...present({ alphabet: rule.alphabet }) };
    case 'hash_email':
      return { domain: rule.domain ?? emailDomain, length: rule.length ?? 12 };
    case 'sequential':
    case 'sequential_suffix':
      return {
        prefix: rule.prefix ?? (rule.transform === 'sequential' ? 'User' : ''),
        deterministic: rule.deterministic ?? false,
        digits: rule.digits ?? 6,
        start: rule.start ?? 1,
      };
    case 'fake':
      return { kind: rule.kind, ...present({ locale: rule.locale }) };
    case 'mask':
      return { keepFirst: rule.keep_first ?? 0, keepLast: rule.keep_last ?? 0, char: rule.char ?? '*' };
    case 'constant':
      return { value: rule.value };
    case 'unset':
    case 'null':
      return {};
    case 'date_shift':
      return { maxDays: rule.max_days, ...present({ keep: rule.keep }) };
    case 'number_noise':
      return { percent: rule.percent, ...present({ min: rule.min, max: rule.max }) };
    case 'pseudonymous_id':
      return { keepTimestamp: rule.keep_timestamp ?? false };
    case 'regex_replace':
      return { pattern: rule.pattern, replacement: rule.replacement, flags: rule.flags ?? 'g' };
    case 'template':
      return { template: rule.template };
    case 'redact':
      return {
        kinds: rule.kinds ?? [...REDACT_KINDS],
        mode: rule.mode ?? 'pseudonym',
        nameFields: rule.name_fields ?? [],
        locale: rule.locale ?? 'en',
        domain: emailDomain,
        ...present({ emailGroup: rule.email_group }),
      };
    case 'person':
      return {
        part: rule.part,
        identity: rule.identity ?? 'person',
        locale: rule.locale ?? 'en',
        ...present({ seedField: rule.seed_field }),
      };
    case 'card_number':
      return { keepPrefix: rule.keep_prefix ?? 6 };
    case 'iban':
      return {};
    case 'fpe':
      return { alphabet: rule.alphabet ?? '0123456789' };
    case 'number_bucket':
      return { size: rule.size };
    case 'date_truncate':
      return { to: rule.to };
    case 'age_from':
      return { birthDate: rule.birth_date, asOf: rule.as_of };
    case 'geo_jitter':
      return { radiusM: rule.radius_m };
    case 'phone':
      return { defaultCountry: rule.default_country ?? 'US' };
    case 'choice':
      return { values: rule.values };
    case 'shuffle':
      return { window: rule.window ?? DEFAULT_SHUFFLE_WINDOW };
  }
}

/** The options that are set: optional options absent from a rule stay absent (digest stability). */
function present<T extends Record<string, unknown>>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
