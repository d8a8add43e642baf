import { normalizeHosts } from './normalize-hosts.js';

/** Databases no restore may ever write, whatever the options. */
const SYSTEM_DATABASES: readonly string[] = Object.freeze(['admin', 'local', 'config']);

/** Default pattern of throw-away per-pull-request databases (`app_pr_123`). */
export const DEFAULT_EPHEMERAL_PATTERN = '_pr_[0-9]+$';

/** Where a restore would write. */
export interface TargetRef {
  /** Target connection string (credentials are never compared or printed). */
  readonly uri: string;
  /** Target database name. */
  readonly db: string;
}

/** Where the snapshot came from: the manifest's `source` (URI without credentials, db). */
export interface SourceRef {
  readonly uri: string;
  readonly db: string;
}

/** The guard's settings: options and config, made into data. */
export interface TargetGuardConfig {
  /** Ephemeral targets match this regex (tested with `RegExp.test`). Default {@link DEFAULT_EPHEMERAL_PATTERN}. */
  readonly ephemeralPattern?: string;
  /** `--allow-target` regexes, tested with `RegExp.test` (anchor them yourself). */
  readonly allowTargets?: readonly string[];
  /** `--confirm <db>`: must equal the target db for a non-ephemeral target. */
  readonly confirm?: string;
  /** Configured production and snapshot database names: never a target. */
  readonly protectedDbs?: readonly string[];
  /** The snapshot's own source, when known (from the manifest): never a target. */
  readonly source?: SourceRef;
}

/**
 * The rule that decided. `ephemeral`, `allowed-confirmed` and `disaster-recovery` let the target
 * through; the others refuse. The `dr-*` rules and `disaster-recovery` are the disaster-recovery
 * guard's (`disaster-recovery-guard.ts`).
 */
export type GuardRule =
  | 'invalid-name'
  | 'system-db'
  | 'protected-db'
  | 'source-itself'
  | 'not-allowed'
  | 'confirm-required'
  | 'ephemeral'
  | 'allowed-confirmed'
  | 'dr-not-requested'
  | 'dr-unencrypted'
  | 'dr-not-confirmed'
  | 'dr-not-empty'
  | 'disaster-recovery';

/** The rules that refuse. */
export type RefusingRule = Exclude<GuardRule, 'ephemeral' | 'allowed-confirmed' | 'disaster-recovery'>;

/** Stable error code per refusing rule (see docs/errors.md). */
export const GUARD_CODES: Readonly<Record<RefusingRule, string>> = Object.freeze({
  'invalid-name': 'TARGET_NAME_INVALID',
  'system-db': 'TARGET_PROTECTED',
  'protected-db': 'TARGET_PROTECTED',
  'source-itself': 'TARGET_IS_SOURCE',
  'not-allowed': 'TARGET_NOT_ALLOWED',
  'confirm-required': 'TARGET_CONFIRM_REQUIRED',
  'dr-not-requested': 'DR_NOT_REQUESTED',
  'dr-unencrypted': 'DR_UNENCRYPTED_BACKUP',
  'dr-not-confirmed': 'DR_NOT_CONFIRMED',
  'dr-not-empty': 'DR_TARGET_NOT_EMPTY',
});

/** The guard's answer, as data: printable in a plan, thrown by {@link assertTargetAllowed}. */
export interface GuardVerdict {
  readonly allowed: boolean;
  readonly rule: GuardRule;
  /** Error code when refused. */
  readonly code: string | null;
  /** One sentence naming the rule and the values involved (no credentials). */
  readonly reason: string;
  /** True when the target matched the ephemeral pattern. */
  readonly ephemeral: boolean;
}

/** MongoDB database names: no `/\. "$*<>:|?`, no NUL, 1-63 bytes. */
const VALID_DB_NAME = /^[^/\\. "$*<>:|?\0]{1,63}$/;

/**
 * Decide whether a restore may write into `target`. Pure: no I/O. Rules, in order (the first that
 * applies decides):
 * 1. `invalid-name`: not a valid database name;
 * 2. `system-db`: `admin`, `local`, `config` (any case: MongoDB refuses names differing only by case);
 * 3. `protected-db`: a configured production or snapshot database name (any case);
 * 4. `source-itself`: same db as the snapshot's source and a shared host (any seed in common after
 *    normalization, see {@link normalizeHosts}); when either URI cannot be parsed, same db is enough;
 * 5. `ephemeral` (allowed): the name matches the ephemeral pattern;
 * 6. `not-allowed`: no `--allow-target` regex matches;
 * 7. `confirm-required`: `--confirm` is not exactly the target db;
 * 8. `allowed-confirmed` (allowed).
 * Rules 1-4 are the blocklist: no option overrides them.
 *
 * @throws SyntaxError when a configured pattern is not a valid regex (callers validate options first)
 */
export function evaluateTargetGuard(target: TargetRef, config: TargetGuardConfig = {}): GuardVerdict {
  const db = target.db;
  const folded = db.toLowerCase();
  const ephemeral = new RegExp(config.ephemeralPattern ?? DEFAULT_EPHEMERAL_PATTERN).test(db);
  const refuse = (rule: RefusingRule, reason: string): GuardVerdict => ({
    allowed: false,
    rule,
    code: GUARD_CODES[rule],
    reason,
    ephemeral,
  });
  if (!VALID_DB_NAME.test(db) || Buffer.byteLength(db, 'utf8') > 63) {
    return refuse('invalid-name', `"${db}" is not a valid database name`);
  }
  if (SYSTEM_DATABASES.includes(folded)) {
    return refuse('system-db', `"${db}" is a system database (admin, local and config are never targets)`);
  }
  const protectedName = (config.protectedDbs ?? []).find((p) => p.toLowerCase() === folded);
  if (protectedName !== undefined) {
    return refuse('protected-db', `"${db}" is a configured production or snapshot database`);
  }
  if (config.source && isSameAsSource(target, config.source)) {
    return refuse('source-itself', `"${db}" on this server is the snapshot's own source`);
  }
  if (ephemeral) {
    return { allowed: true, rule: 'ephemeral', code: null, reason: `"${db}" is ephemeral`, ephemeral };
  }
  const allow = config.allowTargets ?? [];
  if (!allow.some((p) => new RegExp(p).test(db))) {
    return refuse(
      'not-allowed',
      allow.length === 0
        ? `"${db}" is not ephemeral (pattern ${config.ephemeralPattern ?? DEFAULT_EPHEMERAL_PATTERN}) and no --allow-target is given`
        : `"${db}" is not ephemeral and matches no --allow-target (${allow.join(', ')})`,
    );
  }
  if (config.confirm !== db) {
    return refuse('confirm-required', `"${db}" is a long-lived target: type --confirm ${db} to confirm`);
  }
  return {
    allowed: true,
    rule: 'allowed-confirmed',
    code: null,
    reason: `"${db}" is allowed and confirmed`,
    ephemeral,
  };
}

/**
 * Same database (case-insensitive) and at least one host in common. Fails closed: if either URI
 * cannot be parsed, the same db name alone counts as the source.
 */
function isSameAsSource(target: TargetRef, source: SourceRef): boolean {
  if (target.db.toLowerCase() !== source.db.toLowerCase()) return false;
  const t = normalizeHosts(target.uri);
  const s = normalizeHosts(source.uri);
  if (!t || !s) return true;
  return t.keys.some((k) => s.keys.includes(k));
}
