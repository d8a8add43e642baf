import { PolicyError } from '../errors/index.js';
import { MongoDbTarget } from '../mongodb/mongodb-target.js';

/** What the target's `snapshot_metadata` says about the key of the data it holds now. */
export interface TargetKeyCheck {
  /** `same`, `different`, `unknown` (anonymized, no fingerprint recorded) or `none` (nothing restored yet, or raw). */
  readonly verdict: 'same' | 'different' | 'unknown' | 'none';
  readonly targetFingerprint: string | null;
}

/**
 * Compare the key fingerprint of the data about to be restored with the one recorded in the
 * target database's `snapshot_metadata`: pseudonyms made with different keys do not join, so data
 * restored next to (or instead of) data anonymized with another key breaks references between
 * databases that were refreshed separately. Read-only: one `findOne`.
 *
 * @param incoming the fingerprint of the incoming data's key (null when raw or unkeyed)
 * @param requireSame turn a mismatch (or an anonymized target whose key is not recorded) into an error
 * @throws PolicyError `KEY_MISMATCH` with `requireSame`; TargetError `TARGET_UNREACHABLE`
 */
export async function checkSameKey(
  uri: string,
  db: string,
  incoming: string | null,
  requireSame: boolean,
): Promise<TargetKeyCheck> {
  const target = await MongoDbTarget.connect(uri, db);
  let check: TargetKeyCheck;
  try {
    check = verdictOf(incoming, await target.readMetadata());
  } finally {
    await target.close();
  }
  if (requireSame && (check.verdict === 'different' || check.verdict === 'unknown')) {
    throw new PolicyError(
      'KEY_MISMATCH',
      check.verdict === 'different'
        ? `${db} holds data anonymized with another key (${check.targetFingerprint}, incoming ${incoming ?? 'unkeyed'}): pseudonyms would not join`
        : `${db} holds anonymized data whose key fingerprint is not recorded, so the same key cannot be confirmed`,
      {
        subject: { db },
        hint: 'use the key the target was anonymized with, or drop --require-same-key to replace it anyway',
        labels: ['noWritesPerformed'],
      },
    );
  }
  return check;
}

function verdictOf(incoming: string | null, doc: Record<string, unknown> | null): TargetKeyCheck {
  if (!doc || doc.anonymized === 'none') return { verdict: 'none', targetFingerprint: null };
  const record = doc.anonymization as { keyFingerprint?: unknown } | null | undefined;
  const target = typeof record?.keyFingerprint === 'string' ? record.keyFingerprint : null;
  if (target === null) return { verdict: 'unknown', targetFingerprint: null };
  return { verdict: target === incoming ? 'same' : 'different', targetFingerprint: target };
}

/**
 * Warn (or refuse, with `requireSameKey`) when the target's data was anonymized with another key.
 * @throws as {@link checkSameKey}
 */
export async function warnOnOtherKey(
  target: {
    readonly to: string;
    readonly targetDb: string;
    readonly requireSameKey?: boolean;
    readonly onWarning?: (message: string) => void;
  },
  incoming: string | null,
): Promise<void> {
  const check = await checkSameKey(target.to, target.targetDb, incoming, Boolean(target.requireSameKey));
  if (check.verdict === 'different') {
    target.onWarning?.(
      `${target.targetDb} holds data anonymized with another key (${check.targetFingerprint}); pseudonyms of this copy will not join it (--require-same-key refuses)`,
    );
  }
}
