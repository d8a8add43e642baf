import type { Command } from 'commander';
import { loadRelations } from '../../config/load-relations.js';
import { EXIT_FINDINGS, UsageError } from '../../errors/index.js';
import { checkSubset, type SubsetCheckInput } from '../../pipeline/check-subset.js';
import { relationsFrom } from '../../subset/relation.js';
import type { CommandContext } from '../context.js';
import { addIdentityOption, storeOption } from '../option-groups.js';
import { table } from '../output.js';

interface SubsetCheckFlags {
  uri?: string;
  db?: string;
  in?: string;
  snapshot?: string;
  store?: string;
  identity?: string;
  relations: string;
}

/**
 * `dbfork subset check`: dangling references per relation in a live database, a dump or a snapshot;
 * exit 1 when any dangle.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .option('--uri <mongodb-uri>', 'the database server to check (read-only), with --db')
    .option('--db <db>', 'database to check with --uri')
    .option('--in <archive|dir>', 'or check a dump: archive file or dump folder (one database)')
    .option('--snapshot <ref>', 'or check a stored snapshot: <name>, <name>@latest, <name>@<id>')
    .addOption(storeOption('snapshot store for --snapshot'))
    .requiredOption('--relations <file>', 'relations file, or a rules file with a relations: section');
  addIdentityOption(command).action(async (options: SubsetCheckFlags) => {
    const ctx = context();
    const input = inputOf(options);
    const { relations } = await loadRelations(options.relations);
    const reports = await checkSubset(input, relationsFrom(relations));
    const what = 'db' in input ? input.db : 'dump' in input ? input.dump : input.snapshot;
    const dangling = reports.reduce((n, r) => n + r.dangling, 0);
    ctx.output.result({
      ...('db' in input ? { db: input.db } : { input: what }),
      ok: dangling === 0,
      relations: reports,
    });
    ctx.output.line(
      table(
        ['relation', 'references', 'dangling', 'examples'],
        reports.map((r) => [r.relation, r.references, r.dangling, r.examples.join(' ')]),
      ),
    );
    ctx.output.line(
      dangling === 0 ? `${what}: no dangling references` : `${what}: ${dangling} dangling references`,
    );
    if (dangling > 0) process.exitCode = EXIT_FINDINGS;
  });
}

function inputOf(options: SubsetCheckFlags): SubsetCheckInput {
  const identity = options.identity === undefined ? {} : { identityFile: options.identity };
  const given = [options.uri !== undefined, options.in !== undefined, options.snapshot !== undefined];
  if (given.filter(Boolean).length !== 1 || (options.uri !== undefined && options.db === undefined))
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      'say what to check: --uri <uri> --db <db>, --in <dump>, or --snapshot <ref>',
      {
        hint: 'e.g. dbfork subset check --snapshot prod@latest --relations rules.yaml',
      },
    );
  if (options.uri !== undefined) return { uri: options.uri, db: options.db ?? '' };
  if (options.in !== undefined) return { dump: options.in, ...identity };
  return {
    snapshot: options.snapshot ?? '',
    ...(options.store === undefined ? {} : { store: options.store }),
    ...identity,
  };
}
