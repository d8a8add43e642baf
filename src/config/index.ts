export { loadRules, parseRules, type LoadedRules } from './load-rules.js';
export { rulesDigest, canonicalJson } from './rules-digest.js';
export { rulesJsonSchema, rulesJsonSchemaText, RULES_SCHEMA_PATH } from './rules-json-schema.js';
export {
  RulesFileSchema,
  TransformRuleSchema,
  TRANSFORM_NAMES,
  FAKE_KINDS,
  type RulesFile,
  type TransformName,
  type FakeKind,
  type TypeMismatchPolicy,
} from './rules-schema.js';
export type {
  NormalizedRules,
  NormalizedCollectionRules,
  NormalizedFieldRule,
  NormalizedSizeLimit,
  TransformOptions,
} from './normalized-rules.js';
export { DEFAULT_EMAIL_DOMAIN } from './normalized-rules.js';
