import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadRules } from '../../config/load-rules.js';
import { parseDuration } from '../../core/duration.js';
import { iamPolicyOf } from '../../ebs/iam-policy.js';
import type { SyncAnonymization } from '../../ebs/plan-ebs-sync.js';
import { PolicyError, UsageError } from '../../errors/index.js';
import { EBS_DEPS } from '../../pipeline/operations/plan-operations.js';
import { planEbsSyncLive, type SourceVolumeRef } from '../../pipeline/plan-ebs-sync-live.js';
import { NO_PROGRESS } from '../../core/progress.js';
import { uriHoldsCredential } from '../../plan/secret-ref.js';
import { anonymizationRequired, assertOneChoice } from '../anonymization-options.js';
import type { CommandContext } from '../context.js';
import { ebsConnectionOf } from '../ebs-flags.js';
import { parseCount } from '../option-groups.js';
import { emitPlan, planOnly, printPlanResult, type PlanFlags } from '../plan-output.js';
import { runPlan, secretResolver } from '../run-plan.js';

interface EbsSyncFlags extends PlanFlags {
  secondary: string;
  volume?: string;
  instance?: string;
  device?: string;
  stagingInstance: string;
  stagingDevice?: string;
  rules?: string;
  anonymize: boolean;
  keyParameter: string;
  usernameParameter: string;
  passwordParameter: string;
  credentials: boolean;
  keep: string;
  maxLock: string;
  pollInterval: string;
  timeout: string;
  region?: string;
  volumeType?: string;
  dataLink: string;
  dbPathOnVolume: string;
  maintenancePort: string;
  service: string;
  stagingDbfork: string;
  productionTag: string;
  confirm?: string;
  iamPolicy?: boolean;
  kmsKeyArn?: string;
}

/**
 * `dbfork ebs sync`: a staging copy of a self-hosted replica set from an EBS snapshot of its hidden
 * member, restored on the staging instance by the `mongo-restore` document and anonymized there before
 * mongod opens to clients (docs/ebs.md). Plans from live state, then runs the plan; `--dry-run`,
 * `--plan-out` and `--iam-policy` only plan.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption(
      '--secondary <mongodb-uri>',
      'the hidden member (no password: credentials come from Parameter Store)',
    )
    .option('--volume <vol-id>', "the hidden member's data volume")
    .option('--instance <id>', "or the hidden member's instance, with --device")
    .option('--device <name>', 'the data volume device name on --instance (e.g. /dev/sdf)')
    .requiredOption('--staging-instance <id>', 'the EC2 instance whose mongod gets the copy')
    .option(
      '--staging-device <name>',
      'device name for the new volume (default: the first free of /dev/sdf-/dev/sdp)',
    )
    .option('--confirm <staging-instance-id>', 'the staging instance id again: required to replace its data')
    .option('--rules <file>', 'anonymize on the staging host with these rules (sent with the command)')
    .option(
      '--no-anonymize',
      'leave the staging copy raw: an explicit opt-out, tagged dbfork:anonymized=false',
    )
    .option(
      '--key-parameter <name>',
      'SecureString holding the anonymization key, read on the staging host',
      '/dbfork/anonymization-key',
    )
    .option('--username-parameter <name>', 'SecureString holding the MongoDB user', '/mongo/admin')
    .option('--password-parameter <name>', 'SecureString holding its password', '/mongo/admin/password')
    .option('--no-credentials', 'connect to the hidden member without a user (a member without auth)')
    .option('--keep <n>', 'completed snapshots kept per source volume, this one included (retention)', '7')
    .option(
      '--max-lock <duration>',
      'the watchdog unlocks the member after this long, whatever happens',
      '10m',
    )
    .option('--poll-interval <duration>', 'first pause between looks (doubles up to 4x)', '15s')
    .option('--timeout <duration>', 'deadline per wait and per SSM command', '2h')
    .option('--region <region>', 'AWS region (default: the SDK chain: $AWS_REGION, profile)')
    .option('--volume-type <type>', 'EBS type of the new volume (default: EC2 default)')
    .option(
      '--data-link <path>',
      "staging mongod's dbpath: a link swapped to the new volume",
      '/var/lib/mongodb',
    )
    .option('--db-path-on-volume <path>', 'the dbpath folder inside the snapshot volume', '.')
    .option('--maintenance-port <port>', 'port of the maintenance mongod (standalone on 127.0.0.1)', '27117')
    .option('--service <unit>', 'the systemd unit of the staging mongod', 'mongod')
    .option(
      '--staging-dbfork <path>',
      'the dbfork executable on the staging host (anonymize phase)',
      'dbfork',
    )
    .option(
      '--production-tag <key=value>',
      'a staging instance tagged so is refused',
      'environment=production',
    )
    .option('--iam-policy', 'print the least-privilege IAM policy for this plan; change nothing')
    .option(
      '--kms-key-arn <arn>',
      'the KMS key of the SecureStrings, for --iam-policy (default: any key, via SSM)',
    )
    .option('--dry-run', 'print the plan (with --json: the plan as JSON); change nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; change nothing')
    .action(async (flags: EbsSyncFlags) => {
      const ctx = context();
      assertOneChoice(flags);
      if (flags.rules === undefined && flags.anonymize) throw anonymizationRequired();
      if (uriHoldsCredential(flags.secondary))
        throw new UsageError('CONFIG_BAD_OPTION', '--secondary holds a password', {
          hint: 'give the URI without credentials: the user and password come from --username-parameter and --password-parameter',
        });
      const connection = await ebsConnectionOf(flags.region);
      const pollIntervalMs = parseDuration(flags.pollInterval, '--poll-interval');
      const plan = await planEbsSyncLive(
        EBS_DEPS,
        { secrets: secretResolver(ctx), onProgress: NO_PROGRESS },
        {
          connection,
          secondary: { uri: flags.secondary },
          credentials: flags.credentials
            ? { username: flags.usernameParameter, password: flags.passwordParameter }
            : null,
          source: sourceOf(flags),
          stagingInstance: flags.stagingInstance,
          ...(flags.stagingDevice ? { stagingDevice: flags.stagingDevice } : {}),
          keep: parseCount(flags.keep, '--keep'),
          anonymization: await anonymizationOf(flags),
          restore: {
            dataLink: flags.dataLink,
            dbPathOnVolume: flags.dbPathOnVolume,
            maintenancePort: parseCount(flags.maintenancePort, '--maintenance-port'),
            service: flags.service,
            dbforkCommand: flags.stagingDbfork,
          },
          ...(flags.volumeType ? { volumeType: flags.volumeType } : {}),
          maxLockMs: parseDuration(flags.maxLock, '--max-lock'),
          pollIntervalMs,
          timeoutMs: parseDuration(flags.timeout, '--timeout'),
          productionTag: flags.productionTag,
          ...(flags.confirm === undefined ? {} : { confirm: flags.confirm }),
        },
      );
      if (flags.iamPolicy) {
        const policy = iamPolicyOf(plan, flags.kmsKeyArn ? { kmsKeyArn: flags.kmsKeyArn } : {});
        if (ctx.json) ctx.output.document(policy);
        else ctx.output.line(JSON.stringify(policy, null, 2));
        return;
      }
      const refused = plan.guard && !plan.guard.allowed;
      if (planOnly(flags)) {
        if (!(flags.planOut && refused)) await emitPlan(ctx, plan, flags);
        if (refused) throw refusal(plan.guard!);
        return;
      }
      if (refused) throw refusal(plan.guard!);
      const result = await runPlan(ctx, plan, { confirm: true });
      printPlanResult(ctx, result);
    });
}

function sourceOf(flags: EbsSyncFlags): SourceVolumeRef {
  if (flags.volume !== undefined && flags.instance === undefined && flags.device === undefined)
    return { volumeId: flags.volume };
  if (flags.volume === undefined && flags.instance !== undefined && flags.device !== undefined)
    return { instanceId: flags.instance, device: flags.device };
  throw new UsageError(
    'CONFIG_BAD_OPTION',
    'name the source volume with --volume, or with --instance and --device',
    {
      hint: "the hidden member's data volume: --volume vol-0123…, or --instance i-0123… --device /dev/sdf",
    },
  );
}

/** The rules go to the staging host with the command; they are checked here first. */
async function anonymizationOf(flags: EbsSyncFlags): Promise<SyncAnonymization> {
  if (flags.rules === undefined) return { none: true };
  const loaded = await loadRules(flags.rules);
  const text = await readFile(flags.rules);
  return {
    rulesBase64: text.toString('base64'),
    keyParameter: flags.keyParameter,
    rulesDigest: loaded.digest,
  };
}

/** The recorded guard verdict as the error the run exits with (policy, exit 8). */
function refusal(guard: { code: string | null; rule: string; reason: string }): PolicyError {
  return new PolicyError(
    guard.code ?? 'TARGET_NOT_ALLOWED',
    `staging guard refused (rule ${guard.rule}): ${guard.reason}`,
    {
      subject: { rule: guard.rule },
      hint:
        guard.rule === 'confirm-required'
          ? 'repeat the staging instance id with --confirm <staging-instance-id>'
          : 'pick another staging instance: this one is never replaced',
      labels: ['noWritesPerformed'],
    },
  );
}
