/**
 * dbfork's public API: named exports only, each listed here on purpose. `etc/public-api.json` records
 * the exported names and kinds; `test/unit/api/public-api.test.ts` fails when this list changes
 * without it (regenerate: `npm run api-report`).
 */

// Errors: every failure is a DbforkError subclass whose category maps to a process exit code.
export {
  DbforkError,
  UsageError,
  SourceError,
  ArchiveError,
  TransformError,
  StoreError,
  TargetError,
  PolicyError,
  InternalError,
  isDbforkError,
  type ErrorLabel,
  type ErrorSubject,
} from './errors/dbfork-error.js';
export { EXIT_CODES, EXIT_FINDINGS, EXIT_INTERRUPTED, type ErrorCategory } from './errors/error-codes.js';
export { ARCHIVE_ERROR_CODES, type ArchiveErrorCode } from './archive/archive-error-codes.js';

// Shared vocabulary: the dump event stream every stage speaks, progress events, URI redaction.
export type {
  CollectionEntry,
  DumpDocument,
  DumpDocumentRun,
  DumpEvent,
  DumpEventStream,
  DumpNamespaceEnd,
  DumpPrelude,
  DumpRunEvent,
  DumpRunEventStream,
} from './core/dump-event.js';
export type { ProgressEvent, ProgressListener } from './core/progress.js';
export { redactUri, stripUriCredentials } from './core/redact.js';
export { TOOL_VERSION } from './core/version.js';

// Archive codec: mongodump-compatible archives and directory dumps.
export {
  readDump,
  writeDump,
  openDumpReader,
  type DumpFormat,
  type DumpReader,
  type ReadDumpOptions,
  type WriteDumpOptions,
  type WriteSummary,
} from './archive/open-dump.js';
export { readArchive, type ReadArchiveOptions } from './archive/archive-reader.js';
export { writeArchive, type ArchiveWriteResult, type WriteArchiveOptions } from './archive/archive-writer.js';
export { readDirectory } from './archive/directory-reader.js';
export {
  writeDirectory,
  type DirectoryWriteResult,
  type WriteDirectoryOptions,
} from './archive/directory-writer.js';
export type { DumpFileSource, DumpFileTarget, DumpFileUpload } from './archive/dump-files.js';
export { fsDumpFileSource, fsDumpFileTarget } from './archive/fs-dump-files.js';
export type { NamespaceSummary } from './archive/namespace-tally.js';

// Anonymization: rules, the key, and the fail-closed anonymizer.
export { loadRules, parseRules, type LoadedRules } from './config/load-rules.js';
export type { NormalizedRules } from './config/normalized-rules.js';
export { keyedHasher, type Hasher } from './transform/hasher.js';
export {
  loadAnonymizationKey,
  KEY_ENV,
  MIN_KEY_BYTES,
  type KeyOptions,
} from './transform/load-anonymization-key.js';
export type { ClassificationOptions } from './policy/namespace-policy.js';
export { failClosedAnonymizer } from './pipeline/fail-closed-anonymizer.js';
export type { StreamTransform, AnonymizationRecord } from './pipeline/stream-transform.js';

// Leak scan.
export { scanEvents, type ScanOptions } from './policy/scan-events.js';
export type {
  ScanReport,
  ScanFinding,
  UnclassifiedPath,
  ScannedNamespace,
  PathClassification,
} from './policy/scan-report.js';

// The engine ports and the MongoDB adapter.
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
export { MongoDbSource, type MongoDbSourceConnectOptions } from './mongodb/mongodb-source.js';
export { MongoDbTarget, type MongoDbTargetOptions } from './mongodb/mongodb-target.js';
export type { DoctorReport } from './mongodb/doctor.js';

// Snapshot stores: byte-level object stores and the snapshot catalogue on top of them.
export type {
  ObjectStore,
  ObjectBody,
  ObjectInfo,
  ObjectListing,
  ListOptions,
  PutOptions,
} from './store/object-store.js';
export { FsObjectStore } from './store/fs/fs-object-store.js';
export { MemoryObjectStore } from './store/memory/memory-object-store.js';
export { ObjectSnapshotCatalog, type ObjectCatalogOptions } from './store/object-snapshot-catalog.js';
export type {
  SnapshotCatalog,
  PendingSnapshot,
  ResolvedSnapshot,
  SnapshotInfo,
  SnapshotUpload,
} from './store/snapshot-catalog.js';
export type { SnapshotLease } from './store/snapshot-lease.js';
export { openSnapshotStore, defaultStoreUrl } from './store/open-snapshot-store.js';
import './pipeline/snapshot-db/register-snapshot-db-store.js';
export { parseSnapshotRef, formatSnapshotRef, type SnapshotRef } from './store/snapshot-ref.js';
export type { SnapshotManifest, ManifestCollection } from './store/snapshot-manifest.js';
export { applyRetention, type RetentionPolicy, type RetentionDecision } from './store/retention.js';

// Capture, verify, wait, restore, refresh.
export { createSnapshot, type CreateSnapshotOptions } from './pipeline/create-snapshot.js';
export { verifySnapshot, type VerifyResult, type VerifiedCollection } from './pipeline/verify-snapshot.js';
export { waitForSnapshot, type WaitOptions } from './pipeline/wait-for-snapshot.js';
export {
  restoreToTarget,
  planRestoreDryRun,
  type RestoreToTargetOptions,
  type RestoreDryRun,
} from './pipeline/restore-to-target.js';
export { restoreDump, type RestoreOptions } from './restore/restore-engine.js';
export type { RestoreResult } from './restore/restore-result.js';
export { refresh, type RefreshOptions, type RefreshResult } from './pipeline/refresh.js';

// The target guard: pure rules, evaluated before any write.
export {
  evaluateTargetGuard,
  DEFAULT_EPHEMERAL_PATTERN,
  type TargetGuardConfig,
  type GuardVerdict,
} from './target/guard/target-guard.js';
export { assertTargetAllowed } from './target/guard/assert-target-allowed.js';

// Plans: build, serialize, parse and apply, with the operation kinds dbfork ships.
export type { Plan, PlanOperation } from './plan/plan-schema.js';
export { serializePlan, parsePlan } from './plan/serialize-plan.js';
export { formatPlan } from './plan/format-plan.js';
export { executePlan, type ExecutePlanOptions } from './plan/execute-plan.js';
export type { PlanResult, OperationResult } from './plan/plan-result.js';
export type { PlanEvent, PlanEventListener } from './plan/plan-events.js';
export {
  createSecretResolver,
  type SecretResolver,
  type SecretResolverOptions,
} from './plan/secret-resolver.js';
export { OperationRegistry } from './plan/operation-registry.js';
export type { OperationKind, OperationContext } from './plan/operation-kind.js';
export { planOperations } from './pipeline/operations/plan-operations.js';
export { planSnapshotCreate } from './pipeline/snapshot-create-plan.js';
export type { SnapshotCaptureParams } from './pipeline/operations/snapshot-capture-operation.js';
export type { RestoreRunParams } from './pipeline/operations/restore-run-operation.js';
export { planRestoreCommand, type RestoreCommandPlanInput } from './pipeline/restore-command-plan.js';
export { planSnapshotPrune, type PruneListing } from './pipeline/snapshot-prune-plan.js';
