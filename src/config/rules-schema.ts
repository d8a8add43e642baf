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
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

/** The kinds of `fake` values (each maps to one @faker-js/faker generator). */
const FAKE_KINDS = [
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
] as const;
export type FakeKind = (typeof FAKE_KINDS)[number];

const TYPE_MISMATCH_POLICIES = ['keep', 'null', 'error'] as const;
export type TypeMismatchPolicy = (typeof TYPE_MISMATCH_POLICIES)[number];

/**
 * One field path segment: a literal key (not starting with `$`, no dots, no `*`) or exactly `*`.
 * A path is segments joined by dots: `Email`, `Contacts.Email`, `ExternalIds.*.id`, `items.0.sku`.
 */
const FIELD_PATH_PATTERN = '^(?:\\*|[^.$*][^.*]*)(?:\\.(?:\\*|[^.$*][^.*]*))*$';
const FIELD_PATH_RE = new RegExp(FIELD_PATH_PATTERN);

const fieldPath = z
  .string()
  .regex(FIELD_PATH_RE, {
    message: 'a field path is dot-separated keys (no empty key, no leading $), or * for any key',
  })
  .describe('MongoDB dot notation; a path through an array applies to every element; * is any key');

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
};

const rule = <T extends string, S extends z.ZodRawShape>(name: T, description: string, shape: S) =>
  z.strictObject({ transform: z.literal(name), ...common, ...shape }).describe(description);

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
  rule('hash', 'keyed hash of the value as lowercase hex', { length: hexLength(4, 64, 16) }),
  rule('hash_email', '<hash(local)>.<hash(domain)>@<domain>', {
    domain: z.string().min(1).optional().describe('domain of every output address'),
    length: hexLength(4, 64, 12),
  }),
  rule('sequential', 'User1, User2, … (order-dependent unless deterministic)', sequentialShape),
  rule('sequential_suffix', '1, 2, … as text (order-dependent unless deterministic)', sequentialShape),
  rule('fake', 'a realistic fake value from @faker-js/faker, seeded by the keyed hash', {
    kind: z.enum(FAKE_KINDS),
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
  }),
  rule('number_noise', 'multiply a number by a deterministic factor in 1 ± percent/100', {
    percent: z.number().gt(0).max(100),
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
  rule('template', 'compose other fields’ outputs: "{FirstName}.{LastName}@example.com", {hash}', {
    template: z.string().min(1),
  }),
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
