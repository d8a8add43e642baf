import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { suggestDatabaseRelations } from '../../pipeline/suggest-relations.js';
import type { CommandContext } from '../context.js';
import { parseCount } from '../option-groups.js';
import { table } from '../output.js';

/** `dbfork relations suggest`: candidate relations from sampled data, printed ready to paste. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--uri <mongodb-uri>', 'the database server to sample (read-only)')
    .requiredOption('--db <db>', 'database to sample')
    .option('--sample <n>', 'documents sampled per collection', '200')
    .option('--min-ratio <r>', 'smallest share of sampled values found in the target (0–1)', '0.8')
    .action(async (options: { uri: string; db: string; sample: string; minRatio: string }) => {
      const ctx = context();
      const minRatio = Number(options.minRatio);
      if (!(minRatio > 0 && minRatio <= 1))
        throw new UsageError(
          'CONFIG_BAD_OPTION',
          `--min-ratio takes a number in (0, 1], got ${options.minRatio}`,
        );
      const suggestions = await suggestDatabaseRelations(options.uri, options.db, {
        sample: parseCount(options.sample, '--sample'),
        minRatio,
      });
      ctx.output.result({ db: options.db, relations: suggestions });
      ctx.output.line(
        table(
          ['from', 'to', 'match', 'probed', 'target'],
          suggestions.map((s) => [s.from, s.to, `${(s.ratio * 100).toFixed(1)} %`, s.probed, s.target]),
        ),
      );
      if (suggestions.length === 0) {
        ctx.output.line('no candidate relations at this ratio');
        return;
      }
      ctx.output.line('\nrelations:');
      for (const s of suggestions)
        ctx.output.line(
          `  - { from: ${s.from}, to: ${s.to} }  # ${(s.ratio * 100).toFixed(1)} %, target ${s.target}`,
        );
    });
}
