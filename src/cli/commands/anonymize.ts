import type { Command } from 'commander';
import { anonymizeDump } from '../../pipeline/anonymize-dump.js';
import type { AnonymizeStats } from '../../transform/anonymize-events.js';
import {
  addAnonymizerOptions,
  loadStreamAnonymizer,
  type AnonymizerFlags,
} from '../anonymization-options.js';
import { UsageError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { lastFillsFrom } from '../project-options.js';
import {
  addIdentityOption,
  addMetricsOptions,
  addObjcheckOption,
  parseFormat,
  type MetricsFlags,
} from '../option-groups.js';
import { figuresOf } from '../../metrics/run-report.js';
import { withRunMetrics } from '../run-metrics.js';
import { Output, table } from '../output.js';

interface AnonymizeOptions extends AnonymizerFlags, MetricsFlags {
  in: string;
  out: string;
  rules?: string;
  format?: string;
  gzip?: boolean;
  identity?: string;
  objcheck?: boolean;
}

/**
 * `dbfork anonymize`: rewrite a dump through the anonymization rules, streaming, so `mongodump
 * --archive | dbfork anonymize --in - --out - | mongorestore --archive` works. Rules and key are
 * checked before anything is read or written.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption(
      '--in <archive|dir|->',
      'input dump: archive file (gzip and age detected), dump folder, or - for stdin',
    )
    .requiredOption(
      '--out <archive|dir|->',
      'output: archive file, dump folder, or - for an archive on stdout',
    )
    .option(
      '--rules <file>',
      'anonymization rules (YAML or JSON; see docs/anonymization.md; default: rules of dbfork.yaml)',
    );
  lastFillsFrom(command, { kind: 'rules' })
    .option('--format <format>', 'output format: archive or directory (default: the input’s; archive for -)')
    .option('--gzip', 'gzip the output archive (or each file of a folder)');
  addIdentityOption(command);
  addObjcheckOption(command);
  addMetricsOptions(command);
  addAnonymizerOptions(command).action(async (options: AnonymizeOptions) => {
    const ctx = context();
    await withRunMetrics(ctx, options, { command: 'anonymize', database: '' }, async (metrics) => {
      const format = options.format === undefined ? undefined : parseFormat(options.format);
      if (options.rules === undefined) {
        throw new UsageError('CONFIG_BAD_OPTION', 'anonymize needs rules: give --rules <file>', {
          hint: 'or set rules: in dbfork.yaml',
        });
      }
      const anonymizer = await loadStreamAnonymizer(options.rules, options, ctx.logger);
      // with --out -, stdout carries the archive: every message goes to stderr
      const out = options.out === '-' ? new Output(ctx.json, process.stderr) : ctx.output;
      const result = await anonymizeDump(anonymizer, {
        in: options.in,
        out: options.out,
        ...(format === undefined ? {} : { format }),
        gzip: Boolean(options.gzip),
        ...(options.objcheck === false ? { objcheck: false } : {}),
        ...(options.identity === undefined ? {} : { identityFile: options.identity }),
        onNamespaceDone: (s) => out.event('namespace-done', { ...s }),
      });
      metrics.figures(
        figuresOf(
          result.namespaces.map((s) => ({
            namespace: s.namespace,
            documents: s.documentsOut,
            bytes: s.bytesOut,
          })),
          true, // a dump may hold several databases: db.coll
        ),
      );
      out.result(result);
      out.line(
        `anonymized ${result.in} → ${result.out} (${result.format}${result.gzip ? ', gzip' : ''}) in ${result.durationMs} ms, rules ${result.rulesDigest}${result.keyed ? '' : ' UNKEYED'}`,
      );
      out.line(
        table(
          ['namespace', 'action', 'documents in', 'documents out', 'bytes in', 'bytes out'],
          result.namespaces.map((s) => [
            s.namespace,
            actionOf(s),
            s.documentsIn,
            s.documentsOut,
            s.bytesIn,
            s.bytesOut,
          ]),
        ),
      );
    });
  });
}

function actionOf(s: AnonymizeStats): string {
  if (s.excluded) return 'excluded';
  const limited = s.documentsOut < s.documentsIn ? ', limited' : '';
  return `${s.documentsRewritten > 0 ? 'rewritten' : 'copied'}${limited}`;
}
