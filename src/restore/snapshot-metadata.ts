import type { AnonymizationRecord } from '../core/anonymization-record.js';
import { stripUriCredentials } from '../core/redact.js';
import { TOOL_VERSION } from '../core/version.js';
import type { SourceRef } from '../target/guard/target-guard.js';

/** How the restored data was anonymized: see {@link RestoreProvenance.anonymized}. */
export type AnonymizationChoice = 'capture' | 'restore' | 'none';

/** Where the restored data came from; the pipeline fills it from the snapshot manifest. */
export interface RestoreProvenance {
  /** Snapshot id (`name@id`), or null for a dump restored directly (`--in`). */
  readonly snapshotId: string | null;
  /** The snapshot's source (URI without credentials, db), or null when unknown. */
  readonly source: SourceRef | null;
  /** When the snapshot was taken (manifest `createdAt`), or null when unknown. */
  readonly takenAt: Date | null;
  /** SHA-256 of the anonymization rules applied (at capture or at restore), or null. */
  readonly rulesDigest: string | null;
  /**
   * Which anonymization was chosen: `capture` (the snapshot was anonymized when taken), `restore`
   * (rules applied while restoring a raw snapshot or dump), `none` (an explicit `--no-anonymize`).
   */
  readonly anonymized: AnonymizationChoice;
  /** Strictness, opt-outs and key fingerprint of that anonymization; null or absent when unknown or raw. */
  readonly anonymization?: AnonymizationRecord | null;
  /** The snapshot's manifest `consistency` (docs/consistency.md), when it records one. */
  readonly consistency?: ConsistencyProvenance;
}

/** A snapshot's point-in-time consistency as `snapshot_metadata` records it. */
export interface ConsistencyProvenance {
  readonly mode: string;
  readonly atClusterTime?: string;
  readonly startOptime?: string;
  readonly endOptime?: string;
  readonly member: string | null;
  /** `restore --oplog-replay`: the optime the collections were brought to. */
  readonly replayedTo?: string;
}

/** One restored collection as recorded in snapshot_metadata. Sizes in bytes. */
export interface MetadataCollection {
  readonly name: string;
  readonly documents: number;
  readonly bytes: number;
}

/** The `{_id: 'latest'}` document of the target's `snapshot_metadata` collection. */
export interface SnapshotMetadataDoc {
  readonly _id: 'latest';
  readonly snapshotId: string | null;
  readonly source: SourceRef | null;
  readonly takenAt: Date | null;
  readonly restoredAt: Date;
  readonly collections: readonly MetadataCollection[];
  readonly rulesDigest: string | null;
  readonly toolVersion: string;
  readonly anonymized: AnonymizationChoice;
  readonly anonymization: AnonymizationRecord | null;
  /** Present when the snapshot records its consistency or the restore replayed an oplog. */
  readonly consistency?: ConsistencyProvenance;
}

/** Build the record written last into the target (credentials stripped from the source URI). Pure (the clock is a parameter). */
export function buildSnapshotMetadata(
  provenance: RestoreProvenance,
  collections: readonly MetadataCollection[],
  restoredAt: Date,
): SnapshotMetadataDoc {
  return {
    _id: 'latest',
    snapshotId: provenance.snapshotId,
    source: provenance.source
      ? { uri: stripUriCredentials(provenance.source.uri), db: provenance.source.db }
      : null,
    takenAt: provenance.takenAt,
    restoredAt,
    collections: [...collections].sort((a, b) => a.name.localeCompare(b.name)),
    rulesDigest: provenance.rulesDigest,
    toolVersion: TOOL_VERSION,
    anonymized: provenance.anonymized,
    anonymization: provenance.anonymization ?? null,
    ...(provenance.consistency ? { consistency: provenance.consistency } : {}),
  };
}
