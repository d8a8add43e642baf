import { figuresOf, type RunFigures } from '../metrics/run-report.js';
import type { PlanResult } from '../plan/plan-result.js';
import type { RestoreResult } from '../restore/restore-result.js';
import type { SnapshotManifest } from '../store/snapshot-manifest.js';

/**
 * A run's figures from the results commands already have, for its metrics: nothing is counted again.
 */

/** A snapshot's figures: each collection's documents and BSON bytes, as its manifest records them. */
export function manifestFigures(manifest: SnapshotManifest): RunFigures {
  return figuresOf(manifest.collections);
}

/** A restore's figures: what each collection wrote into the target, by target collection name. */
export function restoreFigures(result: RestoreResult): RunFigures {
  return figuresOf(
    result.collections
      .filter((c) => c.status !== 'skipped')
      .map((c) => ({ namespace: `${result.targetDb}.${c.target}`, documents: c.documents, bytes: c.bytes })),
  );
}

/** A plan's figures: its restore's if it restored, else its capture's, else none. */
export function planFigures(result: PlanResult): RunFigures | undefined {
  const output = (kind: string): unknown => result.operations.find((o) => o.kind === kind)?.output;
  const restored = output('restore.run') as RestoreResult | undefined;
  if (restored) return restoreFigures(restored);
  const manifest = output('snapshot.capture') as SnapshotManifest | undefined;
  return manifest ? manifestFigures(manifest) : undefined;
}
