import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { callerAccount } from '../../aws/open-ebs-apis.js';
import { iamPolicyOf } from '../../ebs/iam-policy.js';
import { planInstallDocuments, type DocumentSource } from '../../ebs/plan-install-documents.js';
import { SSM_DOCUMENTS } from '../../ebs/ssm-document-names.js';
import { UsageError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { ebsConnectionOf } from '../ebs-flags.js';
import { table } from '../output.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { runPlan } from '../run-plan.js';

interface InstallFlags extends PlanFlags {
  dir: string;
  region?: string;
  iamPolicy?: boolean;
}

/** The documents shipped with dbfork (the package's deploy/aws/ssm/). */
const SHIPPED = fileURLToPath(new URL('../../../deploy/aws/ssm/', import.meta.url));

/**
 * `dbfork ebs install-documents`: create or update the SSM documents `mongo-snapshot`, `mongo-restore`
 * and `replica-init` from their YAML (docs/ebs.md); unchanged documents are skipped.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .option('--dir <path>', 'folder holding <name>.yaml for each document', SHIPPED)
    .option('--region <region>', 'AWS region (default: the SDK chain: $AWS_REGION, profile)')
    .option('--iam-policy', 'print the least-privilege IAM policy for this plan; change nothing')
    .option('--dry-run', 'print the plan (with --json: the plan as JSON); change nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; change nothing')
    .action(async (flags: InstallFlags) => {
      const ctx = context();
      const connection = await ebsConnectionOf(flags.region);
      const plan = planInstallDocuments(
        connection,
        await callerAccount(connection),
        await documentsIn(flags.dir),
      );
      if (flags.iamPolicy) {
        const policy = iamPolicyOf(plan);
        if (ctx.json) ctx.output.document(policy);
        else ctx.output.line(JSON.stringify(policy, null, 2));
        return;
      }
      if (planOnly(flags)) return emitPlan(ctx, plan, flags);
      const result = await runPlan(ctx, plan, { confirm: true });
      ctx.output.result({ ...result, error: result.error?.toJSON() });
      ctx.output.line(
        table(
          ['document', 'status', 'note'],
          result.operations.map((o) => [
            o.id.replace(/^install\./, ''),
            o.status,
            o.reason ?? String((o.output as { action?: string } | undefined)?.action ?? ''),
          ]),
        ),
      );
      if (result.error) throw result.error;
    });
}

/** @throws UsageError `EBS_DOCUMENT_MISSING` when a document's YAML is not in `dir` */
async function documentsIn(dir: string): Promise<DocumentSource[]> {
  const present = new Set(await readdir(dir).catch(() => [] as string[]));
  const missing = SSM_DOCUMENTS.filter((name) => !present.has(`${name}.yaml`));
  if (missing.length > 0)
    throw new UsageError(
      'EBS_DOCUMENT_MISSING',
      `${dir} lacks ${missing.map((m) => `${m}.yaml`).join(', ')}`,
      {
        subject: { dir },
        hint: 'point --dir at a folder holding mongo-snapshot.yaml, mongo-restore.yaml and replica-init.yaml',
      },
    );
  return Promise.all(
    SSM_DOCUMENTS.map(async (name) => ({ name, content: await readFile(join(dir, `${name}.yaml`), 'utf8') })),
  );
}
