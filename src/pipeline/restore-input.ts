import { readDump } from '../archive/index.js';
import { NO_KEYS, type CodecKeys } from '../codec/codec-keys.js';
import type { DumpEventStream } from '../core/dump-event.js';
import { decryptOptions } from './decryption-keys.js';
import type { AnonymizationRecord } from '../core/anonymization-record.js';
import { PolicyError, UsageError } from '../errors/index.js';
import type { ExpectedManifest } from '../restore/expected-manifest.js';
import type { AnonymizationChoice, RestoreProvenance } from '../restore/snapshot-metadata.js';
import type { SnapshotManifest } from '../store/snapshot-manifest.js';
import type { ResolvedSnapshot } from '../store/snapshot-catalog.js';
import type { SourceRef } from '../target/guard/target-guard.js';
import type { StreamTransform } from './create-snapshot.js';
import { readSnapshotData } from './read-snapshot-data.js';

/** Everything the restore engine needs besides the target: the stream, what to expect, where it came from. */
export interface RestoreInput {
  readonly events: DumpEventStream;
  readonly expected?: ExpectedManifest;
  /** The snapshot's own source: the target guard refuses it. */
  readonly source?: SourceRef;
  readonly provenance: RestoreProvenance;
  readonly transform?: (events: DumpEventStream) => DumpEventStream;
}

/** The user's anonymization choice for a restore: rules at restore time, or an explicit opt-out. */
export type RestoreAnonymization = { readonly rules: StreamTransform } | { readonly none: true } | null;

/**
 * Decide how the restored data is anonymized (fail closed: a non-production copy is anonymized
 * unless the user explicitly opts out):
 * - rules given: applied at restore (`restore`), even on an already anonymized snapshot;
 * - else a snapshot anonymized at capture restores as it is (`capture`);
 * - else an explicit `--no-anonymize` (`none`);
 * - else refuse.
 *
 * @throws PolicyError `ANONYMIZATION_REQUIRED` for raw data without a choice
 */
export function chooseAnonymization(
  anonymizedAtCapture: boolean,
  rulesDigestAtCapture: string | null,
  request: RestoreAnonymization,
  what: string,
  recordAtCapture: AnonymizationRecord | null = null,
): {
  choice: AnonymizationChoice;
  rulesDigest: string | null;
  record: AnonymizationRecord | null;
  transform?: StreamTransform;
} {
  if (request && 'rules' in request) {
    const rules = request.rules;
    return { choice: 'restore', rulesDigest: rules.rulesDigest, record: rules.record, transform: rules };
  }
  if (anonymizedAtCapture)
    return { choice: 'capture', rulesDigest: rulesDigestAtCapture, record: recordAtCapture };
  if (request && 'none' in request) return { choice: 'none', rulesDigest: null, record: null };
  throw new PolicyError('ANONYMIZATION_REQUIRED', `${what} holds raw (not anonymized) data`, {
    hint: 'give --rules <file> to anonymize while restoring, or --no-anonymize to restore raw data deliberately',
    labels: ['noWritesPerformed'],
  });
}

/**
 * Restore input from a complete snapshot: its data, its manifest as the expectation, its source.
 * An encrypted snapshot is decrypted with `keys.identities` while it streams; a wrong identity or
 * tampered data fails the read, which fails the restore before its swap.
 *
 * @throws UsageError `SNAPSHOT_WHOLE_SERVER` for a whole-server backup (`dbfork backup restore` restores
 *   it); PolicyError `ANONYMIZATION_REQUIRED` for raw data without a choice
 */
export function snapshotRestoreInput(
  snapshot: ResolvedSnapshot,
  request: RestoreAnonymization,
  keys: CodecKeys = NO_KEYS,
): RestoreInput {
  const m: SnapshotManifest = snapshot.manifest;
  if (m.databases !== undefined) {
    // one target db cannot take several databases (and the guard's source rule needs one source db)
    throw new UsageError(
      'SNAPSHOT_WHOLE_SERVER',
      `snapshot ${m.name}@${m.id} holds every database of a server`,
      {
        subject: { snapshot: `${m.name}@${m.id}` },
        hint: 'restore it with `dbfork backup restore` (each database into its own, or one with --db)',
        labels: ['noWritesPerformed'],
      },
    );
  }
  if (m.codecs.includes('age') && !keys.identities?.length) throw identityRequired(m);
  const chosen = chooseAnonymization(
    m.anonymized,
    m.rulesDigest,
    request,
    `snapshot ${m.name}@${m.id}`,
    m.anonymization ?? null,
  );
  return {
    events: readSnapshotData(snapshot, keys),
    expected: { collections: m.collections },
    source: { uri: m.source.uri, db: m.source.db },
    provenance: {
      snapshotId: `${m.name}@${m.id}`,
      source: { uri: m.source.uri, db: m.source.db },
      takenAt: new Date(m.createdAt),
      rulesDigest: chosen.rulesDigest,
      anonymized: chosen.choice,
      anonymization: chosen.record,
      ...(m.consistency ? { consistency: { ...m.consistency } } : {}),
    },
    ...(chosen.transform ? { transform: (events: DumpEventStream) => chosen.transform!.apply(events) } : {}),
  };
}

/**
 * Restore input from a dump path or `-` (stdin): nothing is known about its anonymization. An
 * age-encrypted archive is decrypted with `keys.identities` while it streams.
 */
export function dumpRestoreInput(
  path: string,
  request: RestoreAnonymization,
  keys: CodecKeys = NO_KEYS,
): RestoreInput {
  const chosen = chooseAnonymization(
    false,
    null,
    request,
    path === '-' ? 'the dump on stdin' : `the dump ${path}`,
  );
  return {
    events: readDump(path, decryptOptions(keys)),
    provenance: {
      snapshotId: null,
      source: null,
      takenAt: null,
      rulesDigest: chosen.rulesDigest,
      anonymized: chosen.choice,
      anonymization: chosen.record,
    },
    ...(chosen.transform ? { transform: (events: DumpEventStream) => chosen.transform!.apply(events) } : {}),
  };
}

/** Checked from the manifest, before the data is opened or the target is reached. */
function identityRequired(m: SnapshotManifest): UsageError {
  const to = m.encryption?.recipients.join(', ');
  return new UsageError(
    'DECRYPTION_IDENTITY_REQUIRED',
    `${m.name}@${m.id} is encrypted: an age identity is needed`,
    {
      subject: { snapshot: `${m.name}@${m.id}` },
      hint: `give --identity <file> with the identity of ${to ? `one of its recipients (${to})` : 'its recipient'}`,
    },
  );
}
