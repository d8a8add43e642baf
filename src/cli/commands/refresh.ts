import type { Command } from 'commander';
import type { ReadPreference } from '../../source/snapshot-source.js';
import { UsageError } from '../../errors/index.js';
import { refresh } from '../../pipeline/refresh.js';
import { MongoDbSource } from '../../mongodb/mongodb-source.js';
import { defaultStoreUrl, openSnapshotStore } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { stripUriCredentials } from '../../core/redact.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  requireAnonymizationChoice,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import type { CommandContext } from '../context.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import { table } from '../output.js';
import { parseCount } from '../parse-count.js';
import { progressView } from '../progress-view.js';
import { printRestoreResult } from '../restore-report.js';

interface RefreshCliOptions extends AnonymizationFlags, GuardFlags {
  from: string;
  db: string;
  to: string;
  targetDb: string;
  store?: string;
  direct?: boolean;
  name?: string;
  format: string;
  gzip?: boolean;
  include: string[];
  exclude: string[];
  readPreference: string;
  strictIndexes?: boolean;
  parallelCollections: string;
  insertWorkers: string;
  dryRun?: boolean;
  requireSameKey?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `dbfork refresh`: production → (anonymize) → snapshot store → staging, in one command. */
export function registerRefresh(program: Command, context: () => CommandContext): void {
  const command = program
    .command('refresh')
    .description(
      'capture production (anonymized), store the snapshot and restore it into a target, in one command',
    )
    .requiredOption('--from <mongodb-uri>', 'production (source) connection string')
    .requiredOption('--db <prod-db>', 'production database')
    .requiredOption('--to <mongodb-uri>', 'target connection string')
    .requiredOption('--target-db <db>', 'target database (e.g. app_pr_123)')
    .option('--store <url>', `keep the snapshot in this store (default ${defaultStoreUrl()})`)
    .option('--direct', 'stream straight from source to target; keep no snapshot')
    .option('--name <name>', 'snapshot name (default: the source database name)')
    .option('--format <format>', 'snapshot format: archive or directory', 'archive')
    .option('--gzip', 'gzip the snapshot')
    .option('--include <glob>', 'namespace glob to include, repeatable', collect, [])
    .option('--exclude <glob>', 'namespace glob to exclude, repeatable', collect, [])
    .option('--read-preference <mode>', 'source read preference', 'secondaryPreferred')
    .option('--strict-indexes', 'fail when the target refuses an index (default: warn)')
    .option('--parallel-collections <n>', 'collections restored at once', '4')
    .option('--insert-workers <n>', 'insert batches in flight at once', '4')
    .option('--require-same-key', 'refuse when the target holds data anonymized with another key')
    .option('--dry-run', 'check the guard and show what would be copied; read no document, write nothing');
  addGuardOptions(command);
  addAnonymizationOptions(command, 'copy').action(async (options: RefreshCliOptions) => {
    const ctx = context();
    if (options.direct && options.store !== undefined) {
      throw new UsageError('CONFIG_CONFLICTING_OPTIONS', '--direct and --store contradict each other', {
        hint: '--direct keeps no snapshot; drop one of them',
      });
    }
    if (!['archive', 'directory'].includes(options.format)) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `--format must be archive or directory, got ${options.format}`,
      );
    }
    const anonymization = requireAnonymizationChoice(await resolveAnonymization(options, ctx.logger));
    const guardConfig = guardConfigFrom(options);
    if (options.dryRun) return dryRun(ctx, options, guardConfig);
    const view = progressView(ctx);
    let result;
    try {
      result = await refresh({
        from: options.from,
        db: options.db,
        to: options.to,
        targetDb: options.targetDb,
        anonymization: anonymization.kind === 'rules' ? { rules: anonymization.anonymizer } : { none: true },
        via: options.direct
          ? { direct: true }
          : {
              store: await openSnapshotStore(options.store),
              ...(options.name ? { name: options.name } : {}),
              format: options.format as 'archive' | 'directory',
              gzip: Boolean(options.gzip),
            },
        guardConfig,
        include: options.include,
        exclude: options.exclude,
        readPreference: options.readPreference as ReadPreference,
        strictIndexes: Boolean(options.strictIndexes),
        parallelCollections: parseCount(options.parallelCollections, '--parallel-collections'),
        insertWorkers: parseCount(options.insertWorkers, '--insert-workers'),
        requireSameKey: Boolean(options.requireSameKey),
        onWarning: (message) => ctx.logger.warn(message),
        onProgress: view.listener,
      });
    } finally {
      view.stop();
    }
    if (result.snapshot) {
      ctx.output.line(
        `snapshot ${result.snapshot.name}@${result.snapshot.id} (anonymized: ${result.snapshot.anonymized ? 'yes' : 'NO'})`,
      );
    }
    printRestoreResult(ctx, result.restore);
    if (result.restore.error) throw result.restore.error;
  });
}

async function dryRun(
  ctx: CommandContext,
  options: RefreshCliOptions,
  guardConfig: ReturnType<typeof guardConfigFrom>,
): Promise<void> {
  const verdict = evaluateTargetGuard(
    { uri: options.to, db: options.targetDb },
    { ...guardConfig, source: { uri: stripUriCredentials(options.from), db: options.db } },
  );
  ctx.output.line(
    `dry run: refresh ${options.db} → ${options.targetDb}${options.direct ? ' (direct)' : ''}; nothing read or written`,
  );
  ctx.output.line(
    `guard: ${verdict.allowed ? 'allowed' : 'REFUSED'} (rule ${verdict.rule}): ${verdict.reason}`,
  );
  if (!verdict.allowed) {
    ctx.output.result({ dryRun: true, guard: verdict, collections: [] });
    assertTargetAllowed(verdict, options.targetDb);
  }
  const source = await MongoDbSource.connect(options.from, {
    readPreference: options.readPreference as ReadPreference,
  });
  try {
    const rows = await source.list(options.db, {
      include: options.include,
      exclude: options.exclude,
    });
    ctx.output.result({ dryRun: true, guard: verdict, collections: rows });
    ctx.output.line(
      table(
        ['namespace', 'type', 'action', 'documents (est.)'],
        rows.map((r) => [r.namespace, r.type, r.action, r.estimatedDocuments ?? '-']),
      ),
    );
  } finally {
    await source.close();
  }
}
