import type { ProjectConfig } from './project-config.js';
import { checkPrTemplate } from './project-config-schema.js';

/** The defaults of the preview settings (docs/configuration.md). */
export const PREVIEW_DEFAULTS = Object.freeze({
  prTemplate: 'app_pr_{number}',
  allowRaw: false,
  labels: Object.freeze({ preview: 'preview', useSnapshot: 'use-snapshot', persistDb: 'persist-db' }),
});

/** Where a preview database's seed data comes from. */
export type SeedSource = { readonly dump: string } | { readonly command: readonly string[] };

/** The settings pull-request previews use, with dbfork.yaml's values or the defaults. */
export interface PreviewSettings {
  /** The database of a pull request: `{number}` filled in (`app_pr_{number}`). */
  readonly prTemplate: string;
  /** A preview may restore a raw (not anonymized) snapshot. */
  readonly allowRaw: boolean;
  readonly labels: { readonly preview: string; readonly useSnapshot: string; readonly persistDb: string };
  /** The seed dump (absolute path) or command (argv, variables filled in), when configured. */
  readonly seed: SeedSource | null;
}

/**
 * The preview settings of a project (dbfork.yaml), defaults where the file is silent or absent.
 * @throws UsageError `CONFIG_ENV_MISSING`, `CONFIG_INVALID` from the file (file:line, key path)
 */
export function previewSettings(config: ProjectConfig | undefined): PreviewSettings {
  const d = PREVIEW_DEFAULTS;
  const label = (key: string, fallback: string) => config?.text(['preview', 'labels', key]) ?? fallback;
  const seed = config?.data.preview?.seed;
  return {
    prTemplate: config?.text(['databases', 'pr_template'], checkPrTemplate) ?? d.prTemplate,
    allowRaw: config?.data.snapshots?.allow_raw ?? d.allowRaw,
    labels: {
      preview: label('preview', d.labels.preview),
      useSnapshot: label('use_snapshot', d.labels.useSnapshot),
      persistDb: label('persist_db', d.labels.persistDb),
    },
    seed:
      config === undefined || seed === undefined
        ? null
        : 'dump' in seed
          ? { dump: config.filePath(['preview', 'seed', 'dump']) ?? '' }
          : { command: seed.command.map((_, i) => config.text(['preview', 'seed', 'command', i]) ?? '') },
  };
}

/** A pull request's database name from the template: `app_pr_{number}` → `app_pr_42`. */
export function prDatabaseName(template: string, number: number): string {
  return template.replaceAll('{number}', String(number));
}
