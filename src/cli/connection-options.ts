import type { Command } from 'commander';
import { registerUriSecrets } from '../core/redact.js';
import { UsageError } from '../errors/index.js';
import { uriHoldsCredential, type ConnectionRef } from '../plan/secret-ref.js';
import { CONNECTION_ENV, lastFillsFrom } from './project-options.js';

/**
 * A connection flag's three spellings as commander parses them: `--to`, `--to-env`, `--to-file`; or
 * the dbfork.yaml key the project layer chose (`target.uri`, when its value is not a lone `${VAR}`).
 */
export interface ConnectionFlags {
  readonly value?: string;
  readonly env?: string;
  readonly file?: string;
  readonly config?: string;
}

/**
 * Add a connection flag's three spellings to a command: `--<name> <mongodb-uri>`, `--<name>-env
 * <NAME>` and `--<name>-file <path>`. Without any of them, the connection is `$DBFORK_SOURCE_URI` /
 * `$DBFORK_TARGET_URI` (by `role`), else `source.uri` / `target.uri` of dbfork.yaml (see
 * project-options.ts); exactly one must give it (see {@link connectionFrom}).
 *
 * @param onlyWith fill the connection from the environment or the file only when this option is set
 */
export function addConnectionOptions(
  command: Command,
  name: string,
  description: string,
  role: 'source' | 'target',
  onlyWith?: string,
): Command {
  command.option(
    `--${name} <mongodb-uri>`,
    `${description} (default $${CONNECTION_ENV[role]}, else ${role}.uri of dbfork.yaml)`,
  );
  lastFillsFrom(command, { kind: 'connection', role, name, ...(onlyWith === undefined ? {} : { onlyWith }) });
  return command
    .option(`--${name}-env <NAME>`, 'or the environment variable holding it (plans name it, never the value)')
    .option(`--${name}-file <path>`, 'or a file holding it (plans name the file, never the value)');
}

/**
 * The connection {@link addConnectionOptions} added as `name`, from the parsed options, for a plan
 * that is run now or saved with `--plan-out`.
 */
export function plannedConnection(options: object, name: string): PlannedConnection {
  const flags = options as Readonly<Record<string, string | undefined>>;
  return connectionFrom(
    {
      value: flags[name],
      env: flags[`${name}Env`],
      file: flags[`${name}File`],
      config: flags[`${name}Config`],
    },
    `--${name}`,
    flags.planOut !== undefined,
  );
}

/** A connection for a plan, and the command-line values the run that made it may resolve. */
export interface PlannedConnection {
  readonly ref: ConnectionRef;
  readonly args: Record<string, string>;
}

/**
 * Turn `--x <uri>` / `--x-env NAME` / `--x-file PATH` (or a dbfork.yaml key) into a plan reference. A literal connection
 * string without a password goes into the plan as it is; one with a password is referenced as this
 * run's `--x` value (`{ arg }`), which this run resolves and a saved plan never holds.
 *
 * @param saving - the plan goes to a file (`--plan-out`): a password given by value is refused at once
 * @throws UsageError `CONFIG_BAD_OPTION` unless exactly one of the three is given;
 *   `PLAN_NEEDS_REFERENCE` when saving a plan for a connection string with a password
 */
export function connectionFrom(flags: ConnectionFlags, flag: string, saving = false): PlannedConnection {
  const given = [flags.value, flags.env, flags.file, flags.config].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      given.length === 0
        ? `no connection for ${flag}: give ${flag} <uri>, ${flag}-env <NAME> or ${flag}-file <path>`
        : `give only one of ${flag} <uri>, ${flag}-env <NAME> and ${flag}-file <path>`,
      {
        hint: `${flag}-env NAME, ${flag}-file PATH, $DBFORK_SOURCE_URI / $DBFORK_TARGET_URI or dbfork.yaml (\${VAR}) keep the connection string and its password off the command line`,
      },
    );
  }
  if (flags.config !== undefined) return { ref: { config: flags.config }, args: {} };
  if (flags.env !== undefined) return { ref: { env: flags.env }, args: {} };
  if (flags.file !== undefined) return { ref: { file: flags.file }, args: {} };
  const uri = flags.value ?? '';
  registerUriSecrets(uri);
  if (!uriHoldsCredential(uri)) return { ref: { uri }, args: {} };
  if (saving) {
    throw new UsageError(
      'PLAN_NEEDS_REFERENCE',
      `${flag} holds a password, and a plan file never holds one`,
      {
        hint: `pass it by name instead: ${flag}-env NAME or ${flag}-file PATH`,
      },
    );
  }
  return { ref: { arg: flag }, args: { [flag]: uri } };
}
