import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prDatabaseName, previewSettings } from '../../config/preview-settings.js';
import { EXIT_FINDINGS } from '../../errors/error-codes.js';
import { PolicyError, UsageError } from '../../errors/index.js';
import { checkAccess, type AccessCheckReport } from '../../pipeline/access/check-access.js';
import { accessPlan, type AccessRole } from '../../policy/access-plan.js';
import { addConnectionOptions, plannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { parseCount } from '../option-groups.js';
import { table } from '../output.js';
import { secretResolver } from '../run-plan.js';

interface AccessCheckFlags {
  uri?: string;
  uriEnv?: string;
  uriFile?: string;
  fromStatus?: string;
  role: string;
  prodDb: string;
  snapshotDb?: string;
  pr?: string;
  prDb?: string;
  dbTemplate?: string;
}

/**
 * `dbfork access check`: compare what a connection may do (`connectionStatus {showPrivileges:
 * true}`, or a saved reply with `--from-status`) with the role's plan. Prints every privilege beyond
 * the plan and every one it lacks. Exit 8 (policy) when the connection can write a protected
 * database (production; for restores also the snapshot database), 1 when it is over- or
 * under-privileged otherwise, 0 when it matches.
 */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'uri', 'connection string to check', 'target')
    .option(
      '--from-status <file>',
      'check a saved connectionStatus {showPrivileges: true} reply (JSON) instead of connecting',
    )
    .requiredOption('--role <role>', 'producer, restore or cleanup')
    .requiredOption('--prod-db <db>', 'the production database')
    .option('--snapshot-db <db>', 'the snapshot database')
    .option('--pr <number>', 'the pull request (restore, cleanup)')
    .option('--pr-db <db>', 'or the PR database by name')
    .option(
      '--db-template <template>',
      'PR database name template (default: dbfork.yaml, else app_pr_{number})',
    )
    .action(async (flags: AccessCheckFlags) => {
      const ctx = context();
      const roles: readonly string[] = ['producer', 'restore', 'cleanup'];
      if (!roles.includes(flags.role))
        throw new UsageError(
          'ACCESS_BAD_REQUEST',
          `--role must be one of ${roles.join(', ')}, got ${flags.role}`,
        );
      const template = flags.dbTemplate ?? previewSettings(ctx.config).prTemplate;
      const prDb =
        flags.prDb ??
        (flags.pr === undefined ? undefined : prDatabaseName(template, parseCount(flags.pr, '--pr')));
      const plan = accessPlan({
        role: flags.role as AccessRole,
        prodDb: flags.prodDb,
        snapshotDb: flags.snapshotDb ?? '',
        ...(prDb ? { prDb } : {}),
      });
      const status = flags.fromStatus
        ? {
            kind: 'recorded' as const,
            reply: JSON.parse(readFileSync(flags.fromStatus, 'utf8')) as Record<string, unknown>,
          }
        : {
            kind: 'live' as const,
            uri: (
              await secretResolver(ctx, plannedConnection(flags, 'uri').args).resolve(
                plannedConnection(flags, 'uri').ref,
              )
            ).reveal(),
          };
      const report = await checkAccess(plan, status);
      ctx.output.result(report);
      print(ctx, report);
      if (report.writableProtected.length > 0)
        throw new PolicyError(
          'ACCESS_WRITES_PROTECTED',
          `the ${plan.role} connection can write protected database ${report.writableProtected.join(', ')}`,
          {
            hint: `grant only what \`dbfork access plan --role ${plan.role}\` prints`,
            subject: { rule: 'privileges' },
          },
        );
      if (report.extra.length > 0 || report.missing.length > 0) process.exitCode = EXIT_FINDINGS;
    });
}

function print(ctx: CommandContext, report: AccessCheckReport): void {
  if (report.privileges === 'undetermined') {
    ctx.output.line(
      'privileges undetermined: no authenticated user (auth disabled, or a server without roles)',
    );
    return;
  }
  ctx.output.line(`users: ${report.users.join(', ')}; roles: ${report.roles.join(', ') || '(none)'}`);
  const rows = [
    ...report.writableProtected.map((db) => ['CAN WRITE PROTECTED', db, 'write actions']),
    ...report.extra.map((f) => ['over-privileged', f.resource, f.actions.join(',')]),
    ...report.missing.map((f) => ['will fail (missing)', f.resource, f.actions.join(',')]),
  ];
  ctx.output.line(
    rows.length === 0
      ? `the connection matches the ${report.role} plan`
      : table(['finding', 'resource', 'actions'], rows),
  );
}
