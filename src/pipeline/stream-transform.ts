import type { CollectionEntry, DumpEventStream } from '../core/dump-event.js';
import type { AnonymizationRecord } from '../core/anonymization-record.js';
import type { AnonymizeEventsOptions } from '../transform/anonymize-events.js';

export type { AnonymizationRecord };

/**
 * A stream rewrite applied between a source and a sink (anonymization): fail-closed classification
 * in front, the rules behind it.
 */
export interface StreamTransform {
  /** `sha256:<hex>` of the normalized rules, for the manifest; never the key. */
  readonly rulesDigest: string;
  /** True when pseudonyms are keyed (false only with --insecure-unkeyed). */
  readonly keyed: boolean;
  readonly record: AnonymizationRecord;
  /**
   * Classify the namespaces about to be read, before anything is written.
   * @throws PolicyError `UNCLASSIFIED_NAMESPACE` or `METADATA_LITERAL`
   */
  check(collections: readonly CollectionEntry[]): void;
  /** Rewrite a stream. Each call starts fresh counters and uniqueness memories. */
  apply(events: DumpEventStream, options?: AnonymizeEventsOptions): DumpEventStream;
}
