/**
 * The commands the audit trail records, by their command words: the audit action each is recorded
 * as, and what its `--db` names (the database read, or the database written). Every command that
 * captures, restores, refreshes, deletes, prunes, shares, backs up, clones or reads a snapshot is
 * here; the read-only listings (`snapshot list`, `backup status`, `doctor`, `scan`) are not.
 */
export interface AuditedCommand {
  /** The record's `action`, e.g. `snapshot.capture`. */
  readonly action: string;
  /** What `--db` names: the source database (capture) or the target database (restore). */
  readonly db?: 'source' | 'target';
  /**
   * False for a command that writes its own audit records into the store (then only `--audit-log`
   * gets the shell's): `backup restore --disaster-recovery` audits the break-glass restore itself,
   * and a refusal of it writes nothing, anywhere.
   */
  readonly inStore?: false;
}

export const AUDITED_COMMANDS: Readonly<Record<string, AuditedCommand>> = {
  'snapshot create': { action: 'snapshot.capture', db: 'source' },
  'snapshot show': { action: 'snapshot.read' },
  'snapshot verify': { action: 'snapshot.verify' },
  'snapshot delete': { action: 'snapshot.delete' },
  'snapshot prune': { action: 'snapshot.prune' },
  'snapshot share': { action: 'snapshot.share' },
  restore: { action: 'restore', db: 'target' },
  refresh: { action: 'refresh', db: 'source' },
  'backup run': { action: 'backup.run', db: 'source' },
  'backup restore': { action: 'backup.restore', db: 'target', inStore: false },
  'rds clone': { action: 'rds.clone' },
  'ebs sync': { action: 'ebs.sync' },
  'ebs install-documents': { action: 'ebs.install-documents' },
  'ebs anonymize-local': { action: 'ebs.anonymize-local', db: 'target' },
  'preview apply': { action: 'preview.apply' },
  'preview cleanup': { action: 'preview.cleanup' },
  'preview gc': { action: 'preview.gc' },
  apply: { action: 'plan.apply' },
};
