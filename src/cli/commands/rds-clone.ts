import type { Command } from 'commander';
import { defaultRegion, openRdsApi } from '../../aws/open-rds-api.js';
import { PolicyError, UsageError } from '../../errors/index.js';
import { parseDuration } from '../../core/duration.js';
import { planRdsCloneLive } from '../../pipeline/plan-rds-clone-live.js';
import { assertInstanceId } from '../../rds/clone-names.js';
import type { RdsConnection } from '../../rds/clone-steps.js';
import { iamPolicyOf } from '../../rds/iam-policy.js';
import { DEFAULT_PRODUCTION_TAG } from '../../rds/infra-guard.js';
import type { CommandContext } from '../context.js';
import { collect, parseCount } from '../option-groups.js';
import { emitPlan, planOnly, printPlanResult, type PlanFlags } from '../plan-output.js';
import { runPlan } from '../run-plan.js';
import { flightPlanLines } from '../flight-plan.js';

interface RdsCloneFlags extends PlanFlags {
  source: string;
  target: string;
  restart?: string;
  restoreSnapshot?: boolean;
  iamPolicy?: boolean;
  region?: string;
  roleArn?: string;
  mfaSerial?: string;
  sessionDuration?: string;
  pollInterval: string;
  timeout: string;
  keepOld?: boolean;
  confirm?: string;
  anonymize: boolean;
  productionTag: string;
  protectId: string[];
}

/** Default protected id patterns: ids that look like production are never a target. */
const DEFAULT_PROTECTED = ['*prod*'];

/**
 * `dbfork rds clone`: replace the RDS replication tree of `--target` with a copy of `--source`
 * (docs/rds.md). Plans from live state, then runs the plan; `--dry-run`, `--plan-out` and
 * `--iam-policy` only plan.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--source <id>', 'the DB instance to copy (read only)')
    .requiredOption('--target <id>', 'the root of the replication tree to replace')
    .option('--confirm <target-id>', 'the target id again: required to replace it')
    .option(
      '--no-anonymize',
      'accept a raw storage-level copy of the source data (required: RDS copies cannot be anonymized)',
    )
    .option(
      '--restart <cmd>',
      'shell command run after the swap, before old-* is deleted (non-zero: stop, keep old-*)',
    )
    .option(
      '--restore-snapshot',
      "restore the copy from the source's latest snapshot instead of a read replica",
    )
    .option('--keep-old', 'keep the old-* tree after a successful swap')
    .option(
      '--poll-interval <duration>',
      'first pause between looks while a step settles (doubles up to 4x)',
      '30s',
    )
    .option('--timeout <duration>', 'deadline per step', '2h')
    .option('--region <region>', 'AWS region (default: the SDK chain: $AWS_REGION, profile)')
    .option('--role-arn <arn>', 'assume this role with STS for the run')
    .option('--mfa-serial <arn>', 'MFA device for --role-arn (code from $DBFORK_MFA_CODE or a prompt)')
    .option('--session-duration <seconds>', 'STS session length in seconds (900-43200)', '3600')
    .option('--production-tag <key=value>', 'a target instance tagged so is refused', DEFAULT_PRODUCTION_TAG)
    .option(
      '--protect-id <glob>',
      `protected id pattern (repeatable; replaces the default ${DEFAULT_PROTECTED.join(', ')})`,
      collect,
      [],
    )
    .option('--iam-policy', 'print the least-privilege IAM policy for this plan; change nothing')
    .option('--dry-run', 'print the flight plan (with --json: the plan); change nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; change nothing')
    .action(async (flags: RdsCloneFlags) => {
      const ctx = context();
      assertInstanceId(flags.source, '--source');
      assertInstanceId(flags.target, '--target');
      if (flags.mfaSerial && !flags.roleArn)
        throw new UsageError('CONFIG_BAD_OPTION', '--mfa-serial needs --role-arn', {
          hint: 'name the role to assume with --role-arn',
        });
      const connection = await connectionOf(flags);
      const api = await openRdsApi(connection);
      const plan = await planRdsCloneLive(api, {
        connection,
        guard: {
          source: flags.source,
          target: flags.target,
          productionTag: flags.productionTag,
          protectedIds: flags.protectId.length > 0 ? flags.protectId : DEFAULT_PROTECTED,
          ...(flags.confirm === undefined ? {} : { confirm: flags.confirm }),
          rawCopyAccepted: !flags.anonymize,
        },
        restoreSnapshot: Boolean(flags.restoreSnapshot),
        ...(flags.restart === undefined ? {} : { restart: flags.restart }),
        keepOld: Boolean(flags.keepOld),
        pollIntervalMs: parseDuration(flags.pollInterval, '--poll-interval'),
        timeoutMs: parseDuration(flags.timeout, '--timeout'),
      });
      if (flags.iamPolicy) {
        const policy = iamPolicyOf(plan);
        if (ctx.json) ctx.output.document(policy);
        else ctx.output.line(JSON.stringify(policy, null, 2));
        return;
      }
      if (planOnly(flags)) {
        if (flags.dryRun && !ctx.json) {
          for (const line of flightPlanLines(plan)) ctx.output.line(line);
          if (flags.planOut && plan.guard?.allowed) await emitPlan(ctx, plan, { planOut: flags.planOut });
        } else if (!(flags.planOut && plan.guard && !plan.guard.allowed)) await emitPlan(ctx, plan, flags);
        if (plan.guard && !plan.guard.allowed) throw refusal(plan.guard);
        return;
      }
      if (plan.guard && !plan.guard.allowed) throw refusal(plan.guard);
      const result = await runPlan(ctx, plan, { confirm: true, allowCommands: true });
      printPlanResult(ctx, result);
    });
}

/** `--session-duration`: whole seconds, 900 to 43200 (STS's bounds). */
function sessionSeconds(text: string): number {
  const seconds = parseCount(text, '--session-duration', 900);
  if (seconds > 43_200)
    throw new UsageError('CONFIG_BAD_OPTION', `--session-duration takes at most 43200 seconds, got ${text}`);
  return seconds;
}

async function connectionOf(flags: RdsCloneFlags): Promise<RdsConnection> {
  const region = flags.region ?? (await defaultRegion());
  if (!region)
    throw new UsageError('CONFIG_BAD_OPTION', 'no AWS region', { hint: 'give --region or set AWS_REGION' });
  return {
    region,
    ...(flags.roleArn ? { roleArn: flags.roleArn } : {}),
    ...(flags.mfaSerial ? { mfaSerial: flags.mfaSerial } : {}),
    ...(flags.roleArn ? { sessionSeconds: sessionSeconds(flags.sessionDuration ?? '3600') } : {}),
  };
}

/** The recorded guard verdict as the error the run exits with (policy, exit 8). */
function refusal(guard: { code: string | null; rule: string; reason: string }): PolicyError {
  return new PolicyError(
    guard.code ?? 'TARGET_NOT_ALLOWED',
    `target guard refused (rule ${guard.rule}): ${guard.reason}`,
    {
      subject: { rule: guard.rule },
      hint:
        guard.rule === 'raw-copy'
          ? 'pass --no-anonymize to accept a raw copy (recorded as the tag dbfork:anonymized=false)'
          : guard.rule === 'confirm-required'
            ? 'repeat the target id with --confirm <target-id>'
            : 'pick another target: this one is never replaced',
      labels: ['noWritesPerformed'],
    },
  );
}
