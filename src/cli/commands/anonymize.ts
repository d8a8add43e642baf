import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openDumpReader, writeDump, type DumpFormat } from '../../archive/index.js';
import { UsageError } from '../../errors/index.js';
import type { AnonymizeStats } from '../../transform/anonymize-events.js';
import { addAnonymizerOptions, loadStreamAnonymizer } from '../anonymization-options.js';
import type { CommandContext } from '../context.js';
import { Output, table } from '../output.js';

interface AnonymizeOptions {
  in: string;
  out: string;
  rules: string;
  keyFile?: string;
  insecureUnkeyed?: boolean;
  allowUnclassified?: boolean;
  dropOplog?: boolean;
  format?: string;
  gzip?: boolean;
}

/**
 * `dbfork anonymize`: rewrite a dump through the anonymization rules, streaming (one document in
 * memory at a time), so `mongodump --archive | dbfork anonymize --in - --out - | mongorestore
 * --archive` works. Rules and key are checked before anything is read or written; an archive file or
 * a dump folder appears only when complete (temporary name, then rename).
 */
export function registerAnonymize(program: Command, context: () => CommandContext): void {
  const command = program
    .command('anonymize')
    .description(
      'rewrite a dump with keyed, deterministic anonymization rules (archive, folder or stdin/stdout)',
    )
    .requiredOption(
      '--in <archive|dir|->',
      'input dump: archive file (gzip detected), dump folder, or - for stdin',
    )
    .requiredOption(
      '--out <archive|dir|->',
      'output: archive file, dump folder, or - for an archive on stdout',
    )
    .requiredOption('--rules <file>', 'anonymization rules (YAML or JSON; see docs/anonymization.md)')
    .option('--format <format>', 'output format: archive or directory (default: the input’s; archive for -)')
    .option('--gzip', 'gzip the output archive (or each file of a folder)');
  addAnonymizerOptions(command).action(async (options: AnonymizeOptions) => {
    const ctx = context();
    const anonymizer = await loadStreamAnonymizer(options.rules, options, ctx.logger);
    if (options.in !== '-' && options.out !== '-' && resolve(options.in) === resolve(options.out)) {
      throw new UsageError('DUMP_BAD_OUTPUT', '--out is the same path as --in', {
        hint: 'write the anonymized dump somewhere else',
      });
    }
    const reader = await openDumpReader(options.in);
    const format = outputFormat(options, reader.format);
    if (format === 'directory' && options.out !== '-') await assertFreeFolder(options.out);
    // with --out -, stdout carries the archive: every message goes to stderr
    const out = options.out === '-' ? new Output(ctx.json, process.stderr) : ctx.output;
    const stats: AnonymizeStats[] = [];
    const started = Date.now();
    const events = anonymizer.apply(reader.events, {
      onNamespaceDone: (s) => {
        stats.push({ ...s });
        out.event('namespace-done', { ...s });
      },
    });
    const write = (path: string) => writeDump(events, path, { format, gzip: Boolean(options.gzip) });
    const summary =
      format === 'directory' && options.out !== '-'
        ? await writeFolderAtomically(options.out, write)
        : await write(options.out);
    const result = {
      in: options.in,
      out: options.out,
      format,
      gzip: Boolean(options.gzip),
      rulesDigest: anonymizer.rulesDigest,
      keyed: anonymizer.keyed,
      durationMs: Date.now() - started,
      bytesWritten: summary.bytesWritten,
      namespaces: stats,
    };
    out.result(result);
    out.line(
      `anonymized ${options.in} → ${options.out} (${format}${options.gzip ? ', gzip' : ''}) in ${result.durationMs} ms, rules ${anonymizer.rulesDigest}${anonymizer.keyed ? '' : ' UNKEYED'}`,
    );
    out.line(
      table(
        ['namespace', 'action', 'documents in', 'documents out', 'bytes in', 'bytes out'],
        stats.map((s) => [s.namespace, actionOf(s), s.documentsIn, s.documentsOut, s.bytesIn, s.bytesOut]),
      ),
    );
  });
}

function actionOf(s: AnonymizeStats): string {
  if (s.excluded) return 'excluded';
  const limited = s.documentsOut < s.documentsIn ? ', limited' : '';
  return `${s.documentsRewritten > 0 ? 'rewritten' : 'copied'}${limited}`;
}

function outputFormat(options: AnonymizeOptions, inputFormat: DumpFormat): DumpFormat {
  if (options.format === undefined) return options.out === '-' ? 'archive' : inputFormat;
  if (options.format !== 'archive' && options.format !== 'directory') {
    throw new UsageError('CONFIG_BAD_OPTION', `--format must be archive or directory, got ${options.format}`);
  }
  if (options.format === 'directory' && options.out === '-') {
    throw new UsageError('DUMP_BAD_OUTPUT', 'a directory dump cannot be written to stdout', {
      hint: 'use --format archive for -',
    });
  }
  return options.format;
}

async function assertFreeFolder(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory() || (await readdir(path)).length > 0) {
    throw new UsageError('DUMP_OUTPUT_EXISTS', `${path} exists and is not an empty folder`, {
      hint: 'give a new folder (it is created when the dump is complete)',
    });
  }
}

/** Write a dump folder under a temporary sibling name and rename it into place when complete. */
async function writeFolderAtomically<T>(path: string, write: (temp: string) => Promise<T>): Promise<T> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(dirname(path), { recursive: true });
  try {
    const result = await write(temp);
    await rmdir(path).catch(() => undefined); // an empty folder given as --out
    await rename(temp, path);
    return result;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
