import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { openDumpReader, writeDump, type DumpFormat } from '../archive/index.js';
import { UsageError } from '../errors/index.js';
import type { AnonymizeStats } from '../transform/anonymize-events.js';
import { decryptionKeys, decryptOptions } from './decryption-keys.js';
import type { StreamTransform } from './stream-transform.js';

export interface AnonymizeDumpOptions {
  /** Archive file, dump folder, or `-` for an archive on stdin. */
  readonly in: string;
  /** Archive file, dump folder, or `-` for an archive on stdout. */
  readonly out: string;
  /** Output format (default: the input's; an archive for `-`). */
  readonly format?: DumpFormat;
  readonly gzip: boolean;
  /** age identity file for an age-encrypted input archive. */
  readonly identityFile?: string;
  /** Check each document's BSON structure while reading (default true). */
  readonly objcheck?: boolean;
  /** Called as each namespace is finished. */
  readonly onNamespaceDone?: (stats: AnonymizeStats) => void;
}

/** What `dbfork anonymize` did. Sizes in bytes. */
export interface AnonymizeDumpResult {
  readonly in: string;
  readonly out: string;
  readonly format: DumpFormat;
  readonly gzip: boolean;
  readonly rulesDigest: string;
  readonly keyed: boolean;
  readonly durationMs: number;
  readonly bytesWritten: number;
  readonly namespaces: AnonymizeStats[];
}

/**
 * Rewrite a dump through an anonymizer, streaming (one document in memory at a time). A dump folder
 * appears only when complete (written under a temporary sibling name, then renamed); an archive file
 * is written atomically by the archive writer.
 *
 * @throws UsageError `DUMP_BAD_OUTPUT` (output is the input, or a folder on stdout),
 *   `DUMP_OUTPUT_EXISTS` (a non-empty folder); ArchiveError / TransformError while rewriting
 */
export async function anonymizeDump(
  anonymizer: StreamTransform,
  options: AnonymizeDumpOptions,
): Promise<AnonymizeDumpResult> {
  if (options.in !== '-' && options.out !== '-' && resolve(options.in) === resolve(options.out)) {
    throw new UsageError('DUMP_BAD_OUTPUT', '--out is the same path as --in', {
      hint: 'write the anonymized dump somewhere else',
    });
  }
  const reader = await openDumpReader(options.in, {
    ...decryptOptions(await decryptionKeys(options.identityFile)),
    ...(options.objcheck === false ? { objcheck: false } : {}),
  });
  const format = outputFormat(options, reader.format);
  const toFolder = format === 'directory' && options.out !== '-';
  if (toFolder) await assertFreeFolder(options.out);
  const namespaces: AnonymizeStats[] = [];
  const started = Date.now();
  const events = anonymizer.apply(reader.events, {
    onNamespaceDone: (s) => {
      namespaces.push({ ...s });
      options.onNamespaceDone?.({ ...s });
    },
  });
  const write = (path: string) => writeDump(events, path, { format, gzip: options.gzip });
  const summary = toFolder ? await writeFolderAtomically(options.out, write) : await write(options.out);
  return {
    in: options.in,
    out: options.out,
    format,
    gzip: options.gzip,
    rulesDigest: anonymizer.rulesDigest,
    keyed: anonymizer.keyed,
    durationMs: Date.now() - started,
    bytesWritten: summary.bytesWritten,
    namespaces,
  };
}

function outputFormat(options: AnonymizeDumpOptions, inputFormat: DumpFormat): DumpFormat {
  if (options.format === undefined) return options.out === '-' ? 'archive' : inputFormat;
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
