/** Where the connected server stands. Priority and votes are null when the config cannot be read. */
export interface Topology {
  readonly kind: 'standalone' | 'replicaSet' | 'sharded';
  readonly setName: string | null;
  /** For a replica-set member. */
  readonly role: 'primary' | 'secondary' | 'hidden' | 'arbiter' | 'other' | null;
  readonly priority: number | null;
  readonly votes: number | null;
  readonly me: string | null;
}

/** One probed capability. `supported` is null when the server's answer did not tell (e.g. unauthorized). */
export interface SourceCapability {
  readonly name: string;
  readonly supported: boolean | null;
  /** What the server answered, in a few words: the proof behind `supported`. */
  readonly evidence: string;
}

/** A collection as doctor lists it. `documents` is the server's estimated count (null for views). */
export interface CollectionSummary {
  readonly name: string;
  readonly type: string;
  readonly documents: number | null;
}

export interface DatabaseSummary {
  readonly name: string;
  /** On-disk size as the server reports it, in bytes. */
  readonly sizeOnDiskBytes: number | null;
  readonly collections: CollectionSummary[];
}

/** Everything `dbfork doctor` reports about one server. */
export interface SourceDescription {
  readonly server: { readonly version: string; readonly implementation: string | null };
  readonly topology: Topology;
  readonly databases: DatabaseSummary[];
  readonly capabilities: SourceCapability[];
  /** Point-in-time capture support (absent from adapters that do not report it). */
  readonly consistency?: SourceConsistency;
}

/** What `doctor` reports of point-in-time capture (docs/consistency.md). */
export interface SourceConsistency {
  /** The `--consistency` modes this server supports (besides `auto`, which picks among them). */
  readonly modes: readonly ('snapshot' | 'oplog' | 'none')[];
  /** `minSnapshotHistoryWindowInSeconds` (null on a standalone). */
  readonly historyWindowS: number | null;
  /** How far the member read from trails the primary, in ms (null when not a replica set or unknown). */
  readonly replicationLagMs: number | null;
}
