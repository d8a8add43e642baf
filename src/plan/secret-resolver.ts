import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';
import type { ConfigValues } from './config-values.js';
import { Secret } from './secret.js';
import { describeRef, type ConnectionRef } from './secret-ref.js';

/** Turns references into values at apply time. Values never go back into a plan. */
export interface SecretResolver {
  /**
   * @throws UsageError `PLAN_SECRET_UNRESOLVED` when the variable is unset or empty, the file
   *   unreadable, the config key absent, or an `arg` reference is not from this run
   */
  resolve(ref: ConnectionRef): Promise<Secret>;
  /** Like {@link resolve}, but undefined when the value is simply not there (an optional key). */
  resolveOptional(ref: ConnectionRef): Promise<Secret | undefined>;
}

export interface SecretResolverOptions {
  /** Where `{ env }` looks (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** The config file's values for `{ config }` (absent: no config file was given). */
  readonly config?: ConfigValues;
  /** Values given on this run's command line, by flag (`--to`), for `{ arg }` references. */
  readonly args?: Readonly<Record<string, string>>;
}

/**
 * A resolver over the environment, the file system, a config file and this run's flags. Creating it
 * reads nothing; each `resolve` reads its one source.
 *
 * @returns a {@link SecretResolver}; its `resolve` throws UsageError `PLAN_SECRET_UNRESOLVED`
 */
export function createSecretResolver(options: SecretResolverOptions = {}): SecretResolver {
  const env = options.env ?? process.env;
  const lookup = async (ref: ConnectionRef): Promise<string | undefined> => {
    if ('uri' in ref) return ref.uri;
    if ('env' in ref) return env[ref.env] === '' ? undefined : env[ref.env];
    if ('config' in ref) return options.config?.(ref.config);
    if ('arg' in ref) return options.args?.[ref.arg];
    try {
      return (await readFile(ref.file, 'utf8')).replace(/\r?\n$/, '');
    } catch {
      return undefined;
    }
  };
  const resolveOptional = async (ref: ConnectionRef): Promise<Secret | undefined> => {
    const value = await lookup(ref);
    return value === undefined ? undefined : new Secret(value, describeRef(ref));
  };
  return {
    resolveOptional,
    async resolve(ref) {
      const secret = await resolveOptional(ref);
      if (secret) return secret;
      throw new UsageError('PLAN_SECRET_UNRESOLVED', `${describeRef(ref)} gives no value`, {
        hint: unresolvedHint(ref, options.config !== undefined),
        subject: { reference: describeRef(ref) },
      });
    },
  };
}

function unresolvedHint(ref: ConnectionRef, hasConfig: boolean): string {
  if ('env' in ref) return `set the environment variable ${ref.env}`;
  if ('file' in ref) return `make ${ref.file} readable`;
  if ('config' in ref)
    return hasConfig
      ? `add ${ref.config} to dbfork.yaml`
      : 'run where dbfork.yaml is, or name it with --config (or $DBFORK_CONFIG)';
  if ('arg' in ref)
    return `plans never store values given on the command line: plan again naming where ${ref.arg} comes from (e.g. ${ref.arg}-env NAME)`;
  return 'check the plan';
}
