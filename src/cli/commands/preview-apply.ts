import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { planPreviewEvent } from '../../pipeline/preview/plan-preview-event.js';
import type { SeedSource } from '../../pipeline/preview/plan-preview-apply.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import { normalizeStoreUrl } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { addAnonymizerOptions, type AnonymizerFlags } from '../anonymization-options.js';
import { addConnectionOptions, connectionFrom } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import type { ProjectConfig } from '../../config/project-config.js';
import { previewSettings as projectPreviewSettings } from '../../config/preview-settings.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import { addLoadOptions, loadTuningFrom, storeOption, type LoadFlags } from '../option-groups.js';
import { anonymizationParam } from '../plan-anonymization.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import {
  addPreviewSettingsOptions,
  previewSettingsFrom,
  readEventFile,
  type PreviewSettingsFlags,
} from '../preview-options.js';
import { printDecision } from '../preview-report.js';
import { runPlan } from '../run-plan.js';

interface ApplyOptions extends PreviewSettingsFlags, GuardFlags, PlanFlags, LoadFlags, AnonymizerFlags {
  event: string;
  eventId?: string;
  targetUri?: string;
  targetUriEnv?: string;
  targetUriFile?: string;
  store?: string;
  snapshot?: string;
  rules?: string;
  seedDump?: string;
  seedCommand?: string;
  seedCwd?: string;
  exactCount?: boolean;
}

/**
 * `dbfork preview apply`: decide on a pull_request event against the target's live state, then carry
 * out the database actions as a plan (restore, seed, clone, drop, lock). Comments and label reverts
 * are printed (`--json`: in the result), for the workflow to post.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--event <file>', 'the pull_request webhook payload ($GITHUB_EVENT_PATH)')
    .option('--event-id <id>', 'the event id for comment markers (default: from the payload)');
  addConnectionOptions(command, 'target-uri', 'the server holding the PR databases', 'target')
    .addOption(storeOption())
    .option('--snapshot <name>', 'the snapshot name restores use (e.g. prod); #preview-config picks the id')
    .option(
      '--rules <file>',
      'anonymize snapshot restores with these rules (default: the snapshot must be anonymized)',
    )
    .option('--seed-dump <archive|dir>', 'seed data: a mongodump archive or dump folder, restored as it is')
    .option(
      '--seed-command <command>',
      'or seed data: a command (sh -c) run with MONGODB_URI set to the PR database',
    )
    .option('--seed-cwd <dir>', 'working folder of --seed-command')
    .option('--exact-count', 'verify restores with an exact count of every collection')
    .option('--dry-run', 'print the decision and the plan (with --json: the plan); write nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; write nothing else');
  addAnonymizerOptions(command);
  addLoadOptions(command);
  addGuardOptions(command);
  addPreviewSettingsOptions(command).action(async (options: ApplyOptions) => {
    const ctx = context();
    const settings = previewSettingsFrom(options, ctx.config);
    const target = connectionFrom(
      { value: options.targetUri, env: options.targetUriEnv, file: options.targetUriFile },
      '--target-uri',
      options.planOut !== undefined,
    );
    const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
    const guard = guardConfigFrom(options);
    const load = loadTuningFrom(options);
    const { decision, plan } = await planPreviewEvent({
      payload: await readEventFile(options.event),
      ...(options.eventId ? { eventId: options.eventId } : {}),
      uri,
      target: target.ref,
      settings,
      guard: {
        ephemeralPattern: options.ephemeralPattern,
        allowTargets: [...(guard.allowTargets ?? [])],
        protectedDbs: [...(guard.protectedDbs ?? [])],
        ...(guard.confirm === undefined ? {} : { confirm: guard.confirm }),
      },
      seed: seedOf(options, ctx.config),
      snapshot: options.snapshot ? { store: normalizeStoreUrl(options.store), name: options.snapshot } : null,
      anonymization: anonymizationParam({ ...options, anonymize: true }, false),
      load: {
        strictIndexes: load.strictIndexes,
        exactCount: Boolean(options.exactCount),
        parallelCollections: load.parallelCollections,
        insertWorkers: load.insertWorkers,
      },
    });
    if (planOnly(options)) {
      if (!ctx.json && options.dryRun) printDecision(ctx, decision);
      if (options.dryRun) await emitPlan(ctx, plan, { dryRun: true });
      if (options.planOut !== undefined && plan.guard?.allowed !== false)
        await emitPlan(ctx, plan, { planOut: options.planOut });
      if (plan.operations.length > 0)
        assertTargetAllowed(evaluateTargetGuard({ uri, db: decision.database }, guard), decision.database);
      return;
    }
    const result =
      plan.operations.length === 0
        ? null
        : await runPlan(ctx, plan, { args: target.args, confirm: true, allowCommands: true });
    ctx.output.result({ ...decision, plan: result });
    printDecision(ctx, decision);
    for (const op of result?.operations ?? [])
      ctx.output.line(`  ${op.id}: ${op.status}${op.reason ? ` (${op.reason})` : ''}`);
    if (result?.error) throw result.error;
  });
}

/** `--seed-dump` / `--seed-command`, else `preview.seed` of dbfork.yaml, else none. */
function seedOf(options: ApplyOptions, config?: ProjectConfig): SeedSource {
  if (options.seedDump !== undefined && options.seedCommand !== undefined) {
    throw new UsageError(
      'CONFIG_CONFLICTING_OPTIONS',
      'give one of --seed-dump and --seed-command, not both',
    );
  }
  if (options.seedDump !== undefined) return { dump: resolve(options.seedDump) };
  if (options.seedCommand !== undefined)
    return { command: options.seedCommand, ...(options.seedCwd ? { cwd: resolve(options.seedCwd) } : {}) };
  const fromFile = config ? projectPreviewSettings(config).seed : null;
  if (fromFile && 'dump' in fromFile) return { dump: fromFile.dump };
  if (fromFile) return { command: fromFile.command.map(shellQuote).join(' ') };
  return null;
}

/** One argument for `sh -c`, single-quoted. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
