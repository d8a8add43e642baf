import type { Command } from 'commander';
import { EXIT_FINDINGS, UsageError } from '../../errors/index.js';
import { scanData, type ScanInput } from '../../pipeline/scan-data.js';
import { DEFAULT_SAMPLE } from '../../policy/scan-defaults.js';
import type { ScanReport } from '../../policy/scan-report.js';
import { addConnectionOptions, plannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { lastFillsFrom } from '../project-options.js';
import { secretResolver } from '../run-plan.js';
import { addIdentityOption, parseCount, storeOption } from '../option-groups.js';
import { table } from '../output.js';

interface ScanCliOptions {
  uri?: string;
  uriEnv?: string;
  uriFile?: string;
  uriConfig?: string;
  db?: string;
  in?: string;
  snapshot?: string;
  store?: string;
  rulesDb?: string;
  rules?: string;
  strict?: boolean;
  sample: string;
  identity?: string;
}

/**
 * `dbfork scan`: look for personal data in a sample of a live database or a dump. Exit 1 when there
 * are findings, or with `--strict` when a sampled path is neither transformed nor kept by the rules.
 */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'uri', 'scan a live database (with --db), read-only', 'source', 'db')
    .option('--db <db>', 'database to scan with --uri')
    .option('--in <archive|dir|->', 'scan a dump: archive file, dump folder or - for stdin')
    .option(
      '--snapshot <ref>',
      'scan a stored snapshot: <name>, <name>@latest, <name>@<id> or <name>@<YYYY-MM-DD> (UTC day)',
    )
    .addOption(storeOption('snapshot store for --snapshot'))
    .option(
      '--rules <file>',
      'anonymization rules: transformed and kept fields are not findings (default: rules of dbfork.yaml)',
    );
  lastFillsFrom(command, { kind: 'rules' })
    .option(
      '--rules-db <db>',
      'read the scanned database (every database of a dump) as this one for the rules: scan shop_pr_123 with rules for shop.*',
    )
    .option('--strict', 'also fail on sampled fields the rules neither transform nor keep (schema drift)')
    .option('--sample <n>', `documents examined per collection (0 = all)`, String(DEFAULT_SAMPLE));
  addIdentityOption(command).action(async (options: ScanCliOptions) => {
    const ctx = context();
    const sample = parseCount(options.sample, '--sample', 0);
    if (options.strict && options.rules === undefined) {
      throw new UsageError('SCAN_STRICT_NEEDS_RULES', '--strict checks fields against rules: give --rules');
    }
    const report = await scanData({
      input: await inputOf(ctx, options),
      ...(options.rules === undefined ? {} : { rules: options.rules }),
      ...(options.rulesDb === undefined ? {} : { rulesDb: options.rulesDb }),
      strict: Boolean(options.strict),
      sample,
      ...(options.identity === undefined ? {} : { identityFile: options.identity }),
    });
    ctx.output.result(report);
    if (options.rulesDb !== undefined) {
      ctx.output.line(`reading ${options.db ?? 'the dump'} as database ${options.rulesDb} for the rules`);
    }
    print(ctx, report);
    if (!report.passed) process.exitCode = EXIT_FINDINGS;
  });
}

/** @throws UsageError `CONFIG_BAD_OPTION` unless exactly one input is named (and a live one fully) */
async function inputOf(ctx: CommandContext, options: ScanCliOptions): Promise<ScanInput> {
  const connection = [options.uri, options.uriEnv, options.uriFile, options.uriConfig].some(
    (v) => v !== undefined,
  );
  const live = connection || options.db !== undefined;
  const given = [live, options.in !== undefined, options.snapshot !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      'say what to scan: --uri <uri> --db <db>, --in <dump>, or --snapshot <ref>',
      { hint: 'give exactly one of them' },
    );
  }
  if (options.in !== undefined) return { dump: options.in };
  if (options.snapshot !== undefined)
    return { snapshot: options.snapshot, ...(options.store === undefined ? {} : { store: options.store }) };
  if (!connection || options.db === undefined) {
    throw new UsageError('CONFIG_BAD_OPTION', 'scanning a live database needs both --uri and --db', {
      hint: '--uri may also come from --uri-env, --uri-file, $DBFORK_SOURCE_URI or source.uri of dbfork.yaml',
    });
  }
  const source = plannedConnection(options, 'uri');
  return { uri: (await secretResolver(ctx, source.args).resolve(source.ref)).reveal(), db: options.db };
}

function print(ctx: CommandContext, report: ScanReport): void {
  const out = ctx.output;
  const sampled = report.namespaces.reduce((n, s) => n + s.sampledDocuments, 0);
  out.line(
    `scanned ${report.namespaces.length} collections, ${sampled} documents (sample ${report.sample === 0 ? 'all' : report.sample} per collection)${report.rules ? ', with rules' : ''}${report.strict ? ', strict' : ''}`,
  );
  if (report.findings.length > 0) {
    out.line('');
    out.line('personal data found (not transformed, not kept):');
    out.line(
      table(
        ['  namespace', 'path', 'looks like', 'values', 'examples (masked)'],
        report.findings.map((f) => [`  ${f.namespace}`, f.path, f.detector, f.count, f.examples.join(', ')]),
      ),
    );
  }
  if (report.unclassified.length > 0) {
    out.line('');
    out.line('unclassified fields (add a rule, or list them under keep):');
    out.line(
      table(
        ['  namespace', 'path', 'values', 'types'],
        report.unclassified.map((u) => [`  ${u.namespace}`, u.path, u.count, u.types.join(',')]),
      ),
    );
  }
  if (report.covered.length > 0) {
    out.line('');
    out.line(
      `covered by the rules (not findings): ${report.covered.map((c) => `${c.namespace}.${c.path} (${c.detector}, ${c.classification})`).join('; ')}`,
    );
  }
  out.line('');
  out.line(
    report.passed
      ? 'scan passed: no findings'
      : `scan FAILED: ${report.findings.length} findings, ${report.unclassified.length} unclassified fields`,
  );
}
