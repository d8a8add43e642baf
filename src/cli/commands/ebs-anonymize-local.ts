import type { Command } from 'commander';
import { PolicyError, UsageError } from '../../errors/index.js';
import { openMemberAdmin } from '../../mongodb/member-admin.js';
import { anonymizeInPlace } from '../../pipeline/anonymize-in-place.js';
import {
  addAnonymizerOptions,
  loadStreamAnonymizer,
  type AnonymizerFlags,
} from '../anonymization-options.js';
import { collect } from '../option-groups.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { progressView } from '../progress-view.js';

interface AnonymizeLocalFlags extends AnonymizerFlags {
  uri?: string;
  uriEnv?: string;
  db: string[];
  rules: string;
}

/** Databases that are never user data. */
const SYSTEM = new Set(['admin', 'config', 'local']);

/**
 * `dbfork ebs anonymize-local`: anonymize databases in place on a server no client reaches (the
 * maintenance mongod of `mongo-restore`), with the same rules and key as `dbfork anonymize`, so the
 * same pseudonyms; written beside each collection and swapped in. Every database but admin, config and
 * local unless `--db` names some. Refuses a server that is a replica-set member.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .option(
      '--uri <mongodb-uri>',
      'the maintenance mongod (e.g. mongodb://127.0.0.1:27117/?directConnection=true)',
    )
    .option('--uri-env <NAME>', 'or the environment variable holding it')
    .option('--db <name>', 'a database to anonymize (repeatable; default: every user database)', collect, [])
    .requiredOption('--rules <file>', 'anonymization rules (YAML or JSON; docs/anonymization.md)');
  addAnonymizerOptions(command).action(async (flags: AnonymizeLocalFlags) => {
    const ctx = context();
    const uri = flags.uri ?? (flags.uriEnv ? process.env[flags.uriEnv] : undefined);
    if (!uri)
      throw new UsageError('CONFIG_BAD_OPTION', 'no connection: give --uri or --uri-env', {
        hint: 'the maintenance mongod of mongo-restore listens on 127.0.0.1:27117',
      });
    const anonymizer = await loadStreamAnonymizer(flags.rules, flags, ctx.logger);
    const databases = flags.db.length > 0 ? flags.db : await userDatabases(uri);
    const view = progressView(ctx);
    const rows: (string | number)[][] = [];
    try {
      for (const db of databases) {
        const result = await anonymizeInPlace({ uri, db, anonymizer, onProgress: view.listener });
        if (result.error) throw result.error;
        ctx.output.event('database-done', { db, collections: result.collections.length });
        rows.push([db, result.collections.length, result.collections.reduce((n, c) => n + c.documents, 0)]);
      }
    } finally {
      view.stop();
    }
    ctx.output.result({ databases, rulesDigest: anonymizer.rulesDigest });
    ctx.output.line(table(['database', 'collections', 'documents'], rows));
  });
}

/** @throws PolicyError `EBS_NOT_MAINTENANCE` for a replica-set member: in place only on a standalone */
async function userDatabases(uri: string): Promise<string[]> {
  const admin = await openMemberAdmin(uri);
  try {
    const hello = await admin.run({ hello: 1 });
    if (typeof hello.setName === 'string')
      throw new PolicyError(
        'EBS_NOT_MAINTENANCE',
        `the server is a member of ${hello.setName}, not a maintenance standalone`,
        {
          hint: 'anonymize-local runs on the standalone mongod mongo-restore starts on 127.0.0.1',
          labels: ['noWritesPerformed'],
        },
      );
    const listed = await admin.run({ listDatabases: 1, nameOnly: true });
    return ((listed.databases ?? []) as { name: string }[])
      .map((d) => d.name)
      .filter((n) => !SYSTEM.has(n))
      .sort();
  } finally {
    await admin.close();
  }
}
