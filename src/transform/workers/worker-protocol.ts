import type { NormalizedRules } from '../../config/normalized-rules.js';
import type { CollectionEntry } from '../../core/dump-event.js';

/** Where a worker reads the anonymization key (the same source the main thread read). */
export interface WorkerKeySource {
  /** A file holding the key; else {@link key}. */
  readonly keyFile?: string;
  /** The key text (the value of `DBFORK_ANONYMIZATION_KEY`), when no key file is used. */
  readonly key?: string;
  readonly insecureUnkeyed: boolean;
}

/** What a rewrite worker needs to build the same engine as the main thread (its `workerData`). */
export interface WorkerInit {
  readonly rules: NormalizedRules;
  readonly key: WorkerKeySource;
  /** The main thread's key fingerprint: a worker that reads another key refuses to start. */
  readonly fingerprint: string | null;
  /** The prelude's collections after exclusions, in stream order (planned in the same order). */
  readonly collections: readonly CollectionEntry[];
}

/** Main → worker: rewrite the documents of one namespace. */
export interface BatchRequest {
  readonly id: number;
  readonly namespace: string;
  /** Ordinal (1-based position in the namespace) of the first document, for error messages. */
  readonly firstOrdinal: number;
  /** The documents' BSON, back to back. */
  readonly bytes: Uint8Array;
  /** End offset of each document in {@link bytes}. */
  readonly ends: Uint32Array;
}

/**
 * Worker → main: the rewritten documents of a batch and, per document, every uniqueness claim the
 * rewrite made against the worker's own registry, in call order (rejected attempts included).
 */
export interface BatchResult {
  readonly id: number;
  /** Rewritten BSON, back to back; a failed document has zero length. */
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  /** 1 where the worker's rewrite threw (the main thread rewrites that document itself). */
  readonly failed: Uint8Array;
  /** Per document, the end index of its claims in the claim arrays. */
  readonly claimEnds: Uint32Array;
  /** Index of the claim's domain in the {@link WorkerReady.domains} list. */
  readonly claimDomains: Uint16Array;
  readonly claimOutputs: readonly string[];
  readonly claimOriginals: readonly string[];
  /** 1 where the worker's registry accepted the claim. */
  readonly claimAccepted: Uint8Array;
}

/** Worker → main, once: the engine is built. */
interface WorkerReady {
  readonly type: 'ready';
  /** Names of the unique domains, in the order claims refer to them. */
  readonly domains: readonly string[];
}

/** Worker → main, once, instead of ready: the worker cannot rewrite (the main thread does it all). */
interface WorkerRefusal {
  readonly type: 'refused';
  readonly reason: string;
}

export type WorkerMessage = WorkerReady | WorkerRefusal | ({ readonly type: 'done' } & BatchResult);
