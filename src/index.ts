/** dbfork's public API: named exports only. */
export * from './errors/index.js';
export { redactUri, scrub, stripUriCredentials } from './core/redact.js';
export { TOOL_VERSION } from './core/version.js';
export { connectMongo, type ConnectOptions } from './mongodb/connect.js';
export { runDoctor, type DoctorReport } from './mongodb/doctor.js';
export { probeCapabilities, type Capability, type CapabilityName } from './mongodb/probe-capabilities.js';
export * from './archive/index.js';
export * from './config/index.js';
export * from './transform/index.js';
export * from './policy/index.js';
export { captureDatabase } from './mongodb/capture.js';
export { sampleDatabase, type SampleDatabaseOptions } from './mongodb/sample-database.js';
export { MongoDbSource, type MongoDbSourceConnectOptions } from './mongodb/mongodb-source.js';
export { MongoDbTarget, type MongoDbTargetOptions } from './mongodb/mongodb-target.js';
export type {
  SnapshotSource,
  Capture,
  CaptureOptions,
  CaptureSelection,
  ReadPreference,
} from './source/snapshot-source.js';
export type { CapturePlanRow } from './source/capture-plan.js';
export type { SourceDescription, Topology } from './source/source-description.js';
export type { SnapshotTarget, TargetCapabilities } from './target/snapshot-target.js';
export type { SwapStrategy } from './target/swap-strategy.js';
export type { ProgressEvent, ProgressListener } from './core/progress.js';
export type {
  SnapshotCatalog,
  PendingSnapshot,
  ResolvedSnapshot,
  SnapshotInfo,
  SnapshotUpload,
} from './store/snapshot-catalog.js';
export type { SnapshotLease } from './store/snapshot-lease.js';
export type {
  ObjectStore,
  ObjectBody,
  ObjectInfo,
  ObjectListing,
  ListOptions,
  PutOptions,
} from './store/object-store.js';
export { openSnapshotStore, defaultStoreUrl } from './store/open-snapshot-store.js';
export { ObjectSnapshotCatalog, type ObjectCatalogOptions } from './store/object-snapshot-catalog.js';
export { FsObjectStore } from './store/fs/fs-object-store.js';
export { MemoryObjectStore } from './store/memory/memory-object-store.js';
export { parseSnapshotRef, formatSnapshotRef, type SnapshotRef } from './store/snapshot-ref.js';
export {
  manifestSchema,
  MANIFEST_FORMAT_VERSION,
  type SnapshotManifest,
  type ManifestCollection,
} from './store/snapshot-manifest.js';
export { applyRetention, type RetentionPolicy, type RetentionDecision } from './store/retention.js';
export {
  createSnapshot,
  type CreateSnapshotOptions,
  type StreamTransform,
} from './pipeline/create-snapshot.js';
export { verifySnapshot, type VerifyResult } from './pipeline/verify-snapshot.js';
export { writeSnapshotData } from './pipeline/snapshot-data.js';
export { readSnapshotData } from './pipeline/read-snapshot-data.js';
export { waitForSnapshot, type WaitOptions } from './pipeline/wait-for-snapshot.js';
export { refresh, type RefreshOptions, type RefreshResult } from './pipeline/refresh.js';
export {
  restoreToTarget,
  planRestoreDryRun,
  type RestoreToTargetOptions,
} from './pipeline/restore-to-target.js';
export { restoreDump, type RestoreOptions } from './restore/restore-engine.js';
export type { RestoreResult } from './restore/restore-result.js';
export {
  evaluateTargetGuard,
  DEFAULT_EPHEMERAL_PATTERN,
  type TargetGuardConfig,
  type GuardVerdict,
} from './target/guard/target-guard.js';
export { assertTargetAllowed } from './target/guard/assert-target-allowed.js';
