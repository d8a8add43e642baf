import type { Command } from 'commander';
import type { ProjectConfig } from '../config/project-config.js';
import { registerSecret } from '../core/redact.js';
import { AUDITED_COMMANDS } from './audited-commands.js';
import { auditSubject } from './audit-subject.js';
import { AuditTrail } from './audit-trail.js';
import type { CommandContext } from './context.js';
import { beforeInterruptExit } from './interrupts.js';
import { notifyRun } from './notify-run.js';
import { collect } from './option-groups.js';
import type { RunLifecycle } from './run-lifecycle.js';

interface ObservedFlags {
  auditLog?: string;
  notify: string[];
  dryRun?: boolean;
  planOut?: string;
}

/**
 * The one wrapper around an audited command's execution (see {@link AUDITED_COMMANDS}): adds
 * `--audit-log <file>` and `--notify <url>` to it; just before its action runs (after parsing and
 * dbfork.yaml), writes the audit trail's `started` record, and registers on `lifecycle` the end
 * record and the notifications, which `runCli` (or an interrupt) triggers once the run ends. A dry
 * run or `--plan-out` does nothing, writes no record and sends nothing. Other commands are left as
 * they are.
 */
export function observeRun(
  program: Command,
  command: Command,
  lifecycle: RunLifecycle,
  context: () => CommandContext,
  config: ProjectConfig | undefined,
): void {
  const words = commandWords(command);
  const spec = AUDITED_COMMANDS[words];
  if (spec === undefined) return;
  command
    .option('--audit-log <file>', 'also append the audit records of this run to this JSON-lines file')
    .option(
      '--notify <url>',
      'post a completion or failure message to this webhook (repeatable; slack+https://… or hooks.slack.com: Slack shape; else plain JSON; default notify of dbfork.yaml)',
      collect,
      [],
    );
  program.hook('preAction', async (_program, action) => {
    if (action !== command) return;
    const flags = action.opts<ObservedFlags>();
    if (flags.dryRun || flags.planOut !== undefined) return;
    const ctx = context();
    const hasStore = action.options.some((o) => o.long === '--store');
    const subject = await auditSubject(words, spec, action.opts(), action.args, hasStore);
    const trail = new AuditTrail(subject, {
      logger: ctx.logger,
      ...(flags.auditLog === undefined ? {} : { file: flags.auditLog }),
    });
    await trail.start();
    const started = Date.now();
    const urls = flags.notify.length > 0 ? flags.notify : (config?.texts(['notify']) ?? []);
    for (const url of urls) registerSecret(url);
    lifecycle.onFinish(async (end) => {
      const figures = lifecycle.figures;
      const { rulesDigest, anonymized, ...notes } = lifecycle.notes;
      await trail.end(
        end,
        { ...notes, ...(figures ? { documents: figures.documents, bytes: figures.bytes } : {}) },
        {
          ...(typeof rulesDigest === 'string' ? { rulesDigest } : {}),
          ...(typeof anonymized === 'boolean' ? { anonymized } : {}),
        },
      );
      await notifyRun(ctx.logger, urls, {
        command: words,
        outcome: end.outcome,
        durationMs: Date.now() - started,
        source: subject.source,
        target: subject.target,
        actor: trail.actor,
        runId: trail.runId,
        ...(figures ? { figures } : {}),
        ...(end.error ? { error: { code: end.error.code, message: end.error.message } } : {}),
      });
    });
    beforeInterruptExit(() => lifecycle.finish({ outcome: 'interrupted' }));
  });
}

/** `snapshot create` for the `create` command under `snapshot`. */
function commandWords(command: Command): string {
  const words: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}
