import { NO_KEYS } from '../codec/codec-keys.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { stripUriCredentials } from '../core/redact.js';
import { restoreToTarget } from './restore-to-target.js';
import type { RestoreResult } from '../restore/restore-result.js';
import type { ReadPreference } from '../source/snapshot-source.js';
import type { SnapshotManifest } from '../store/snapshot-manifest.js';
import type { SnapshotCatalog } from '../store/snapshot-catalog.js';
import { assertTargetAllowed } from '../target/guard/assert-target-allowed.js';
import {
  evaluateTargetGuard,
  type GuardVerdict,
  type TargetGuardConfig,
} from '../target/guard/target-guard.js';
import type { CapturePlanRow } from '../source/capture-plan.js';
import { warnOnOtherKey } from './check-same-key.js';
import { createSnapshot, type StreamTransform } from './create-snapshot.js';
import { previewCapture } from './preview-capture.js';
import { selectSubset, type SubsetRequest } from './subset-capture.js';
import { withCapture } from './with-capture.js';
import { chooseAnonymization, snapshotRestoreInput, type RestoreAnonymization } from './restore-input.js';

/** Restore-side tuning shared with `dbfork restore`. */
export interface RefreshRestoreTuning {
  readonly strictIndexes?: boolean;
  readonly parallelCollections?: number;
  readonly insertWorkers?: number;
}

export interface RefreshOptions extends RefreshRestoreTuning {
  /** Production (source) connection string and database. */
  readonly from: string;
  readonly db: string;
  /** Target connection string and database. */
  readonly to: string;
  readonly targetDb: string;
  /** Rules, or an explicit opt-out: a refresh never copies raw data by default. */
  readonly anonymization: { readonly rules: StreamTransform } | { readonly none: true };
  /** Through the snapshot store (kept, verifiable, reusable) or straight from source to target. */
  readonly via:
    | {
        readonly store: SnapshotCatalog;
        readonly name?: string;
        readonly format: 'archive' | 'directory';
        readonly gzip: boolean;
      }
    | { readonly direct: true };
  /** The guard's settings; the source is added here (it is never a valid target). */
  readonly guardConfig: TargetGuardConfig;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly readPreference?: ReadPreference;
  /** A referentially complete subset of the source instead of all of it (docs/subsets.md). */
  readonly subset?: SubsetRequest;
  /** Refuse when the target holds data anonymized with another key (default: warn). */
  readonly requireSameKey?: boolean;
  /** Called with warnings that do not stop the run (a key mismatch). */
  readonly onWarning?: (message: string) => void;
  readonly onProgress?: ProgressListener;
}

export interface RefreshResult {
  /** The snapshot taken on the way (store mode), or null (direct mode). */
  readonly snapshot: SnapshotManifest | null;
  readonly restore: RestoreResult;
}

/**
 * The main job: copy a production database into a staging or per-PR database, anonymized. The target
 * guard runs first, before a single document is read from production; then either
 * capture → store → restore from the stored snapshot (verified against its manifest), or capture →
 * anonymize → restore as one stream (`direct`). Either way the target changes only by the restore
 * engine's verified per-collection swap.
 *
 * @throws PolicyError from the guard (nothing read or written); errors of capture as SourceError,
 *   StoreError, TransformError; restore failures come back in `restore.error`
 */
export async function refresh(options: RefreshOptions): Promise<RefreshResult> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const { source, guardConfig, verdict } = refreshGuard(options);
  assertTargetAllowed(verdict, options.targetDb);
  const request: RestoreAnonymization =
    'rules' in options.anonymization ? { rules: options.anonymization.rules } : { none: true };
  if ('rules' in options.anonymization) {
    await warnOnOtherKey(options, options.anonymization.rules.record.keyFingerprint);
  }
  const tuning = {
    ...(options.strictIndexes === undefined ? {} : { strictIndexes: options.strictIndexes }),
    ...(options.parallelCollections === undefined
      ? {}
      : { parallelCollections: options.parallelCollections }),
    ...(options.insertWorkers === undefined ? {} : { insertWorkers: options.insertWorkers }),
  };

  if ('store' in options.via) {
    const via = options.via;
    onProgress({ type: 'phase', phase: 'capture', detail: `${options.db} → snapshot store` });
    const snapshot = await createSnapshot({
      uri: options.from,
      db: options.db,
      ...(via.name ? { name: via.name } : {}),
      store: via.store,
      format: via.format,
      gzip: via.gzip,
      include: options.include ?? [],
      exclude: options.exclude ?? [],
      ...(options.readPreference ? { readPreference: options.readPreference } : {}),
      ...(options.subset ? { subset: options.subset } : {}),
      ...('rules' in options.anonymization ? { transform: options.anonymization.rules } : {}),
      onProgress,
    });
    // anonymized at capture: the restore reads the stored (already anonymized) snapshot as it is
    const input = snapshotRestoreInput(
      await via.store.resolve({ name: snapshot.name, id: snapshot.id }),
      snapshot.anonymized ? null : request,
      NO_KEYS,
      {},
      via.store,
    );
    onProgress({
      type: 'phase',
      phase: 'restore',
      detail: `${snapshot.name}@${snapshot.id} → ${options.targetDb}`,
    });
    const restore = await restoreToTarget({
      uri: options.to,
      targetDb: options.targetDb,
      guardConfig,
      events: input.events,
      ...(input.expected ? { expected: input.expected } : {}),
      ...(input.beforeSwap ? { beforeSwap: input.beforeSwap } : {}),
      provenance: input.provenance,
      onProgress,
      ...tuning,
    });
    return { snapshot, restore };
  }

  const chosen = chooseAnonymization(false, null, request, `production database ${options.db}`);
  const base = { include: options.include ?? [], exclude: options.exclude ?? [] };
  const subset = options.subset
    ? await selectSubset(options.from, options.db, options.subset, base, {
        ...(options.readPreference ? { readPreference: options.readPreference } : {}),
        onProgress,
      })
    : undefined;
  const selection = subset?.selection ?? base;
  const capture = {
    uri: options.from,
    db: options.db,
    ...selection,
    ...(options.readPreference ? { readPreference: options.readPreference } : {}),
    ...(chosen.transform ? { transform: chosen.transform } : {}),
    onProgress,
  };
  try {
    return await withCapture(capture, async (production) => {
      onProgress({ type: 'phase', phase: 'restore', detail: `${options.db} → ${options.targetDb} (direct)` });
      const restore = await restoreToTarget({
        uri: options.to,
        targetDb: options.targetDb,
        guardConfig,
        events: production.events,
        ...(chosen.transform ? { transform: (events) => chosen.transform!.apply(events) } : {}),
        provenance: {
          snapshotId: null,
          source,
          takenAt: new Date(),
          rulesDigest: chosen.rulesDigest,
          anonymized: chosen.choice,
          anonymization: chosen.record,
        },
        onProgress,
        ...tuning,
      });
      return { snapshot: null, restore };
    });
  } finally {
    subset?.release();
  }
}

/** What a refresh would do, reading no document and writing nothing. */
export interface RefreshDryRun {
  readonly guard: GuardVerdict;
  /** What the capture would read; empty when the guard refuses (the source is not contacted). */
  readonly collections: CapturePlanRow[];
}

/** The target guard's verdict for a refresh, then (if allowed) what its capture would read. */
export async function refreshDryRun(
  options: Pick<
    RefreshOptions,
    'from' | 'db' | 'to' | 'targetDb' | 'guardConfig' | 'include' | 'exclude' | 'readPreference'
  >,
): Promise<RefreshDryRun> {
  const { verdict } = refreshGuard(options);
  if (!verdict.allowed) return { guard: verdict, collections: [] };
  const collections = await previewCapture(options.from, options.db, {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    readPreference: options.readPreference ?? 'secondaryPreferred',
  });
  return { guard: verdict, collections };
}

/** The guard for a refresh: the configured rules plus the source, which is never a valid target. */
function refreshGuard(options: Pick<RefreshOptions, 'from' | 'db' | 'to' | 'targetDb' | 'guardConfig'>) {
  const source = { uri: stripUriCredentials(options.from), db: options.db };
  const guardConfig: TargetGuardConfig = { ...options.guardConfig, source };
  const verdict = evaluateTargetGuard({ uri: options.to, db: options.targetDb }, guardConfig);
  return { source, guardConfig, verdict };
}
