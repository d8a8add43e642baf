import type { Command } from 'commander';
import { loadRelations } from '../../config/load-relations.js';
import { EXIT_FINDINGS } from '../../errors/index.js';
import { checkSubset } from '../../pipeline/check-subset.js';
import { relationsFrom } from '../../subset/relation.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';

/** `dbfork subset check`: dangling references per relation in a live database; exit 1 when any dangle. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--uri <mongodb-uri>', 'the database server to check (read-only)')
    .requiredOption('--db <db>', 'database to check')
    .requiredOption('--relations <file>', 'relations file, or a rules file with a relations: section')
    .action(async (options: { uri: string; db: string; relations: string }) => {
      const ctx = context();
      const { relations } = await loadRelations(options.relations);
      const reports = await checkSubset(options.uri, options.db, relationsFrom(relations));
      const dangling = reports.reduce((n, r) => n + r.dangling, 0);
      ctx.output.result({ db: options.db, ok: dangling === 0, relations: reports });
      ctx.output.line(
        table(
          ['relation', 'references', 'dangling', 'examples'],
          reports.map((r) => [r.relation, r.references, r.dangling, r.examples.join(' ')]),
        ),
      );
      ctx.output.line(
        dangling === 0
          ? `${options.db}: no dangling references`
          : `${options.db}: ${dangling} dangling references`,
      );
      if (dangling > 0) process.exitCode = EXIT_FINDINGS;
    });
}
