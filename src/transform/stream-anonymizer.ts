import type { DumpEventStream } from '../core/dump-event.js';
import type { LoadedRules } from '../config/load-rules.js';
import { anonymizeEvents, type AnonymizeEventsOptions } from './anonymize-events.js';
import { Anonymizer } from './anonymizer.js';
import type { Hasher } from './hasher.js';
import { rewriteOplogEvents } from './oplog/oplog-events.js';
import type { OplogPolicy } from './oplog/oplog-rewriter.js';
import type { ParallelSettings } from './workers/ordered-rewrite.js';
import type { WorkerKeySource } from './workers/worker-protocol.js';

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
      const workers = parallelSettings(rules, hasher, settings.workers);
      return rewriteOplogEvents(
        anonymizeEvents(events, anonymizer, workers ? { ...options, workers } : options),
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
  /** Rewrite on worker threads (absent or `count` 1: in this thread); the output is the same. */
  readonly workers?: AnonymizerWorkers;
}

/** Worker threads for the rewrite, and where they read the key (the one `hasher` was built from). */
export interface AnonymizerWorkers {
  /** Rewrite workers; 1 is the in-thread engine. */
  readonly count: number;
  readonly key: WorkerKeySource;
  /** Documents rewritten in thread before the workers start (default {@link DEFAULT_START_AFTER}). */
  readonly startAfter?: number;
}

/**
 * Documents of worker namespaces rewritten in thread before the workers start: below this a stream
 * never pays their start-up (~150 ms each to load the engine), and the output is the same either way.
 */
const DEFAULT_START_AFTER = 2048;

function parallelSettings(
  rules: LoadedRules,
  hasher: Hasher,
  workers: AnonymizerWorkers | undefined,
): ParallelSettings | undefined {
  if (workers === undefined || workers.count < 2) return undefined;
  return {
    count: workers.count,
    init: { rules: rules.rules, key: workers.key, fingerprint: hasher.fingerprint },
    startAfter: workers.startAfter ?? DEFAULT_START_AFTER,
  };
}
