import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { closestName } from './closest-name.js';
import { interpolateEnv } from './interpolate-env.js';
import { ProjectConfigFileSchema, type ProjectConfigFile, type ValueCheck } from './project-config-schema.js';
import { rulesError } from './rules-error.js';
import { parseRulesSource, type RulesSource } from './rules-source.js';
import { valueAt } from './value-at.js';

/** A key path inside dbfork.yaml: `['databases', 'production', 0]`. */
export type ConfigPath = readonly (string | number)[];

const HINT = 'fix dbfork.yaml (docs/configuration.md lists every key); nothing was read or written';

/**
 * A loaded, validated `dbfork.yaml`. Values are kept as written: `${NAME}` is filled in from the
 * environment when a setting is read ({@link text}), so a job that never uses a connection need not
 * hold its variable. Every error names the file, line, column and key path; never a variable's value.
 */
export class ProjectConfig {
  /** The file as given or found (messages use it as it is). */
  readonly file: string;
  /** The validated document, strings as written (`${…}` not filled in). */
  readonly data: ProjectConfigFile;
  readonly #source: RulesSource;
  readonly #env: NodeJS.ProcessEnv;

  constructor(file: string, data: ProjectConfigFile, source: RulesSource, env: NodeJS.ProcessEnv) {
    this.file = file;
    this.data = data;
    this.#source = source;
    this.#env = env;
  }

  /** `file:line` of a key (for "where each setting came from"). */
  where(path: ConfigPath): string {
    return `${this.file}:${this.#source.locate(path).line}`;
  }

  /** The value at `path` as written, or undefined. */
  raw(path: ConfigPath): unknown {
    return valueAt(this.data, path);
  }

  /**
   * The string at `path` with its variables filled in, checked by `check` when it used variables (a
   * literal was checked on load).
   *
   * @returns undefined when the key is absent
   * @throws UsageError `CONFIG_ENV_MISSING` naming the variable (never a value) and the key's
   *   file:line; `CONFIG_INVALID` when the filled-in value fails `check`
   */
  text(path: ConfigPath, check?: ValueCheck): string | undefined {
    const written = this.raw(path);
    if (typeof written !== 'string') return undefined;
    const filled = interpolateEnv(written, this.#env);
    if ('missing' in filled) {
      const error = rulesError(
        this.#source,
        'CONFIG_ENV_MISSING',
        path,
        `the environment variable ${filled.missing} is not set`,
        `set ${filled.missing}, or give a default in the file: \${${filled.missing}:-value}`,
      );
      throw new UsageError(error.code, error.message, {
        subject: { ...error.subject, variable: filled.missing },
        hint: error.hint,
      });
    }
    const problem = written === filled.value ? undefined : check?.(filled.value);
    if (problem) {
      throw rulesError(this.#source, 'CONFIG_INVALID', path, `${problem} (after filling in variables)`, HINT);
    }
    return filled.value;
  }

  /** Like {@link text} for a list of strings (each filled in); undefined when absent. */
  texts(path: ConfigPath): string[] | undefined {
    const list = this.raw(path);
    if (!Array.isArray(list)) return undefined;
    return list.map((_, i) => this.text([...path, i]) ?? '');
  }

  /** Like {@link text} for a file path: relative paths are taken from the config file's folder. */
  filePath(path: ConfigPath, check?: ValueCheck): string | undefined {
    const value = this.text(path, check);
    if (value === undefined || isAbsolute(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
    return resolve(dirname(this.file), value);
  }

  /**
   * The values `{ "config": "a.b" }` plan references resolve to: a string (or number) at the dotted
   * key, variables filled in; undefined for an absent key or one naming a section.
   * @throws UsageError `CONFIG_ENV_MISSING` as {@link text}
   */
  value(key: string): string | undefined {
    const path = key.split('.');
    const written = this.raw(path);
    if (typeof written === 'number') return String(written);
    return this.text(path);
  }
}

/**
 * Parse and validate dbfork.yaml text: YAML (JSON accepted) with line positions, duplicate keys
 * refused, then the zod schema ({@link ProjectConfigFileSchema}).
 *
 * @param file the name messages use
 * @param env where `${NAME}` is looked up when a setting is read (default `process.env`)
 * @throws UsageError `CONFIG_SYNTAX` or `CONFIG_INVALID` as `<file>:<line>:<col>: <what> at <key path>`,
 *   subject `{file, line, column, fieldPath}`: the first problem only
 */
export function parseProjectConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): ProjectConfig {
  const source = parseRulesSource(text, file, 'CONFIG_SYNTAX');
  const value = source.value ?? {};
  const parsed = ProjectConfigFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue) throw configIssue(source, issue);
  }
  return new ProjectConfig(file, parsed.data ?? {}, source, env);
}

/**
 * Read and parse a dbfork.yaml file (UTF-8).
 * @throws UsageError `CONFIG_FILE_UNREADABLE` when it cannot be read, else as {@link parseProjectConfig}
 */
export function loadProjectConfig(file: string, env: NodeJS.ProcessEnv = process.env): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      'CONFIG_FILE_UNREADABLE',
      `cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        subject: { file },
        hint: 'give a readable dbfork.yaml with --config (or $DBFORK_CONFIG)',
        cause: error,
      },
    );
  }
  return parseProjectConfig(text, file, env);
}

function configIssue(source: RulesSource, issue: z.core.$ZodIssue): UsageError {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(path);
    const suggestion = closestName(key, known);
    return rulesError(
      source,
      'CONFIG_INVALID',
      [...path, key],
      `unknown key ${JSON.stringify(key)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      known.length > 0 ? `keys here: ${known.join(', ')}` : HINT,
    );
  }
  return rulesError(source, 'CONFIG_INVALID', path, issue.message, HINT);
}

/** The keys the schema allows at an object path. */
function knownKeys(path: ConfigPath): string[] {
  let schema: z.ZodType = ProjectConfigFileSchema;
  for (const segment of path) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (!(schema instanceof z.ZodObject)) return [];
    const next = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    if (next === undefined) return [];
    schema = next;
  }
  while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}
