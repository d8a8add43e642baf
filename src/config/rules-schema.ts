import { z } from 'zod';
import { RelationsSchema } from './relations-schema.js';

/**
 * The anonymization rules file, as a zod schema: the single source of truth for validation and for
 * the published JSON Schema (`schemas/rules.schema.json`, see rules-json-schema.ts).
 *
 * Shape:
 * ```yaml
 * version: 1                      # optional
 * defaults: { on_type_mismatch: error, email_domain: anonymized.dbfork.local }
 * rules:
 *   <collection | db.collection | glob>:
 *     fields:
 *       <dot.path | a.*.b>: { transform: <name>, …options }
 *     keep: [<dot.path>, …]        # fields classified as safe
 *     keep_metadata: [<place>, …]  # metadata literals classified as safe (indexes.<name>, options.validator)
 *   <collection>: null              # kept whole: reference data holding nothing personal
 * exclusions: [<collection | glob>, …]
 * strict: true                      # default: a field neither transformed nor kept fails the run
 * size_limits:
 *   <collection | glob>: { max_documents: <n>, order: _id | natural }
 * relations:                        # for subsets; not part of the rules digest
 *   - { from: orders.customerId, to: customers._id }
 * ```
 */

/** Every transform name, in documentation order. */
export const TRANSFORM_NAMES = [
  'hash',
  'hash_email',
  'sequential',
  'sequential_suffix',
  'fake',
  'mask',
  'constant',
  'unset',
  'null',
  'date_shift',
  'number_noise',
  'pseudonymous_id',
  'regex_replace',
  'template',
  'redact',
  'person',
  'card_number',
  'iban',
  'fpe',
  'number_bucket',
  'date_truncate',
  'age_from',
  'geo_jitter',
  'phone',
  'choice',
  'shuffle',
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

/** The kinds of `fake` values (each maps to one @faker-js/faker generator). */
export const FAKE_KINDS = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'phone',
  'street_address',
  'city',
  'company',
  'username',
  'url',
  'ip',
  'date_of_birth',
  'job_title',
  'country',
  'country_code',
  'state',
  'postcode',
  'company_email',
  'iban',
  'card',
  'uuid',
  'user_agent',
  'lorem_sentence',
  'lorem_paragraph',
  'ipv6',
  'mac_address',
  'time_zone',
] as const;
export type FakeKind = (typeof FAKE_KINDS)[number];

/** The kinds of personal data `redact` finds in free text (the scan's detectors). */
export const REDACT_KINDS = [
  'email',
  'phone',
  'ip',
  'card',
  'iban',
  'street_address',
  'person_name',
] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** The parts of a coherent fake `person`. */
export const PERSON_PARTS = ['first_name', 'last_name', 'full_name', 'username', 'email'] as const;
export type PersonPart = (typeof PERSON_PARTS)[number];

/** @faker-js/faker locales `fake` and `person` accept (`en` is the default). */
const FAKE_LOCALES = [
  'en',
  'en_GB',
  'en_US',
  'en_AU',
  'en_CA',
  'de',
  'de_AT',
  'de_CH',
  'fr',
  'fr_CA',
  'es',
  'es_MX',
  'it',
  'nl',
  'pt_BR',
  'pt_PT',
  'sv',
  'nb_NO',
  'da',
  'fi',
  'pl',
  'cs_CZ',
] as const;
export type FakeLocale = (typeof FAKE_LOCALES)[number];

const TYPE_MISMATCH_POLICIES = ['keep', 'null', 'error'] as const;
export type TypeMismatchPolicy = (typeof TYPE_MISMATCH_POLICIES)[number];

/**
 * One field path segment: a literal key (not starting with `$`, no dots, no `*`) or exactly `*`.
 * A path is segments joined by dots: `Email`, `Contacts.Email`, `ExternalIds.*.id`, `items.0.sku`.
 */
const SEGMENT = '(?:\\*\\*|\\*|\\$json|[^.$*][^.*]*)';
const FIELD_PATH_PATTERN = `^${SEGMENT}(?:\\.${SEGMENT})*$`;
const FIELD_PATH_RE = new RegExp(FIELD_PATH_PATTERN);

const fieldPath = z
  .string()
  .regex(FIELD_PATH_RE, {
    message:
      'a field path is dot-separated keys (no empty key, no leading $), * for any key, ** for any depth, $json inside a JSON string',
  })
  .describe(
    'MongoDB dot notation; a path through an array applies to every element; * is any key; ** any run of keys; $json parses a JSON string',
  );

/** A `when:` test of one field of the same document (its original value). */
const conditionTest = z.union([
  z.union([z.string(), z.number(), z.boolean(), z.null()]).describe('equal to this value'),
  z
    .strictObject({
      $eq: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      $ne: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      $in: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      $nin: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      $exists: z.boolean().optional(),
      $type: z
        .enum(['string', 'number', 'bool', 'date', 'objectId', 'object', 'array', 'null', 'binData'])
        .optional(),
    })
    .describe('operators, all of which must hold'),
]);

/** A place in a collection's metadata: `options`, `options.<path>` or `indexes.<index name>`. */
const METADATA_PLACE_PATTERN = '^(?:options(?:\\..+)?|indexes\\..+)$';
const METADATA_PLACE_RE = new RegExp(METADATA_PLACE_PATTERN);

const collectionPattern = z
  .string()
  .min(1)
  .describe('collection name, db.collection, or a glob (* any run of characters, ? one character)');

const common = {
  group: z
    .string()
    .min(1)
    .optional()
    .describe('rules sharing a group map the same input to the same output (cross-collection joins)'),
  unique: z
    .boolean()
    .optional()
    .describe('outputs never collide (default: true when a unique index covers the field)'),
  on_type_mismatch: z
    .enum(TYPE_MISMATCH_POLICIES)
    .optional()
    .describe('what to do with a value the transform cannot handle (default: error)'),
  when: z
    .record(z.string().min(1), conditionTest)
    .optional()
    .describe('apply the rule only to documents whose other fields (original values) pass every test')
    .meta({
      examples: [{ type: 'person' }, { kind: { $in: ['customer', 'lead'] }, email: { $exists: true } }],
    }),
  nullify_fraction: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('this keyed fraction of values becomes null; the others go through the transform'),
};

const rule = <T extends string, S extends z.ZodRawShape>(
  name: T,
  description: string,
  shape: S,
  example?: Record<string, unknown>,
) =>
  z
    .strictObject({ transform: z.literal(name), ...common, ...shape })
    .describe(description)
    .meta(example ? { examples: [{ transform: name, ...example }] } : {});

const locale = z.enum(FAKE_LOCALES).optional().describe('@faker-js/faker locale (default en)');

const hexLength = (min: number, max: number, fallback: number) =>
  z.int().min(min).max(max).optional().describe(`hex characters kept (default ${fallback})`);

const sequentialShape = {
  prefix: z.string().optional().describe('text before the number'),
  deterministic: z
    .boolean()
    .optional()
    .describe('derive the number from the keyed hash instead of a counter (order-independent)'),
  digits: z.int().min(1).max(15).optional().describe('digits of the deterministic number (default 6)'),
  start: z.int().min(0).optional().describe('first counter value (default 1)'),
};

const TransformRuleSchema = z.discriminatedUnion('transform', [
  rule('hash', 'keyed hash of the value as lowercase hex (or characters of a chosen alphabet)', {
    length: hexLength(4, 64, 16),
    alphabet: z
      .string()
      .min(2)
      .max(64)
      .optional()
      .describe(
        'output characters instead of lowercase hex, e.g. 0123456789 or ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
      ),
  }),
  rule('hash_email', '<hash(local)>.<hash(domain)>@<domain>', {
    domain: z.string().min(1).optional().describe('domain of every output address'),
    length: hexLength(4, 64, 12),
  }),
  rule('sequential', 'User1, User2, … (order-dependent unless deterministic)', sequentialShape),
  rule('sequential_suffix', '1, 2, … as text (order-dependent unless deterministic)', sequentialShape),
  rule('fake', 'a realistic fake value from @faker-js/faker, seeded by the keyed hash', {
    kind: z.enum(FAKE_KINDS),
    locale,
  }),
  rule('mask', 'replace characters by a mask character, keeping some at each end', {
    keep_first: z.int().min(0).optional(),
    keep_last: z.int().min(0).optional(),
    char: z.string().length(1).optional().describe('mask character (default *)'),
  }),
  rule('constant', 'replace by one fixed value', {
    value: z.unknown().describe('any JSON / Extended JSON value, e.g. a known bcrypt hash'),
  }),
  rule('unset', 'remove the field', {}),
  rule('null', 'set the field to null', {}),
  rule('date_shift', 'move a date by a deterministic number of days in ±max_days', {
    max_days: z.int().min(1).max(36500),
    keep: z
      .enum(['weekday', 'month'])
      .optional()
      .describe('weekday: shift by whole weeks; month: stay in the same calendar month'),
  }),
  rule('number_noise', 'multiply a number by a deterministic factor in 1 ± percent/100', {
    percent: z.number().gt(0).max(100),
    min: z.number().optional().describe('clamp the output to at least this'),
    max: z.number().optional().describe('clamp the output to at most this'),
  }),
  rule('pseudonymous_id', 'a keyed id of the same type and shape (ObjectId, UUID, CSUUID, auth0|…)', {
    keep_timestamp: z.boolean().optional().describe('ObjectId: keep the 4-byte creation time'),
  }),
  rule('regex_replace', 'String.prototype.replace with a regular expression', {
    pattern: z.string().min(1),
    replacement: z.string(),
    flags: z
      .string()
      .regex(/^[gimsuy]*$/)
      .optional()
      .describe('regular expression flags (default g)'),
  }),
  rule(
    'template',
    'compose other fields’ outputs: "{FirstName}.{LastName}@example.com", {hash}, {fake:<kind>}',
    { template: z.string().min(1) },
    { template: '{first}.{hash:6}@example.com' },
  ),
  rule(
    'redact',
    'free text with each email, phone, card, IBAN, IP, street address and name replaced in place',
    {
      kinds: z.array(z.enum(REDACT_KINDS)).min(1).optional().describe('what to find (default: all)'),
      mode: z
        .enum(['pseudonym', 'mask'])
        .optional()
        .describe('pseudonym: a keyed value of the same kind (default); mask: [email], [phone], …'),
      email_group: z
        .string()
        .min(1)
        .optional()
        .describe('a hash_email group: emails become exactly that group’s pseudonyms'),
      name_fields: z
        .array(fieldPath)
        .optional()
        .describe('fields of the same document whose (original) words are names to find too'),
      locale,
    },
    { email_group: 'email', name_fields: ['first_name', 'last_name'] },
  ),
  rule(
    'person',
    'one part of a coherent fake person derived from one keyed seed per identity',
    {
      part: z.enum(PERSON_PARTS),
      seed_field: fieldPath
        .optional()
        .describe('the field whose original value identifies the person (default: this value)'),
      identity: z
        .string()
        .min(1)
        .optional()
        .describe('identities with the same name are one population across collections (default person)'),
      locale,
    },
    { part: 'full_name', seed_field: 'email', identity: 'customer' },
  ),
  rule(
    'card_number',
    'a Luhn-valid card number keeping the issuer prefix, the length and the separators',
    { keep_prefix: z.int().min(1).max(8).optional().describe('leading digits kept (default 6)') },
    { keep_prefix: 6 },
  ),
  rule(
    'iban',
    'an IBAN with a valid mod-97 checksum, keeping the country, the length and the letter/digit layout',
    {},
    {},
  ),
  rule(
    'fpe',
    'format-preserving encryption (NIST FF3-1): reversible with the anonymization key',
    {
      alphabet: z
        .string()
        .min(3)
        .max(36)
        .optional()
        .describe('characters encrypted (default 0123456789); others are kept in place'),
    },
    { alphabet: '0123456789' },
  ),
  rule(
    'number_bucket',
    'round a number down to a multiple of size (age 37 → 30)',
    { size: z.number().gt(0) },
    { size: 10 },
  ),
  rule(
    'date_truncate',
    'truncate a date to the start of its hour, day, month or year',
    { to: z.enum(['hour', 'day', 'month', 'year']) },
    { to: 'month' },
  ),
  rule(
    'age_from',
    'an age in whole years between a birth date (after its own rule) and as_of',
    {
      birth_date: fieldPath.describe('the birth date field (transformed by a rule, or in keep)'),
      as_of: z.iso.date().describe('the date ages are computed at (YYYY-MM-DD)'),
    },
    { birth_date: 'birthdate', as_of: '2026-01-01' },
  ),
  rule(
    'geo_jitter',
    'move a GeoJSON Point by a keyed distance up to radius_m, staying a valid 2dsphere point',
    { radius_m: z.number().gt(0).max(1_000_000) },
    { radius_m: 500 },
  ),
  rule(
    'phone',
    'a phone number valid for the same region (libphonenumber-js), in the same format',
    {
      default_country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .optional()
        .describe('ISO 3166 region of numbers without +country code (default US)'),
    },
    { default_country: 'GB' },
  ),
  rule(
    'choice',
    'one of the listed values, chosen by the keyed hash of the input',
    { values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1) },
    { values: ['bronze', 'silver', 'gold'] },
  ),
  rule(
    'shuffle',
    'permute the field’s original values among the documents of each window (column-wise, keyed)',
    {
      window: z
        .int()
        .min(2)
        .max(1_000_000)
        .optional()
        .describe('documents per window whose values are permuted among each other (default 1000)'),
    },
    { window: 1000 },
  ),
]);

const CollectionRulesSchema = z
  .strictObject({
    fields: z.record(fieldPath, TransformRuleSchema).nullable().optional(),
    keep: z.array(fieldPath).nullable().optional().describe('fields classified as safe (not personal data)'),
    keep_metadata: z
      .array(
        z
          .string()
          .regex(METADATA_PLACE_RE, { message: 'a metadata place is options[.path] or indexes.<name>' }),
      )
      .nullable()
      .optional()
      .describe('metadata whose literals are classified as safe: options, options.<path>, indexes.<name>'),
  })
  .nullable();

export const RulesFileSchema = z
  .strictObject({
    version: z.literal(1).optional(),
    strict: z
      .boolean()
      .optional()
      .describe('fail on a field neither transformed nor kept (default true; false is a recorded opt-out)'),
    defaults: z
      .strictObject({
        on_type_mismatch: z.enum(TYPE_MISMATCH_POLICIES).optional(),
        email_domain: z.string().min(1).optional(),
        unique_max_entries: z
          .int()
          .min(1)
          .optional()
          .describe('values remembered per unique field to prevent collisions (default 2000000)'),
      })
      .optional(),
    rules: z.record(collectionPattern, CollectionRulesSchema).nullable().optional(),
    exclusions: z.array(collectionPattern).nullable().optional().describe('collections skipped entirely'),
    size_limits: z
      .record(
        collectionPattern,
        z.strictObject({
          max_documents: z.int().min(0),
          order: z
            .enum(['_id', 'natural'])
            .optional()
            .describe('_id: the first N by _id (default); natural: the first N in dump order'),
        }),
      )
      .nullable()
      .optional(),
    relations: RelationsSchema.describe(
      'references between collections, for referentially complete subsets (not part of the rules digest)',
    ),
  })
  .describe('dbfork anonymization rules');

export type RulesFile = z.infer<typeof RulesFileSchema>;
export type TransformRule = z.infer<typeof TransformRuleSchema>;
