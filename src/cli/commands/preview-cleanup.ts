import type { Command } from 'commander';
import { planPreviewDrops } from '../../pipeline/preview/plan-preview-drops.js';
import { withPreviewDatabases } from '../../pipeline/preview/with-preview-databases.js';
import { previewDatabaseName } from '../../preview/database-name.js';
import { addConnectionOptions } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { addGuardOptions, type GuardFlags } from '../guard-options.js';
import { parseCount } from '../option-groups.js';
import { emitPlan, type PlanFlags } from '../plan-output.js';
import {
  addPreviewSettingsOptions,
  previewSettingsFrom,
  type PreviewSettingsFlags,
} from '../preview-options.js';
import { previewTarget, type TargetUriFlags } from '../preview-target.js';
import { runPlan } from '../run-plan.js';

interface CleanupOptions extends PreviewSettingsFlags, GuardFlags, PlanFlags, TargetUriFlags {
  pr: string;
  ifUnlocked?: boolean;
}

/**
 * `dbfork preview cleanup --pr <n>`: drop a PR database (the Argo CD PreDelete Job runs it). A locked
 * database (its lock record) is refused: exit 8 `PREVIEW_DATABASE_LOCKED`, or with `--if-unlocked`
 * kept and reported, exit 0, so the hook does not block the application's deletion.
 */
export function define(command: Command, context: () => CommandContext): void {
  command.requiredOption('--pr <n>', 'the pull request number');
  addConnectionOptions(command, 'target-uri', 'the server holding the PR database', 'target')
    .option('--if-unlocked', 'a locked database is kept and the command succeeds (for a PreDelete hook)')
    .option('--dry-run', 'print the plan (with --json: the plan); drop nothing');
  addGuardOptions(command);
  addPreviewSettingsOptions(command).action(async (options: CleanupOptions) => {
    const ctx = context();
    const settings = previewSettingsFrom(options, ctx.config);
    const pr = parseCount(options.pr, '--pr');
    const db = previewDatabaseName(settings, pr);
    const { target, uri, guard } = await previewTarget(options);
    const records = await withPreviewDatabases(uri, (dbs) => dbs.records(db));
    if (records.lock && options.ifUnlocked) {
      ctx.output.result({
        database: db,
        dropped: false,
        locked: true,
        lock: { pr: records.lock.pr, label: records.lock.label },
      });
      ctx.output.line(`kept ${db}: locked by ${records.lock.label} on PR #${records.lock.pr}`);
      return;
    }
    const reason = `cleanup of PR #${pr}`;
    const plan = planPreviewDrops(
      'preview cleanup',
      records.exists ? [{ db, pr, reason }] : [],
      target.ref,
      guard,
    );
    if (options.dryRun) return emitPlan(ctx, plan, { dryRun: true });
    const result = await runPlan(ctx, plan, { args: target.args, confirm: true });
    if (result.error) throw result.error;
    ctx.output.result({ database: db, dropped: records.exists, locked: false });
    ctx.output.line(records.exists ? `dropped ${db}` : `${db} does not exist: nothing to drop`);
  });
}
