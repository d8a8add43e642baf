import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { planBackupRun } from '../../pipeline/backup/backup-run-plan.js';
import type { BackupRunResult } from '../../pipeline/backup/run-backup.js';
import { recipientRequired } from '../../pipeline/backup/run-backup.js';
import type { BackupRunParams } from '../../pipeline/operations/backup-run-operation.js';
import { previewCapture } from '../../pipeline/preview-capture.js';
import { toJsonValue } from '../../pipeline/json-value.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import { normalizeStoreUrl } from '../../store/open-snapshot-store.js';
import { addConnectionOptions, plannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { addRecipientOption, collect, parseCount, parseRecipients, storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { emitPlan, type PlanFlags } from '../plan-output.js';
import { formatBytes } from '../progress-view.js';
import { runPlan } from '../run-plan.js';

interface BackupRunOptions extends PlanFlags {
  uri?: string;
  uriEnv?: string;
  uriFile?: string;
  db?: string;
  allDatabases?: boolean;
  name?: string;
  store?: string;
  recipient: string[];
  gzip?: boolean;
  include: string[];
  exclude: string[];
  retries: string;
}

/** The default name of a whole-server backup. */
const ALL_DATABASES_NAME = 'all-databases';

/**
 * `dbfork backup run`: an encrypted raw backup of a database or of the whole server, with its
 * `latest` and `daily/<date>` markers, retried on transient errors; exit code by fault (cron).
 */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'uri', 'source connection string', 'source')
    .option('--db <db>', 'database to back up')
    .option(
      '--all-databases',
      'back up every database of the server (and its users and roles, where exposed)',
    )
    .option('--name <name>', `backup name (default: the database name, or ${ALL_DATABASES_NAME})`)
    .addOption(storeOption('backup store URL'))
    .option('--gzip', 'gzip the archive before encrypting it')
    .option('--include <glob>', 'namespace glob to include, repeatable (db.coll, *.coll*)', collect, [])
    .option('--exclude <glob>', 'namespace glob to exclude, repeatable', collect, [])
    .option('--retries <n>', 'retries after the first attempt, on transient errors', '2')
    .option('--dry-run', 'print the plan and what would be backed up (with --json: the plan); write nothing');
  addRecipientOption(command).action(async (options: BackupRunOptions) => {
    const ctx = context();
    const params = backupParams(options);
    const source = plannedConnection(options, 'uri');
    const run = { ...params, source: source.ref };
    if (options.dryRun) {
      const uri = (await createSecretResolver({ args: source.args }).resolve(source.ref)).reveal();
      const rows = run.db
        ? await previewCapture(uri, run.db, {
            include: run.include,
            exclude: run.exclude,
            readPreference: 'secondaryPreferred',
          })
        : null;
      await emitPlan(ctx, planBackupRun(run, rows ? { preview: toJsonValue({ collections: rows }) } : {}), {
        dryRun: true,
      });
      ctx.output.line(`dry run: would back up into ${run.name} in ${run.store}; nothing written`);
      if (rows) {
        ctx.output.line(
          table(
            ['namespace', 'type', 'action', 'documents (est.)'],
            rows.map((r) => [r.namespace, r.type, r.action, r.estimatedDocuments ?? '-']),
          ),
        );
      }
      return;
    }
    const result = await runPlan(ctx, planBackupRun(run), { args: source.args, confirm: true });
    if (result.error) {
      ctx.logger.error(
        {
          backup: run.name,
          store: run.store,
          code: result.error.code,
          attempts: result.operations[0]?.attempts,
        },
        'backup failed',
      );
      throw result.error;
    }
    const done = result.operations[0]?.output as BackupRunResult;
    const m = done.manifest;
    ctx.logger.info(
      {
        snapshot: done.snapshot,
        store: run.store,
        databases: m.databases ?? [m.source.db],
        collections: m.collections.length,
        sizeBytes: m.sizeBytes,
        durationMs: m.durationMs,
        attempts: done.attempts,
        daily: done.daily.date,
      },
      'backup complete',
    );
    ctx.output.result(done);
    ctx.output.line(
      `backup ${done.snapshot} complete in ${m.durationMs} ms (${formatBytes(m.sizeBytes)}, encrypted) at ${run.store}; latest and daily/${done.daily.date} point at it`,
    );
    for (const s of m.skipped ?? []) ctx.output.line(`skipped ${s.namespace}: ${s.reason}`);
  });
}

/** The operation's parameters from the flags (the source is added by the caller). */
function backupParams(options: BackupRunOptions): Omit<BackupRunParams, 'source'> {
  if (Boolean(options.allDatabases) === (options.db !== undefined)) {
    throw new UsageError(
      'CONFIG_CONFLICTING_OPTIONS',
      'backup run needs exactly one of --db and --all-databases',
      {
        hint: 'e.g. --db shop, or --all-databases for every database of the server',
      },
    );
  }
  if (options.recipient.length === 0) throw recipientRequired();
  return {
    db: options.db ?? null,
    allDatabases: Boolean(options.allDatabases),
    name: options.name ?? options.db ?? ALL_DATABASES_NAME,
    store: normalizeStoreUrl(options.store),
    recipients: parseRecipients(options.recipient),
    gzip: Boolean(options.gzip),
    include: options.include,
    exclude: options.exclude,
    retries: parseCount(options.retries, '--retries', 0),
  };
}
