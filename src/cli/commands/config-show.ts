import type { Command } from 'commander';
import { redactUri } from '../../core/redact.js';
import { soleVariable } from '../../config/interpolate-env.js';
import type { ProjectConfig } from '../../config/project-config.js';
import { isDbforkError } from '../../errors/index.js';
import { defaultStoreUrl } from '../../store/open-snapshot-store.js';
import type { CommandContext } from '../context.js';
import { addProtectionOptions } from '../guard-options.js';
import { storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { CONNECTION_ENV, lastFillsFrom, originOf } from '../project-options.js';
import { PREVIEW_DEFAULTS } from '../../config/preview-settings.js';

interface ShowOptions {
  store?: string;
  rules?: string;
  protectDb: string[];
  ephemeralPattern: string;
}

/** One effective setting: its value (secrets redacted) and where it came from. */
interface SettingRow {
  readonly key: string;
  readonly value: string | boolean | readonly string[] | null;
  /** `flag`, `env NAME`, `<file>:<line>`, `default`, or `unset`. */
  readonly origin: string;
}

/**
 * `dbfork config show`: the settings a command would run with, from flags, the environment,
 * dbfork.yaml and the defaults, each with where it came from; connection strings redacted (password
 * and secret options masked), a variable that is not set shown as such.
 */
export function define(command: Command, context: () => CommandContext): void {
  command.addOption(storeOption());
  command.option('--rules <file>', 'anonymization rules file (default: rules of dbfork.yaml)');
  lastFillsFrom(command, { kind: 'rules' });
  addProtectionOptions(command).action((options: ShowOptions) => {
    const ctx = context();
    const config = ctx.config;
    const rows: SettingRow[] = [
      connectionRow('source.uri', 'source', config),
      connectionRow('target.uri', 'target', config),
      fileRow('source.db', config, ['source', 'db'], null),
      {
        key: 'store',
        value: options.store ?? defaultStoreUrl(),
        origin: originOf(command, 'store') ?? (process.env.DBFORK_STORE ? 'env DBFORK_STORE' : 'default'),
      },
      { key: 'rules', value: options.rules ?? null, origin: originOf(command, 'rules') ?? 'unset' },
      {
        key: 'databases.protected',
        value: options.protectDb,
        origin: options.protectDb.length > 0 ? (originOf(command, 'protectDb') ?? 'flag') : 'unset',
      },
      {
        key: 'databases.ephemeral_pattern',
        value: options.ephemeralPattern,
        origin: originOf(command, 'ephemeralPattern') ?? 'default',
      },
      fileRow('databases.pr_template', config, ['databases', 'pr_template'], PREVIEW_DEFAULTS.prTemplate),
      fileRow('snapshots.allow_raw', config, ['snapshots', 'allow_raw'], PREVIEW_DEFAULTS.allowRaw),
      fileRow(
        'preview.labels.preview',
        config,
        ['preview', 'labels', 'preview'],
        PREVIEW_DEFAULTS.labels.preview,
      ),
      fileRow(
        'preview.labels.use_snapshot',
        config,
        ['preview', 'labels', 'use_snapshot'],
        PREVIEW_DEFAULTS.labels.useSnapshot,
      ),
      fileRow(
        'preview.labels.persist_db',
        config,
        ['preview', 'labels', 'persist_db'],
        PREVIEW_DEFAULTS.labels.persistDb,
      ),
      seedRow(config),
    ];
    ctx.output.result({ file: config?.file ?? null, settings: rows });
    ctx.output.line(
      `config file  ${config?.file ?? 'none (no --config, $DBFORK_CONFIG or dbfork.yaml found)'}`,
    );
    ctx.output.line('');
    ctx.output.line(
      table(
        ['setting', 'value', 'from'],
        rows.map((r) => [r.key, display(r.value), r.origin]),
      ),
    );
  });
}

function display(value: SettingRow['value']): string {
  if (value === null) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.join(', ');
  return String(value);
}

/** A connection as a command with none of its flags would get it: environment, then the file. */
function connectionRow(
  key: string,
  role: 'source' | 'target',
  config: ProjectConfig | undefined,
): SettingRow {
  const variable = CONNECTION_ENV[role];
  const fromEnv = process.env[variable];
  if (fromEnv) return { key, value: redactUri(fromEnv), origin: `env ${variable}` };
  const path = [role, 'uri'];
  const written = config?.raw(path);
  if (config === undefined || typeof written !== 'string') return { key, value: null, origin: 'unset' };
  const sole = soleVariable(written);
  const where = config.where(path);
  try {
    const value = redactUri(config.text(path) ?? '');
    return { key, value: sole ? `$${sole} = ${value}` : value, origin: where };
  } catch (error) {
    if (isDbforkError(error) && error.code === 'CONFIG_ENV_MISSING')
      return { key, value: `$${String(error.subject.variable)} is not set`, origin: where };
    throw error;
  }
}

/** A setting only the file gives (or its default). */
function fileRow(
  key: string,
  config: ProjectConfig | undefined,
  path: readonly string[],
  fallback: string | boolean | null,
): SettingRow {
  const written = config?.raw(path);
  if (config === undefined || written === undefined)
    return { key, value: fallback, origin: fallback === null ? 'unset' : 'default' };
  if (typeof written === 'boolean') return { key, value: written, origin: config.where(path) };
  try {
    return { key, value: config.text(path) ?? null, origin: config.where(path) };
  } catch (error) {
    if (isDbforkError(error) && error.code === 'CONFIG_ENV_MISSING')
      return { key, value: `$${String(error.subject.variable)} is not set`, origin: config.where(path) };
    throw error;
  }
}

function seedRow(config: ProjectConfig | undefined): SettingRow {
  const seed = config?.data.preview?.seed;
  if (config === undefined || seed === undefined)
    return { key: 'preview.seed', value: null, origin: 'unset' };
  const where = config.where(['preview', 'seed']);
  if ('dump' in seed)
    return {
      key: 'preview.seed.dump',
      value: config.filePath(['preview', 'seed', 'dump']) ?? null,
      origin: where,
    };
  return { key: 'preview.seed.command', value: seed.command, origin: where };
}
