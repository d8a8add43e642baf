import type { Command } from 'commander';
import { planPreviewLock } from '../../pipeline/preview/plan-preview-lock.js';
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

interface LockOptions extends PreviewSettingsFlags, GuardFlags, PlanFlags, TargetUriFlags {
  pr: string;
  unlock?: boolean;
}

/**
 * `dbfork preview lock --pr <n> [--unlock]`: make a PR database's lock record match the `persist-db`
 * label, for runs that have no event (the Kubernetes Jobs of `dbfork preview manifests`): write it, or
 * with `--unlock` remove it. Every destructive path (`preview cleanup`, `gc`, `apply`) refuses a
 * database that holds it.
 */
export function define(command: Command, context: () => CommandContext): void {
  command.requiredOption('--pr <n>', 'the pull request number').option('--unlock', 'remove the lock record');
  addConnectionOptions(command, 'target-uri', 'the server holding the PR database', 'target').option(
    '--dry-run',
    'print the plan (with --json: the plan); change nothing',
  );
  addGuardOptions(command);
  addPreviewSettingsOptions(command).action(async (options: LockOptions) => {
    const ctx = context();
    const settings = previewSettingsFrom(options, ctx.config);
    const pr = parseCount(options.pr, '--pr');
    const db = previewDatabaseName(settings, pr);
    const { target, guard } = await previewTarget(options);
    const state = options.unlock ? 'unlock' : 'lock';
    const plan = planPreviewLock({ db, pr, label: settings.labels.persistDb, state }, target.ref, guard);
    if (options.dryRun) return emitPlan(ctx, plan, { dryRun: true });
    const result = await runPlan(ctx, plan, { args: target.args, confirm: true });
    if (result.error) throw result.error;
    ctx.output.result({ database: db, locked: state === 'lock' });
    ctx.output.line(`${state === 'lock' ? 'locked' : 'unlocked'} ${db}`);
  });
}
