import type { Command } from 'commander';
import type { CommandContext } from './context.js';

/** Fills a command (already named and described) with its arguments, options and action. */
export type CommandDefinition = (command: Command, context: () => CommandContext) => void;

/** What a command module exports: `cli/commands/<name>.ts`. */
export interface CommandModule {
  readonly define: CommandDefinition;
}

/**
 * One command as help lists it before its module is loaded. A leaf has `usage` (what help prints after
 * its name, e.g. `[options] <plan>`: the loaded definition's own term, checked by a unit test) and
 * `load`; a group has `subcommands`.
 */
export type CommandSpec =
  | {
      readonly name: string;
      readonly description: string;
      readonly usage: string;
      readonly load: () => Promise<CommandModule>;
    }
  | { readonly name: string; readonly description: string; readonly subcommands: readonly CommandSpec[] };

/** The command tree. A module is imported only when its command runs (or shows its own help). */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'keygen',
    description: 'print a new age identity and its age1… recipient, for encrypted snapshots and backups',
    usage: '[options]',
    load: () => import('./commands/keygen.js'),
  },
  {
    name: 'fpe-decrypt',
    description: 'recover the originals of values an fpe rule encrypted (needs the anonymization key)',
    usage: '[options] <value...>',
    load: () => import('./commands/fpe-decrypt.js'),
  },
  {
    name: 'config',
    description: 'the project configuration (dbfork.yaml)',
    subcommands: [
      {
        name: 'show',
        description:
          'print the effective settings (secrets redacted) and where each came from: flag, env, file:line or default',
        usage: '[options]',
        load: () => import('./commands/config-show.js'),
      },
    ],
  },
  {
    name: 'doctor',
    description:
      'inspect a MongoDB server: version, topology, databases and the capabilities dbfork depends on',
    usage: '[options]',
    load: () => import('./commands/doctor.js'),
  },
  {
    name: 'snapshot',
    description: 'capture, list, inspect, verify, prune and share snapshots',
    subcommands: [
      {
        name: 'create',
        description: 'capture a database into the snapshot store (manifest written last, then latest moves)',
        usage: '[options]',
        load: () => import('./commands/snapshot-create.js'),
      },
      {
        name: 'list',
        description: 'list snapshots (newest first); only those with a manifest are complete',
        usage: '[options]',
        load: () => import('./commands/snapshot-list.js'),
      },
      {
        name: 'show',
        description: 'show the manifest of a snapshot',
        usage: '[options] <ref>',
        load: () => import('./commands/snapshot-show.js'),
      },
      {
        name: 'verify',
        description:
          're-read a snapshot and check counts, SHA-256 and CRC-64 against its manifest (exit 1 on mismatch)',
        usage: '[options] <ref>',
        load: () => import('./commands/snapshot-verify.js'),
      },
      {
        name: 'delete',
        description: 'delete a snapshot (if it is latest, latest moves to the previous complete snapshot)',
        usage: '[options] <ref>',
        load: () => import('./commands/snapshot-delete.js'),
      },
      {
        name: 'prune',
        description: 'delete snapshots a retention policy does not keep (latest is always kept)',
        usage: '[options]',
        load: () => import('./commands/snapshot-prune.js'),
      },
      {
        name: 'share',
        description:
          'print signed, expiring GET URLs for the manifest and data of a complete snapshot (S3, GCS; read-only)',
        usage: '[options] <ref>',
        load: () => import('./commands/snapshot-share.js'),
      },
    ],
  },
  {
    name: 'access',
    description:
      'least-privilege MongoDB users for in-cluster snapshots: plan the grants, check a connection',
    subcommands: [
      {
        name: 'plan',
        description:
          'print the grants of the producer, restore or cleanup role (createUser, Atlas Admin API body, AtlasDatabaseUser)',
        usage: '[options]',
        load: () => import('./commands/access-plan.js'),
      },
      {
        name: 'check',
        description:
          "compare a connection's privileges (connectionStatus) with its role's plan; exit 8 when it can write a protected database",
        usage: '[options]',
        load: () => import('./commands/access-check.js'),
      },
    ],
  },
  {
    name: 'store',
    description: 'object store safety: bucket lifecycle rules, public access check',
    subcommands: [
      {
        name: 'lifecycle',
        description:
          'print the S3 or GCS bucket lifecycle rules for a store (abort uploads, noncurrent versions, age) and what stays with prune',
        usage: '[options]',
        load: () => import('./commands/store-lifecycle.js'),
      },
      {
        name: 'check',
        description:
          'check that a bucket and store prefix are not publicly readable (policy, ACLs, IAM); report versioning and encryption',
        usage: '[options]',
        load: () => import('./commands/store-check.js'),
      },
    ],
  },
  {
    name: 'preview',
    description:
      'pull-request preview databases: decide, apply, clean up, collect garbage, Kubernetes manifests',
    subcommands: [
      {
        name: 'decide',
        description: 'what a pull_request event does to its preview database (labels, lock, #preview-config)',
        usage: '[options]',
        load: () => import('./commands/preview-decide.js'),
      },
      {
        name: 'apply',
        description: 'decide on a pull_request event and carry out the database actions as a plan',
        usage: '[options]',
        load: () => import('./commands/preview-apply.js'),
      },
      {
        name: 'cleanup',
        description: 'drop a PR database unless it is locked (the PreDelete hook)',
        usage: '[options]',
        load: () => import('./commands/preview-cleanup.js'),
      },
      {
        name: 'gc',
        description: 'drop PR databases whose pull request is closed and that are not locked',
        usage: '[options]',
        load: () => import('./commands/preview-gc.js'),
      },
      {
        name: 'lock',
        description: "write (or with --unlock remove) a PR database's lock record, as persist-db says",
        usage: '[options]',
        load: () => import('./commands/preview-lock.js'),
      },
      {
        name: 'manifests',
        description:
          "render a pull request's Kubernetes manifests: producer CronJob, Atlas user, restore and cleanup Jobs",
        usage: '[options]',
        load: () => import('./commands/preview-manifests.js'),
      },
    ],
  },
  {
    name: 'ebs',
    description: 'staging copies of self-hosted MongoDB from EBS snapshots of a hidden member',
    subcommands: [
      {
        name: 'sync',
        description:
          'snapshot the hidden member (fsyncLock), restore the volume on a staging instance by SSM, anonymize there, then open it',
        usage: '[options]',
        load: () => import('./commands/ebs-sync.js'),
      },
      {
        name: 'install-documents',
        description: 'create or update the SSM documents mongo-snapshot, mongo-restore and replica-init',
        usage: '[options]',
        load: () => import('./commands/ebs-install-documents.js'),
      },
      {
        name: 'anonymize-local',
        description:
          'anonymize databases in place on a maintenance mongod (run by mongo-restore on the staging host)',
        usage: '[options]',
        load: () => import('./commands/ebs-anonymize-local.js'),
      },
    ],
  },
  {
    name: 'rds',
    description: 'AWS RDS replication trees',
    subcommands: [
      {
        name: 'clone',
        description:
          'replace a replication tree with a copy of a source instance: guarded, planned, resumable (raw data: --no-anonymize)',
        usage: '[options]',
        load: () => import('./commands/rds-clone.js'),
      },
    ],
  },
  {
    name: 'relations',
    description: 'relations between collections, for referentially complete subsets',
    subcommands: [
      {
        name: 'suggest',
        description: 'propose relations from sampled data, with match ratios, ready to paste',
        usage: '[options]',
        load: () => import('./commands/relations-suggest.js'),
      },
    ],
  },
  {
    name: 'subset',
    description: 'referentially complete subsets: check a database for dangling references',
    subcommands: [
      {
        name: 'check',
        description: 'report dangling references per relation in a live database (exit 1 when any)',
        usage: '[options]',
        load: () => import('./commands/subset-check.js'),
      },
    ],
  },
  {
    name: 'restore',
    description:
      'restore a snapshot or dump into a target database: guarded, loaded aside, verified, then swapped in',
    usage: '[options]',
    load: () => import('./commands/restore.js'),
  },
  {
    name: 'archive',
    description: 'mongodump-compatible archives and dump folders',
    subcommands: [
      {
        name: 'inspect',
        description:
          'read and validate a mongodump archive (plain, gzip or age-encrypted), a dump folder or - (stdin): namespaces, documents, indexes, CRCs',
        usage: '[options] <path>',
        load: () => import('./commands/archive-inspect.js'),
      },
    ],
  },
  {
    name: 'anonymize',
    description:
      'rewrite a dump with keyed, deterministic anonymization rules (archive, folder or stdin/stdout)',
    usage: '[options]',
    load: () => import('./commands/anonymize.js'),
  },
  {
    name: 'scan',
    description:
      'find personal data (emails, phones, IPs, cards, IBANs, addresses, names) and unclassified fields',
    usage: '[options]',
    load: () => import('./commands/scan.js'),
  },
  {
    name: 'refresh',
    description:
      'capture production (anonymized), store the snapshot and restore it into a target, in one command',
    usage: '[options]',
    load: () => import('./commands/refresh.js'),
  },
  {
    name: 'backup',
    description: 'encrypted disaster-recovery backups: run, status, break-glass restore',
    subcommands: [
      {
        name: 'run',
        description:
          'back up a database (or every database) raw and always encrypted, then move latest and daily/<date>',
        usage: '[options]',
        load: () => import('./commands/backup-run.js'),
      },
      {
        name: 'status',
        description:
          'last success and failure of each backup, age and size; exit 1 when older than --max-age',
        usage: '[options]',
        load: () => import('./commands/backup-status.js'),
      },
      {
        name: 'restore',
        description:
          'disaster recovery: restore an encrypted backup into a protected database, confirmed and audited',
        usage: '[options]',
        load: () => import('./commands/backup-restore.js'),
      },
    ],
  },
  {
    name: 'audit',
    description: 'the audit trail: who captured, restored, shared or deleted what, where, and how it ended',
    subcommands: [
      {
        name: 'list',
        description:
          'list audited runs (start and outcome; a killed run shows as interrupted), by time, target and action',
        usage: '[options]',
        load: () => import('./commands/audit-list.js'),
      },
    ],
  },
  {
    name: 'apply',
    description: 'run a saved plan (from --plan-out) after re-checking live state',
    usage: '[options] <plan>',
    load: () => import('./commands/apply.js'),
  },
  {
    name: 'schedule',
    description:
      'run a dbfork command on a cron schedule in-process (one run at a time, /metrics), or print a systemd timer or crontab entry',
    usage: '[options] <command...>',
    load: () => import('./commands/schedule.js'),
  },
];
