/** The anonymization engine: keyed deterministic transforms applied to dump event streams. */
export { anonymizeEvents, type AnonymizeEventsOptions, type AnonymizeStats } from './anonymize-events.js';
export { Anonymizer, type NamespacePlan } from './anonymizer.js';
export { streamAnonymizer, type StreamAnonymizer } from './stream-anonymizer.js';
export { keyedHasher, unkeyedHasher, type Hasher, type DomainDigest } from './hasher.js';
export { loadAnonymizationKey, KEY_ENV, MIN_KEY_BYTES, type KeyOptions } from './load-anonymization-key.js';
export { DocumentRewriter } from './document-rewriter.js';
export { rewritePath, parseFieldPath, type FieldPath } from './field-path.js';
export { pathCovers, displayPath, type ConcreteStep } from './path-coverage.js';
export { namespacePattern } from './namespace-pattern.js';
export { uniqueIndexesOf, type UniqueIndex } from './unique-indexes.js';
export { rfcToCsharpLegacy, csharpLegacyToRfc } from './uuid-bytes.js';
export { UNSET, TypeMismatch, type FieldTransform, type ValueContext } from './field-transform.js';
