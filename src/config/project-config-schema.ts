import { z } from 'zod';

/**
 * The project configuration file, `dbfork.yaml`, as a zod schema: the single source of truth for
 * validation and for the published JSON Schema (`schemas/dbfork-config.schema.json`, see
 * project-config-json-schema.ts). Keys are snake_case, as in rules files. Every string value may hold
 * `${NAME}` or `${NAME:-default}` (see interpolate-env.ts); such a value is checked once its variables
 * are filled in, when the setting is used.
 *
 * Shape (docs/configuration.md):
 * ```yaml
 * version: 1
 * source: { uri: ${PROD_MONGODB_URI}, db: app }
 * target: { uri: ${STAGING_MONGODB_URI} }
 * databases:
 *   production: [app]              # never a restore target
 *   snapshot: [app_snapshots]      # never a restore target
 *   ephemeral_pattern: '_pr_[0-9]+$'
 *   pr_template: app_pr_{number}
 * store: s3://bucket/snapshots
 * rules: ./dbfork.rules.yaml
 * snapshots: { allow_raw: false }
 * preview:
 *   labels: { preview: preview, use_snapshot: use-snapshot, persist_db: persist-db }
 *   seed: { dump: ./seed/app.archive.gz }   # or { command: [node, scripts/seed.js] }
 * ```
 */

/** A check of a string setting's final value: the problem, or undefined when it is fine. */
export type ValueCheck = (value: string) => string | undefined;

/** Holds `${…}`: checked only once interpolated. */
const interpolated = (value: string): boolean => value.includes('${');

/** A string setting whose literal value is checked now, and an interpolated one when used. */
function checkedString(check: ValueCheck): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const problem = interpolated(value) ? undefined : check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const nonEmpty: ValueCheck = (v) => (v.trim() === '' ? 'must not be empty' : undefined);

export const checkRegex: ValueCheck = (v) => {
  try {
    new RegExp(v);
    return undefined;
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
};

export const checkConnectionString: ValueCheck = (v) =>
  /^mongodb(\+srv)?:\/\//.test(v) ? undefined : 'not a mongodb:// or mongodb+srv:// connection string';

export const checkStoreUrl: ValueCheck = (v) =>
  v.trim() === ''
    ? 'must not be empty'
    : /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^(file|s3|gs):\/\//.test(v)
      ? 'not a snapshot store: use s3://bucket/prefix, gs://bucket/prefix, file:///path or a path'
      : undefined;

export const checkWebhookUrl: ValueCheck = (v) =>
  /^(slack\+)?https?:\/\/[^/\s]+/.test(v)
    ? undefined
    : 'not a webhook URL: use https://…, slack+https://… or ${VAR}';

export const checkPrTemplate: ValueCheck = (v) =>
  v.includes('{number}') ? undefined : 'must contain {number} (e.g. app_pr_{number})';

const databaseName = checkedString((v) =>
  /^[^/\\. "$*<>:|?\0]{1,63}$/.test(v) ? undefined : 'not a valid database name',
);

const label = checkedString(nonEmpty);

export const ProjectConfigFileSchema = z
  .strictObject({
    version: z.literal(1).optional().describe('file format version (1)'),
    source: z
      .strictObject({
        uri: checkedString(checkConnectionString)
          .optional()
          .describe('production connection string; use ${VAR} (DBFORK_SOURCE_URI and the flags win)'),
        db: databaseName
          .optional()
          .describe('the production database (protected; default of --db for captures)'),
      })
      .optional(),
    target: z
      .strictObject({
        uri: checkedString(checkConnectionString)
          .optional()
          .describe('staging / preview connection string; use ${VAR} (DBFORK_TARGET_URI and the flags win)'),
      })
      .optional(),
    databases: z
      .strictObject({
        production: z.array(databaseName).optional().describe('production databases: never a restore target'),
        snapshot: z.array(databaseName).optional().describe('snapshot databases: never a restore target'),
        ephemeral_pattern: checkedString(checkRegex)
          .optional()
          .describe('regex of throw-away target names (default _pr_[0-9]+$)'),
        pr_template: checkedString(checkPrTemplate)
          .optional()
          .describe('the database of a pull request, {number} filled in (default app_pr_{number})'),
      })
      .optional(),
    store: checkedString(checkStoreUrl)
      .optional()
      .describe('snapshot store URL or path (relative: to this file)'),
    rules: checkedString(nonEmpty).optional().describe('anonymization rules file (relative: to this file)'),
    notify: z
      .array(checkedString(checkWebhookUrl))
      .optional()
      .describe(
        'webhooks told when an audited command ends (default of --notify); use ${VAR}: a webhook URL is a secret',
      ),
    snapshots: z
      .strictObject({
        allow_raw: z
          .boolean()
          .optional()
          .describe('a preview may restore a raw (not anonymized) snapshot (default false)'),
      })
      .optional(),
    preview: z
      .strictObject({
        labels: z
          .strictObject({
            preview: label.optional().describe('default preview'),
            use_snapshot: label.optional().describe('default use-snapshot'),
            persist_db: label.optional().describe('default persist-db'),
          })
          .optional(),
        seed: z
          .union([
            z.strictObject({
              dump: checkedString(nonEmpty).describe('seed dump: archive or folder (relative: to this file)'),
            }),
            z.strictObject({
              command: z
                .array(z.string())
                .min(1)
                .describe('seed program and arguments (no shell); DBFORK_TARGET_URI in its environment'),
            }),
          ])
          .optional(),
      })
      .optional(),
  })
  .describe('dbfork project configuration (dbfork.yaml)');

export type ProjectConfigFile = z.infer<typeof ProjectConfigFileSchema>;
