import type { Command } from 'commander';
import { PolicyError, StoreError } from '../../errors/index.js';
import { checkStore } from '../../store/check-store.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';

/**
 * `dbfork store check`: whether the bucket behind a store, or the store's prefix, is publicly
 * readable (S3: public access block, bucket policy, ACLs; GCS: IAM policy, ACLs, public access
 * prevention), with versioning and default encryption. Exits 0 when private; with
 * `STORE_PUBLICLY_READABLE` (8) when public; with `STORE_CHECK_INCOMPLETE` (6) when part of the
 * access configuration could not be read.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption('object store URL, s3://bucket/prefix or gs://bucket/prefix'))
    .action(async (options: { store?: string }) => {
      const ctx = context();
      const report = await checkStore(options.store);
      ctx.output.result(report);
      const flags = Object.entries(report.protections).map(([k, v]) => `${k}=${String(v)}`);
      ctx.output.line(`store        ${report.store}`);
      ctx.output.line(`verdict      ${report.verdict}`);
      ctx.output.line(`protections  ${flags.join(' ')}`);
      ctx.output.line(`versioning   ${report.versioning}`);
      ctx.output.line(`encryption   ${report.encryption}`);
      for (const f of report.findings)
        ctx.output.line(
          `public grant ${f.source}: ${f.grant}${f.effective ? '' : ' (not in effect)'}${f.note ? `; ${f.note}` : ''}`,
        );
      for (const u of report.unavailable) ctx.output.line(`not read     ${u.what}: ${u.reason}`);
      const subject = { store: report.store };
      if (report.verdict === 'public')
        throw new PolicyError('STORE_PUBLICLY_READABLE', `${report.store} is publicly readable`, {
          subject,
          hint: 'remove the grants listed, and block public access on the bucket (S3: all four public access block settings; GCS: public access prevention enforced)',
        });
      if (report.verdict === 'unknown')
        throw new StoreError(
          'STORE_CHECK_INCOMPLETE',
          `cannot tell whether ${report.store} is private: ${report.unavailable.map((u) => u.what).join(', ')} could not be read`,
          {
            subject,
            hint: 'grant the read permissions the check uses (S3: s3:GetBucketPublicAccessBlock, s3:GetBucketPolicy, s3:GetBucketAcl, s3:GetBucketOwnershipControls, s3:GetObjectAcl; GCS: storage.buckets.get, storage.buckets.getIamPolicy), or the server does not implement them',
          },
        );
    });
}
