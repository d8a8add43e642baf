import {
  evaluateTargetGuard,
  GUARD_CODES,
  type GuardVerdict,
  type RefusingRule,
  type TargetRef,
} from './target-guard.js';

/**
 * What a disaster-recovery restore into `target` was given: the break-glass flag, the backup's
 * encryption, every confirmation, and what the target holds now.
 */
export interface DisasterRecoveryRequest {
  readonly target: TargetRef;
  /** `--disaster-recovery` was given. */
  readonly disasterRecovery: boolean;
  /** The backup is encrypted (its codecs include `age`). */
  readonly encrypted: boolean;
  /** Every `--confirm` value, in order. */
  readonly confirmations: readonly string[];
  /**
   * The name typed at the terminal prompt, or null when there is no terminal (then `--confirm <db>`
   * must be given twice instead).
   */
  readonly typed: string | null;
  /** Collections the target db holds now (besides dbfork's own and `system.*`); null: not looked yet. */
  readonly existingCollections: number | null;
  /** `--drop`: the backup's collections may replace the target's. */
  readonly drop: boolean;
}

/**
 * Decide whether a disaster-recovery restore may write into `target`: the one path into a
 * protected (production) database, and into the backup's own source. Pure. Rules, in order:
 * 1. `invalid-name` and `system-db` as the target guard's: `admin`, `local`, `config` never;
 * 2. `dr-not-requested`: `--disaster-recovery` was not given;
 * 3. `dr-unencrypted`: the backup is not encrypted (only backups taken by `backup run` qualify);
 * 4. `dr-not-confirmed`: `--confirm <db>` and, at a terminal, the database name typed at the
 *    prompt; without a terminal, `--confirm <db>` given twice. Each must be exactly the target db;
 * 5. `dr-not-empty`: the target holds collections and `--drop` was not given;
 * 6. `disaster-recovery` (allowed).
 * The protected-name, source-itself, allow-list and `--confirm` rules of the ordinary guard do
 * not apply: they are what this path exists to pass, with every confirmation given.
 */
export function evaluateDisasterRecoveryGuard(request: DisasterRecoveryRequest): GuardVerdict {
  const db = request.target.db;
  const base = evaluateTargetGuard(request.target, { ephemeralPattern: '(?!)' });
  if (base.rule === 'invalid-name' || base.rule === 'system-db') return base;
  const refuse = (rule: RefusingRule, reason: string): GuardVerdict => ({
    allowed: false,
    rule,
    code: GUARD_CODES[rule],
    reason,
    ephemeral: false,
  });
  if (!request.disasterRecovery)
    return refuse(
      'dr-not-requested',
      `restoring a backup into "${db}" is disaster recovery: --disaster-recovery is required`,
    );
  if (!request.encrypted)
    return refuse(
      'dr-unencrypted',
      'only an encrypted backup (taken by `dbfork backup run`) restores this way',
    );
  const named = request.confirmations.filter((c) => c === db).length;
  const confirmed = request.typed === null ? named >= 2 : named >= 1 && request.typed === db;
  if (!confirmed)
    return refuse(
      'dr-not-confirmed',
      request.typed === null
        ? `"${db}" is confirmed ${named} time(s); without a terminal give --confirm ${db} twice`
        : `"${db}" needs --confirm ${db} and the name typed at the prompt`,
    );
  if ((request.existingCollections ?? 0) > 0 && !request.drop)
    return refuse(
      'dr-not-empty',
      `"${db}" holds ${request.existingCollections} collection(s): give --drop to replace them with the backup's`,
    );
  return {
    allowed: true,
    rule: 'disaster-recovery',
    code: null,
    reason: `"${db}": disaster recovery, confirmed`,
    ephemeral: false,
  };
}
