import { z } from 'zod';
import type { OperationContext } from '../../plan/operation-kind.js';
import { SecretRefSchema } from '../../plan/secret-ref.js';
import type { StreamTransform } from '../create-snapshot.js';

/**
 * How an operation anonymizes, as plan data: a rules file and where its key comes from (a key
 * reference, never the key), an explicit opt-out, or null (nothing chosen: a restore of a snapshot
 * anonymized at capture).
 */
export const AnonymizationParamSchema = z
  .union([
    z.strictObject({
      /** Absolute path of the rules file, read at apply time. */
      rules: z.string().min(1),
      /** Where the key is; null with `insecureUnkeyed`. */
      key: SecretRefSchema.nullable(),
      insecureUnkeyed: z.boolean(),
      /** Copy namespaces no rules key names, raw (recorded). */
      allowUnclassified: z.boolean().optional(),
      /** Leave a dump's oplog out instead of refusing it. */
      dropOplog: z.boolean().optional(),
      /** Rewrite worker threads (absent: one per available core). */
      workers: z.number().int().min(1).optional(),
    }),
    z.strictObject({ none: z.literal(true) }),
  ])
  .nullable();

export type AnonymizationParam = z.infer<typeof AnonymizationParamSchema>;

/**
 * Load the rules and the key a plan names, at apply time, behind the fail-closed gate. Running
 * unkeyed, `strict: false` and `--allow-unclassified` are reported as warning progress events.
 *
 * @returns the bound anonymizer, `none` for the opt-out, or null when nothing was chosen
 * @throws UsageError for rules-file errors (file:line) and `KEY_FILE_UNREADABLE`; PolicyError
 *   `ANONYMIZATION_KEY_MISSING` / `ANONYMIZATION_KEY_WEAK`
 */
export async function loadAnonymization(
  param: AnonymizationParam,
  ctx: OperationContext,
): Promise<{ rules: StreamTransform } | { none: true } | null> {
  if (param === null || 'none' in param) return param;
  const { loadAnonymizer } = await import('../load-anonymizer.js');
  const { KEY_ENV } = await import('../../transform/load-anonymization-key.js');
  const key = param.key;
  const fromRef = key && !('file' in key) ? await ctx.secrets.resolveOptional(key) : undefined;
  const rules = await loadAnonymizer(
    {
      rules: param.rules,
      ...(key && 'file' in key ? { keyFile: key.file } : {}),
      env: fromRef ? { [KEY_ENV]: fromRef.reveal() } : {},
      insecureUnkeyed: param.insecureUnkeyed,
      allowUnclassified: Boolean(param.allowUnclassified),
      dropOplog: Boolean(param.dropOplog),
      ...(param.workers === undefined ? {} : { workers: param.workers }),
    },
    (code, message) => ctx.onProgress({ type: 'warning', code, message }),
  );
  return { rules };
}
