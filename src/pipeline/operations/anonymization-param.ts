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
    }),
    z.strictObject({ none: z.literal(true) }),
  ])
  .nullable();

export type AnonymizationParam = z.infer<typeof AnonymizationParamSchema>;

/**
 * Load the rules and the key a plan names, at apply time. The transform engine loads on demand (it
 * costs ~30 MB at start-up). Running unkeyed is reported as a warning progress event.
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
  const [{ loadRules }, { loadAnonymizationKey, KEY_ENV }, { streamAnonymizer }] = await Promise.all([
    import('../../config/load-rules.js'),
    import('../../transform/load-anonymization-key.js'),
    import('../../transform/stream-anonymizer.js'),
  ]);
  const rules = await loadRules(param.rules);
  const key = param.key;
  const fromRef = key && !('file' in key) ? await ctx.secrets.resolveOptional(key) : undefined;
  const hasher = await loadAnonymizationKey({
    ...(key && 'file' in key ? { keyFile: key.file } : {}),
    env: fromRef ? { [KEY_ENV]: fromRef.reveal() } : {},
    insecureUnkeyed: param.insecureUnkeyed,
  });
  if (!hasher.keyed) {
    ctx.onProgress({
      type: 'warning',
      code: 'ANONYMIZATION_UNKEYED',
      message:
        'anonymizing WITHOUT a key (--insecure-unkeyed): pseudonyms can be reversed by a dictionary attack',
    });
  }
  return { rules: streamAnonymizer(rules, hasher) };
}
