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
    name: 'doctor',
    description:
      'inspect a MongoDB server: version, topology, databases and the capabilities dbfork depends on',
    usage: '[options]',
    load: () => import('./commands/doctor.js'),
  },
  {
    name: 'snapshot',
    description: 'capture, list, inspect, verify and prune snapshots',
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
          'read and validate a mongodump archive (plain or gzip), a dump folder or - (stdin): namespaces, documents, indexes, CRCs',
        usage: '<path>',
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
    name: 'apply',
    description: 'run a saved plan (from --plan-out) after re-checking live state',
    usage: '[options] <plan>',
    load: () => import('./commands/apply.js'),
  },
];
