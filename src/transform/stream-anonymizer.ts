import type { DumpEventStream } from '../core/dump-event.js';
import type { LoadedRules } from '../config/load-rules.js';
import { anonymizeEvents, type AnonymizeEventsOptions } from './anonymize-events.js';
import { Anonymizer } from './anonymizer.js';
import type { Hasher } from './hasher.js';
import { rewriteOplogEvents } from './oplog/oplog-events.js';
import type { OplogPolicy } from './oplog/oplog-rewriter.js';

/**
 * A ready-to-use stream rewrite with its rules digest: the shape `createSnapshot`'s `transform`
 * option takes (pipeline/create-snapshot.ts `StreamTransform`).
 */
export interface StreamAnonymizer {
  /** `sha256:<hex>` of the normalized rules, for the manifest; never the key. */
  readonly rulesDigest: string;
  /** True when pseudonyms are keyed (false only with --insecure-unkeyed). */
  readonly keyed: boolean;
  /** Rewrite a stream. Each call starts fresh counters and uniqueness memories. */
  apply(events: DumpEventStream, options?: AnonymizeEventsOptions): DumpEventStream;
}

/**
 * Bind loaded rules to a key; a dump's oplog entries are rewritten too (transform/oplog/). Not fail-closed by itself: callers put the gate in front
 * (`failClosedAnonymizer` does). Each `apply` starts fresh (counters, uniqueness memory).
 *
 * @example
 * const rules = await loadRules('anonymization-rules.yaml');
 * const hasher = await loadAnonymizationKey({ keyFile });       // or env DBFORK_ANONYMIZATION_KEY
 * const anonymizer = streamAnonymizer(rules, hasher);
 * await writeDump(anonymizer.apply(readDump(input)), output, { format: 'archive' });
 */
export function streamAnonymizer(
  rules: LoadedRules,
  hasher: Hasher,
  settings: StreamAnonymizerSettings = {},
): StreamAnonymizer {
  return {
    rulesDigest: rules.digest,
    keyed: hasher.keyed,
    apply: (events, options) => {
      const anonymizer = new Anonymizer(rules.rules, hasher);
      return rewriteOplogEvents(
        anonymizeEvents(events, anonymizer, options),
        anonymizer,
        settings.oplogPolicy,
      );
    },
  };
}

/** How a stream anonymizer treats what the rules alone do not decide. */
export interface StreamAnonymizerSettings {
  /** Which namespaces' oplog entries are kept and checked (the fail-closed policy); default: rules only. */
  readonly oplogPolicy?: OplogPolicy;
}
