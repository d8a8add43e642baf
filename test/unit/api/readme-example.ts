// The README's "Library API" example, type-checked by `npm run typecheck` (never run): if the API
// changes under it, this file stops compiling.
import {
  createSnapshot,
  failClosedAnonymizer,
  isDbforkError,
  loadAnonymizationKey,
  loadRules,
  openSnapshotStore,
  readDump,
  restoreToTarget,
  writeDump,
} from '../../../src/index.js';

// Anonymize a dump file, fail-closed: an unclassified collection or field stops the run.
const rules = await loadRules('rules.yaml'); // UsageError RULES_* with file:line
const hasher = await loadAnonymizationKey(); // $DBFORK_ANONYMIZATION_KEY, ≥ 16 bytes
const anonymizer = failClosedAnonymizer(rules, hasher, { dropOplog: true });
await writeDump(anonymizer.apply(readDump('prod.archive')), 'staging.archive', { format: 'archive' });

// Capture an anonymized snapshot into a store (each `apply` starts fresh, so one anonymizer serves
// many runs), and restore the anonymized dump into a per-PR database: the target guard runs first.
const store = await openSnapshotStore('/var/lib/dbfork');
const manifest = await createSnapshot({
  uri: process.env.PROD_URI ?? '',
  db: 'app',
  store,
  format: 'archive',
  gzip: true,
  transform: anonymizer,
});
try {
  const result = await restoreToTarget({
    uri: process.env.STAGING_URI ?? '',
    targetDb: 'app_pr_123',
    events: readDump('staging.archive'),
    guardConfig: { protectedDbs: ['app'] },
  });
  if (result.error) throw result.error;
} catch (error) {
  if (isDbforkError(error)) console.error(error.code, error.message);
  throw error;
}
console.log(manifest.id);
