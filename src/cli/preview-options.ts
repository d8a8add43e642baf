import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../errors/index.js';
import { previewSettings, type PreviewSettings, type PreviewSource } from '../preview/preview-settings.js';
import { parseCount } from './option-groups.js';
import type { ProjectConfig } from '../config/project-config.js';
import { previewSettings as projectPreviewSettings } from '../config/preview-settings.js';

/** The preview settings flags as commander parses them (each overrides its default). */
export interface PreviewSettingsFlags {
  labelPreview?: string;
  labelUseSnapshot?: string;
  labelPersistDb?: string;
  dbTemplate?: string;
  defaultSource?: string;
  stagingDb?: string;
  allowRawSnapshots?: boolean;
  maxDatabases?: string;
  previewLabelOptional?: boolean;
}

/** Add the preview settings flags (labels, PR database template, staging, raw snapshots, quota). */
export function addPreviewSettingsOptions(command: Command): Command {
  return command
    .option(
      '--db-template <template>',
      'PR database name, {number} is the PR number (default app_pr_{number})',
    )
    .option('--label-preview <name>', 'the label that enables a preview (default preview)')
    .option(
      '--label-use-snapshot <name>',
      'the label that selects the snapshot source (default use-snapshot)',
    )
    .option('--label-persist-db <name>', 'the label that locks the database (default persist-db)')
    .option(
      '--default-source <seed|snapshot|staging>',
      'source when neither label nor #preview-config names one (default seed)',
    )
    .option('--staging-db <name>', 'the staging database source: staging clones (default app_staging)')
    .option('--allow-raw-snapshots', 'allow anonymize: false with a snapshot source in #preview-config')
    .option(
      '--max-databases <n>',
      'the most PR databases at once; a new one past it is refused with a comment',
    )
    .option('--preview-label-optional', 'create PR databases without the preview label too');
}

/**
 * The preview settings: each flag, else dbfork.yaml's value (labels, `databases.pr_template`,
 * `snapshots.allow_raw`), else the default.
 * @throws UsageError `CONFIG_BAD_OPTION` for a bad source, template or count; the file's own errors
 */
export function previewSettingsFrom(flags: PreviewSettingsFlags, config?: ProjectConfig): PreviewSettings {
  const file = config ? projectPreviewSettings(config) : undefined;
  flags = {
    ...flags,
    labelPreview: flags.labelPreview ?? file?.labels.preview,
    labelUseSnapshot: flags.labelUseSnapshot ?? file?.labels.useSnapshot,
    labelPersistDb: flags.labelPersistDb ?? file?.labels.persistDb,
    dbTemplate: flags.dbTemplate ?? file?.prTemplate,
    allowRawSnapshots: flags.allowRawSnapshots ?? file?.allowRaw,
  };
  const source = flags.defaultSource;
  if (source !== undefined && !['seed', 'snapshot', 'staging'].includes(source)) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--default-source must be seed, snapshot or staging, got ${source}`,
    );
  }
  if (flags.dbTemplate !== undefined && !flags.dbTemplate.includes('{number}')) {
    throw new UsageError('CONFIG_BAD_OPTION', `--db-template must hold {number}, got ${flags.dbTemplate}`, {
      hint: 'e.g. --db-template app_pr_{number}',
    });
  }
  return previewSettings({
    labels: {
      ...(flags.labelPreview ? { preview: flags.labelPreview } : {}),
      ...(flags.labelUseSnapshot ? { useSnapshot: flags.labelUseSnapshot } : {}),
      ...(flags.labelPersistDb ? { persistDb: flags.labelPersistDb } : {}),
    },
    ...(flags.dbTemplate ? { databaseTemplate: flags.dbTemplate } : {}),
    ...(source ? { defaultSource: source as PreviewSource } : {}),
    ...(flags.stagingDb ? { stagingDatabase: flags.stagingDb } : {}),
    allowRawSnapshots: Boolean(flags.allowRawSnapshots),
    maxDatabases: flags.maxDatabases === undefined ? null : parseCount(flags.maxDatabases, '--max-databases'),
    requirePreviewLabel: !flags.previewLabelOptional,
  });
}

/**
 * Read a GitHub event file (`$GITHUB_EVENT_PATH`): JSON.
 * @throws UsageError `PREVIEW_BAD_EVENT` when it cannot be read or is not JSON
 */
export async function readEventFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('PREVIEW_BAD_EVENT', `cannot read the event file ${file}`, {
      subject: { file },
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      'PREVIEW_BAD_EVENT',
      `the event file ${file} is not JSON: ${(error as Error).message}`,
      {
        subject: { file },
        hint: 'pass the workflow event file ($GITHUB_EVENT_PATH) of a pull_request event',
      },
    );
  }
}
