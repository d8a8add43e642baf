import type { Command } from 'commander';
import { getPull } from '../../pipeline/preview/github-pulls.js';
import { planPreviewDrops, type PreviewDrop } from '../../pipeline/preview/plan-preview-drops.js';
import { listPreviewDatabases } from '../../pipeline/preview/read-preview-state.js';
import { withPreviewDatabases } from '../../pipeline/preview/with-preview-databases.js';
import { pullRequestOfDatabase } from '../../preview/database-name.js';
import { addConnectionOptions } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import type { GuardFlags } from '../guard-options.js';
import { collect } from '../option-groups.js';
import { DEFAULT_EPHEMERAL_PATTERN } from '../../target/guard/target-guard.js';
import { table } from '../output.js';
import { emitPlan, type PlanFlags } from '../plan-output.js';
import {
  addPreviewSettingsOptions,
  previewSettingsFrom,
  type PreviewSettingsFlags,
} from '../preview-options.js';
import { previewTarget, type TargetUriFlags } from '../preview-target.js';
import { runPlan } from '../run-plan.js';

interface GcOptions extends PreviewSettingsFlags, Omit<GuardFlags, 'confirm'>, PlanFlags, TargetUriFlags {
  repo: string;
  githubApiUrl?: string;
  confirm?: boolean;
}

interface Row {
  readonly db: string;
  readonly pr: number;
  readonly state: string;
  readonly locked: boolean;
  readonly action: 'drop' | 'keep';
  readonly why: string;
}

/**
 * `dbfork preview gc --repo owner/name`: list the PR databases on the target, ask GitHub for each
 * pull request, and drop those whose pull request is closed and that are not locked (neither the
 * lock record nor the `persist-db` label), behind `--confirm`, as a plan. Token: `GITHUB_TOKEN`.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--repo <owner/name>', 'the GitHub repository of the pull requests')
    .option(
      '--github-api-url <url>',
      'GitHub REST API root',
      process.env.GITHUB_API_URL ?? 'https://api.github.com',
    );
  addConnectionOptions(command, 'target-uri', 'the server holding the PR databases', 'target')
    .option('--confirm', 'drop them (without it: list and plan only)')
    .option('--dry-run', 'print the plan (with --json: the plan); drop nothing')
    .option(
      '--protect-db <name>',
      'a production or snapshot db name that is never dropped (repeatable)',
      collect,
      [],
    )
    .option('--ephemeral-pattern <regex>', 'PR database names must match it', DEFAULT_EPHEMERAL_PATTERN);
  addPreviewSettingsOptions(command).action(async (options: GcOptions) => {
    const ctx = context();
    const settings = previewSettingsFrom(options, ctx.config);
    const { target, uri, guard } = await previewTarget({ ...options, allowTarget: [], confirm: undefined });
    const rows = await withPreviewDatabases(uri, async (dbs) => {
      const prDatabases = await listPreviewDatabases(dbs, settings);
      const out: Row[] = [];
      for (const db of prDatabases) {
        const pr = pullRequestOfDatabase(settings, db) ?? 0;
        const [records, pull] = await Promise.all([
          dbs.records(db),
          getPull(options.repo, pr, { apiUrl: options.githubApiUrl, token: process.env.GITHUB_TOKEN }),
        ]);
        const locked = records.lock !== null || Boolean(pull?.labels.includes(settings.labels.persistDb));
        const state = pull?.state ?? 'unknown';
        const drop = pull?.state === 'closed' && !locked;
        const why = drop
          ? 'pull request closed, not locked'
          : locked
            ? 'locked'
            : pull
              ? 'pull request open'
              : 'no such pull request (kept: not dbfork’s to judge)';
        out.push({ db, pr, state, locked, action: drop ? 'drop' : 'keep', why });
      }
      return out;
    });
    const drops: PreviewDrop[] = rows
      .filter((r) => r.action === 'drop')
      .map((r) => ({ db: r.db, pr: r.pr, reason: r.why }));
    const plan = planPreviewDrops('preview gc', drops, target.ref, guard);
    const run = Boolean(options.confirm) && !options.dryRun;
    if (!run) await emitPlan(ctx, plan, { dryRun: true });
    else {
      const result = await runPlan(ctx, plan, { args: target.args, confirm: true });
      if (result.error) throw result.error;
    }
    ctx.output.result({ dryRun: !run, databases: rows });
    const verb = run ? 'dropped' : 'would drop';
    ctx.output.line(
      table(
        ['database', 'pr', 'state', 'locked', 'action', 'why'],
        rows.map((r) => [
          r.db,
          r.pr,
          r.state,
          r.locked ? 'yes' : 'no',
          r.action === 'drop' ? verb : 'keep',
          r.why,
        ]),
      ),
    );
    ctx.output.line(
      `${verb} ${drops.length}, kept ${rows.length - drops.length}${run ? '' : ' (add --confirm to drop)'}`,
    );
  });
}
