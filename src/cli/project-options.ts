import type { Command, Option } from 'commander';
import { registerUriSecrets } from '../core/redact.js';
import { soleVariable } from '../config/interpolate-env.js';
import type { ProjectConfig } from '../config/project-config.js';
import { checkConnectionString, checkRegex, checkStoreUrl } from '../config/project-config-schema.js';
import { uriHoldsCredential } from '../plan/secret-ref.js';

/**
 * The one layer between dbfork.yaml and the commands: option groups mark the options a setting of
 * the file fills ({@link fillsFrom}); before commander parses, required options get the file's values
 * ({@link presetFromConfig}); once it parsed, every other marked option the command line left unset
 * gets the environment's or the file's value ({@link completeFromConfig}). Flags always win; lists
 * (`--protect-db`) are merged. Where each value came from is recorded for `dbfork config show`.
 */

/** The environment variable a connection role reads when no flag names it. */
export const CONNECTION_ENV = { source: 'DBFORK_SOURCE_URI', target: 'DBFORK_TARGET_URI' } as const;

/** What a marked option takes from the file. */
export type ConfigSetting =
  | { readonly kind: 'store' }
  | { readonly kind: 'rules' }
  | { readonly kind: 'protected' }
  | { readonly kind: 'ephemeral-pattern' }
  | { readonly kind: 'source-db' }
  | {
      readonly kind: 'connection';
      readonly role: 'source' | 'target';
      /** The option's name: `to` for `--to` / `--to-env` / `--to-file`. */
      readonly name: string;
      /** Fill it only when this other option has a value (scan's `--db`). */
      readonly onlyWith?: string;
    };

const marks = new WeakMap<Option, ConfigSetting>();
const origins = new WeakMap<Command, Map<string, string>>();

/** Mark `option` as filled by a dbfork.yaml setting when the command line leaves it unset. */
export function fillsFrom<T extends Option>(option: T, setting: ConfigSetting): T {
  marks.set(option, setting);
  return option;
}

/** Mark the option added last to `command` (by `command.option(…)`). */
export function lastFillsFrom(command: Command, setting: ConfigSetting): Command {
  const option = command.options.at(-1);
  if (option) fillsFrom(option, setting);
  return command;
}

/** Where the value of a command's option came from: `flag`, `env NAME`, `dbfork.yaml:12`, `default`, or undefined. */
export function originOf(command: Command, attribute: string): string | undefined {
  const recorded = origins.get(command)?.get(attribute);
  if (recorded) return recorded;
  const source = command.getOptionValueSource(attribute);
  if (source === 'cli') return 'flag';
  return source === 'default' ? 'default' : undefined;
}

function record(command: Command, attribute: string, origin: string): void {
  const map = origins.get(command) ?? new Map<string, string>();
  map.set(attribute, origin);
  origins.set(command, map);
}

function marked(command: Command): [Option, ConfigSetting][] {
  return command.options.flatMap((o) => {
    const setting = marks.get(o);
    return setting ? [[o, setting] as [Option, ConfigSetting]] : [];
  });
}

/**
 * Before parsing: give required options (`--db` of a capture) the file's value, so that a value in
 * the file satisfies them; a flag given on the command line replaces it.
 * @throws UsageError from the file (`CONFIG_ENV_MISSING`, `CONFIG_INVALID`)
 */
export function presetFromConfig(command: Command, config: ProjectConfig | undefined): void {
  if (!config) return;
  for (const [option, setting] of marked(command)) {
    if (setting.kind !== 'source-db') continue;
    const db = config.text(['source', 'db']);
    if (db === undefined) continue;
    command.setOptionValueWithSource(option.attributeName(), db, 'config');
    record(command, option.attributeName(), config.where(['source', 'db']));
  }
}

/**
 * After parsing (commander's `preAction`): fill every marked option the command line left unset, in
 * the order flag → environment → dbfork.yaml → default.
 * @throws UsageError from the file (`CONFIG_ENV_MISSING` naming the variable, `CONFIG_INVALID`)
 */
export function completeFromConfig(
  command: Command,
  config: ProjectConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const fromCli = (attribute: string) => command.getOptionValueSource(attribute) === 'cli';
  const set = (attribute: string, value: unknown, origin: string, source: 'config' | 'env' = 'config') => {
    command.setOptionValueWithSource(attribute, value, source);
    record(command, attribute, origin);
  };
  for (const [option, setting] of marked(command)) {
    const attribute = option.attributeName();
    switch (setting.kind) {
      case 'store':
        if (fromCli(attribute)) break;
        if (env.DBFORK_STORE) record(command, attribute, 'env DBFORK_STORE');
        else if (config?.raw(['store']) !== undefined)
          set(attribute, config.filePath(['store'], checkStoreUrl), config.where(['store']));
        break;
      case 'rules':
        // --no-anonymize is the explicit opt-out: the file's rules do not apply then
        if (fromCli(attribute) || fromCli('anonymize') || config?.raw(['rules']) === undefined) break;
        set(attribute, config.filePath(['rules']), config.where(['rules']));
        break;
      case 'ephemeral-pattern':
        if (fromCli(attribute) || config?.raw(['databases', 'ephemeral_pattern']) === undefined) break;
        set(
          attribute,
          config.text(['databases', 'ephemeral_pattern'], checkRegex),
          config.where(['databases', 'ephemeral_pattern']),
        );
        break;
      case 'protected': {
        const named = config ? protectedDatabases(config) : [];
        if (named.length === 0) break;
        const flags = (command.getOptionValue(attribute) as string[] | undefined) ?? [];
        const origin = [fromCli(attribute) ? 'flag' : '', config!.where(['databases'])].filter(Boolean);
        set(attribute, [...new Set([...flags, ...named])], origin.join(' + '), 'config');
        break;
      }
      case 'connection':
        completeConnection(command, setting, config, env, set);
        break;
      case 'source-db':
        break;
    }
  }
}

/** The file's protected names: `databases.production`, `databases.snapshot` and `source.db`. */
export function protectedDatabases(config: ProjectConfig): string[] {
  const db = config.text(['source', 'db']);
  return [
    ...new Set([
      ...(config.texts(['databases', 'production']) ?? []),
      ...(config.texts(['databases', 'snapshot']) ?? []),
      ...(db === undefined ? [] : [db]),
    ]),
  ];
}

/**
 * A connection none of whose flags was given: `DBFORK_<ROLE>_URI` by name, else the file's
 * `<role>.uri`, as a reference a plan may hold: `${VAR}` alone becomes the variable's name, a literal
 * without a password the literal, anything else the key (`{ config: 'target.uri' }`).
 */
function completeConnection(
  command: Command,
  setting: Extract<ConfigSetting, { kind: 'connection' }>,
  config: ProjectConfig | undefined,
  env: NodeJS.ProcessEnv,
  set: (attribute: string, value: unknown, origin: string, source?: 'config' | 'env') => void,
): void {
  const { name, role } = setting;
  const attributes = [name, `${name}Env`, `${name}File`].map((a) => camel(a));
  if (attributes.some((a) => command.getOptionValue(a) !== undefined)) return;
  if (setting.onlyWith !== undefined && command.getOptionValue(setting.onlyWith) === undefined) return;
  const variable = CONNECTION_ENV[role];
  if (env[variable]) return set(camel(`${name}Env`), variable, `env ${variable}`, 'env');
  const path = [role, 'uri'];
  const written = config?.raw(path);
  if (config === undefined || typeof written !== 'string') return;
  // filled in now: a missing variable or a bad value fails here, with the file's line
  const uri = config.text(path, checkConnectionString) ?? '';
  registerUriSecrets(uri);
  const where = config.where(path);
  const sole = soleVariable(written);
  if (sole !== undefined) return set(camel(`${name}Env`), sole, `${where} (\${${sole}})`);
  if (written === uri && !uriHoldsCredential(uri)) return set(camel(name), uri, where);
  set(camel(`${name}Config`), path.join('.'), where);
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
