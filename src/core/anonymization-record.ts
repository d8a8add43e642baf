/**
 * How a copy was anonymized, recorded in snapshot manifests and in the target's `snapshot_metadata`
 * so every deliberate opt-out stays visible next to the data.
 */
export interface AnonymizationRecord {
  /** Field strictness was on (a field neither transformed nor kept fails the run). */
  readonly strict: boolean;
  /** `--allow-unclassified`: namespaces no rules key names were copied raw. */
  readonly allowUnclassified: boolean;
  /** `--drop-oplog`: a dump's oplog was left out. */
  readonly dropOplog: boolean;
  /** `hmac-sha256:<32 hex>` fingerprint of the anonymization key (never the key); null when unkeyed. */
  readonly keyFingerprint: string | null;
}
