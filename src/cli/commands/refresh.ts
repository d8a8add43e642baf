import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { checkPreviewClassification } from '../../pipeline/check-preview-classification.js';
import { refresh, refreshDryRun } from '../../pipeline/refresh.js';
import type { StreamTransform } from '../../pipeline/stream-transform.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  requireAnonymizationChoice,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import { addConnectionOptions, plannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { lastFillsFrom } from '../project-options.js';
import { restoreFigures } from '../run-figures.js';
import { restoredFacts } from '../restore-report.js';
import { withRunMetrics } from '../run-metrics.js';
import { secretResolver } from '../run-plan.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import {
  addLoadOptions,
  addMetricsOptions,
  addReadPreferenceOption,
  collect,
  loadTuningFrom,
  parseFormat,
  parseReadPreference,
  type LoadFlags,
  type MetricsFlags,
  storeOption,
} from '../option-groups.js';
import { table } from '../output.js';
import { addSubsetOptions, subsetParam, type SubsetFlags } from '../subset-options.js';
import { subsetRequest } from '../../pipeline/operations/snapshot-capture-operation.js';
import { progressView } from '../progress-view.js';
import { printRestoreResult } from '../restore-report.js';

interface RefreshCliOptions extends AnonymizationFlags, GuardFlags, LoadFlags, MetricsFlags, SubsetFlags {
  db: string;
  targetDb: string;
  store?: string;
  direct?: boolean;
  name?: string;
  format: string;
  gzip?: boolean;
  include: string[];
  exclude: string[];
  readPreference: string;
  dryRun?: boolean;
}

/** `dbfork refresh`: production → (anonymize) → snapshot store → staging, in one command. */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'from', 'production (source) connection string', 'source').requiredOption(
    '--db <prod-db>',
    'production database (default: source.db of dbfork.yaml)',
  );
  lastFillsFrom(command, { kind: 'source-db' });
  addConnectionOptions(command, 'to', 'target connection string', 'target')
    .requiredOption('--target-db <db>', 'target database (e.g. app_pr_123)')
    .addOption(storeOption('keep the snapshot in this store'))
    .option('--direct', 'stream straight from source to target; keep no snapshot')
    .option('--name <name>', 'snapshot name (default: the source database name)')
    .option('--format <format>', 'snapshot format: archive or directory', 'archive')
    .option('--gzip', 'gzip the snapshot')
    .option('--include <glob>', 'namespace glob to include, repeatable', collect, [])
    .option('--exclude <glob>', 'namespace glob to exclude, repeatable', collect, [])
    .option('--dry-run', 'check the guard and show what would be copied; read no document, write nothing');
  addReadPreferenceOption(command);
  addLoadOptions(command);
  addGuardOptions(command);
  addMetricsOptions(command);
  addSubsetOptions(command);
  addAnonymizationOptions(command, 'copy').action(async (options: RefreshCliOptions) => {
    const ctx = context();
    await withRunMetrics(ctx, options, { command: 'refresh', database: options.db }, async (metrics) => {
      if (options.direct && options.store !== undefined) {
        throw new UsageError('CONFIG_CONFLICTING_OPTIONS', '--direct and --store contradict each other', {
          hint: '--direct keeps no snapshot; drop one of them',
        });
      }
      const format = parseFormat(options.format);
      const from = plannedConnection(options, 'from');
      const to = plannedConnection(options, 'to');
      const secrets = secretResolver(ctx, { ...from.args, ...to.args });
      const selection = {
        from: (await secrets.resolve(from.ref)).reveal(),
        db: options.db,
        to: (await secrets.resolve(to.ref)).reveal(),
        targetDb: options.targetDb,
        guardConfig: guardConfigFrom(options),
        include: options.include,
        exclude: options.exclude,
        readPreference: parseReadPreference(options.readPreference),
      };
      const tuning = loadTuningFrom(options);
      const subsetParams = await subsetParam(options);
      const anonymization = requireAnonymizationChoice(await resolveAnonymization(options, ctx.logger));
      if (options.dryRun && subsetParams)
        ctx.output.line(
          '--subset: the documents are selected when the refresh runs; the preview counts whole collections',
        );
      if (options.dryRun)
        return dryRun(
          ctx,
          selection,
          Boolean(options.direct),
          anonymization.kind === 'rules' ? anonymization.anonymizer : undefined,
        );
      const view = progressView(ctx);
      let result;
      try {
        result = await refresh({
          ...selection,
          ...tuning,
          ...(subsetParams ? { subset: subsetRequest(subsetParams) } : {}),
          anonymization:
            anonymization.kind === 'rules' ? { rules: anonymization.anonymizer } : { none: true },
          via: options.direct
            ? { direct: true }
            : {
                store: await openSnapshotStore(options.store),
                ...(options.name ? { name: options.name } : {}),
                format,
                gzip: Boolean(options.gzip),
              },
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
      metrics.figures(restoreFigures(result.restore));
      ctx.lifecycle?.note({
        ...(result.snapshot ? { snapshot: `${result.snapshot.name}@${result.snapshot.id}` } : {}),
        ...restoredFacts(result.restore),
      });
      printRestoreResult(ctx, result.restore);
      if (result.restore.error) throw result.restore.error;
    });
  });
}

async function dryRun(
  ctx: CommandContext,
  selection: Parameters<typeof refreshDryRun>[0],
  direct: boolean,
  anonymizer: StreamTransform | undefined,
): Promise<void> {
  const dry = await refreshDryRun(selection);
  const { guard } = dry;
  ctx.output.line(
    `dry run: refresh ${selection.db} → ${selection.targetDb}${direct ? ' (direct)' : ''}; nothing read or written`,
  );
  ctx.output.line(`guard: ${guard.allowed ? 'allowed' : 'REFUSED'} (rule ${guard.rule}): ${guard.reason}`);
  ctx.output.result({ dryRun: true, ...dry });
  assertTargetAllowed(guard, selection.targetDb);
  ctx.output.line(
    table(
      ['namespace', 'type', 'action', 'documents (est.)'],
      dry.collections.map((r) => [r.namespace, r.type, r.action, r.estimatedDocuments ?? '-']),
    ),
  );
  if (anonymizer) checkPreviewClassification(anonymizer, selection.db, dry.collections);
}
