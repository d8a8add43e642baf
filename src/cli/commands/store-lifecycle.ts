import type { Command } from 'commander';
import { scrub } from '../../core/redact.js';
import { UsageError } from '../../errors/index.js';
import { bucketLocation } from '../../store/bucket-url.js';
import { normalizeStoreUrl } from '../../store/open-snapshot-store.js';
import { lifecycleNotes } from '../../store/lifecycle/lifecycle-notes.js';
import {
  gcsLifecycleRules,
  minimumExpiryDays,
  s3LifecycleRules,
  type LifecycleSettings,
} from '../../store/lifecycle/lifecycle-rules.js';
import type { CommandContext } from '../context.js';
import {
  addRetentionOptions,
  parseCount,
  retentionPolicyFrom,
  storeOption,
  type RetentionFlags,
} from '../option-groups.js';

interface LifecycleFlags extends RetentionFlags {
  print?: boolean;
  store?: string;
  format?: string;
  abortIncompleteAfter: string;
  noncurrentAfter: string;
  expireAfter?: string;
}

/**
 * `dbfork store lifecycle --print`: the bucket lifecycle rules (S3 or GCS JSON, on stdout) that carry
 * the part of a store's retention bucket rules can express safely, scoped to the store's prefix, and
 * (on stderr, or in the JSON result) what stays with `snapshot prune`. Reads nothing, writes nothing.
 */
export function define(command: Command, context: () => CommandContext): void {
  addRetentionOptions(
    command
      .addOption(storeOption('object store URL, s3://bucket/prefix or gs://bucket/prefix'))
      .option('--print', 'print the rules (the only mode: apply them with the command printed on stderr)')
      .option('--format <format>', 's3 or gcs (default: the store URL scheme)')
      .option('--abort-incomplete-after <days>', 'abort multipart uploads not completed after days', '7')
      .option('--noncurrent-after <days>', 'delete object versions days after they stop being current', '7')
      .option(
        '--expire-after <days>',
        'also delete every object under the prefix days after it was written (latest included)',
      ),
  ).action((flags: LifecycleFlags) => {
    const ctx = context();
    if (!flags.print)
      throw new UsageError('CONFIG_BAD_OPTION', 'store lifecycle only prints rules: add --print', {
        hint: 'dbfork store lifecycle --print --store s3://bucket/prefix > rules.json, then apply rules.json with the command it names',
      });
    const location = bucketLocation(flags.store);
    if (!location)
      throw new UsageError('CONFIG_BAD_OPTION', 'a file store has no bucket lifecycle rules', {
        hint: 'use dbfork snapshot prune on file stores; --store takes s3://bucket/prefix or gs://bucket/prefix here',
      });
    const format = formatOf(flags.format, location.scheme);
    const policy = retentionPolicyFrom(flags, false);
    const settings: LifecycleSettings = {
      prefix: location.prefix,
      abortIncompleteDays: parseCount(flags.abortIncompleteAfter, '--abort-incomplete-after'),
      noncurrentDays: parseCount(flags.noncurrentAfter, '--noncurrent-after'),
      ...(flags.expireAfter === undefined ? {} : { expireDays: expiryDays(flags.expireAfter, policy) }),
    };
    const rules = format === 's3' ? s3LifecycleRules(settings) : gcsLifecycleRules(settings);
    const notes = lifecycleNotes(
      format,
      { url: normalizeStoreUrl(flags.store), bucket: location.bucket },
      policy,
      settings,
    );
    ctx.output.result({ format, bucket: location.bucket, prefix: location.prefix, rules, notes });
    ctx.output.line(JSON.stringify(rules, null, 2));
    if (!ctx.json) for (const note of notes) process.stderr.write(scrub(`# ${note}`) + '\n');
  });
}

function formatOf(flag: string | undefined, scheme: 's3' | 'gs'): 's3' | 'gcs' {
  if (flag === undefined) return scheme === 'gs' ? 'gcs' : 's3';
  if (flag === 's3' || flag === 'gcs') return flag;
  throw new UsageError('CONFIG_BAD_OPTION', `--format must be s3 or gcs, got ${flag}`);
}

/** `--expire-after`, refused below what the retention policy keeps (an age rule knows no snapshots). */
function expiryDays(text: string, policy: Parameters<typeof minimumExpiryDays>[0]): number {
  const days = parseCount(text, '--expire-after');
  const minimum = minimumExpiryDays(policy);
  if (minimum === null)
    throw new UsageError('CONFIG_BAD_OPTION', '--expire-after needs the retention policy it backs up', {
      hint: 'give the same --keep-* flags as snapshot prune, so that the age is checked against what they keep',
    });
  if (days < minimum)
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--expire-after ${days} would delete snapshots the retention policy keeps: at least ${minimum} days`,
      { hint: `use --expire-after ${minimum} or more, or leave the age rule out` },
    );
  return days;
}
