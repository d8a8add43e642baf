import { PolicyError } from '../../errors/index.js';
import type { GuardVerdict } from './target-guard.js';

const HINTS: Readonly<Record<string, string>> = {
  TARGET_NAME_INVALID: 'database names are 1-63 characters without /\\. "$*<>:|? or NUL',
  TARGET_PROTECTED: 'no option overrides this: pick another target database',
  TARGET_IS_SOURCE: 'a snapshot is never restored over its own source: pick another target database',
  TARGET_NOT_ALLOWED:
    'use an ephemeral name (e.g. app_pr_123) or allow it with --allow-target <regex> and --confirm <db>',
  TARGET_CONFIRM_REQUIRED: 'repeat the target database name with --confirm <db> to confirm',
  DR_NOT_REQUESTED: 'restoring into a protected database is break-glass: add --disaster-recovery',
  DR_UNENCRYPTED_BACKUP: 'restore from a backup taken by `dbfork backup run` (always encrypted)',
  DR_NOT_CONFIRMED:
    'give --confirm <db> and type the name at the prompt; without a terminal (CI), give --confirm <db> twice',
  DR_TARGET_NOT_EMPTY:
    "the database holds collections: add --drop to replace them with the backup's (others are left as they are)",
};

/**
 * Throw when the guard refused. The error names the rule in `subject.rule` and carries the
 * `noWritesPerformed` label: the guard runs before any write.
 *
 * @throws PolicyError with the verdict's code (`TARGET_PROTECTED`, `TARGET_IS_SOURCE`, …)
 */
export function assertTargetAllowed(verdict: GuardVerdict, db: string): void {
  if (verdict.allowed) return;
  const code = verdict.code ?? 'TARGET_NOT_ALLOWED';
  throw new PolicyError(code, `target guard refused (rule ${verdict.rule}): ${verdict.reason}`, {
    hint: HINTS[code],
    subject: { rule: verdict.rule, db },
    labels: ['noWritesPerformed'],
  });
}
