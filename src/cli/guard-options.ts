import type { Command } from 'commander';
import { UsageError } from '../errors/index.js';
import { lastFillsFrom } from './project-options.js';
import {
  DEFAULT_EPHEMERAL_PATTERN,
  type SourceRef,
  type TargetGuardConfig,
} from '../target/guard/target-guard.js';

/** The target-guard flags as commander parses them. */
export interface GuardFlags {
  allowTarget: string[];
  confirm?: string;
  protectDb: string[];
  ephemeralPattern: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Add the target guard's flags to a command that writes to a target (restore, refresh). The
 * protected names of dbfork.yaml are added to `--protect-db`'s; its ephemeral pattern is the default
 * of `--ephemeral-pattern`.
 */
export function addGuardOptions(command: Command): Command {
  command
    .option(
      '--allow-target <regex>',
      'allow a non-ephemeral target db (repeatable; needs --confirm)',
      collect,
      [],
    )
    .option('--confirm <db>', 'repeat the target db name to confirm a long-lived target');
  return addProtectionOptions(command);
}

/** `--protect-db` (merged with dbfork.yaml's protected names) and `--ephemeral-pattern`. */
export function addProtectionOptions(command: Command): Command {
  command.option(
    '--protect-db <name>',
    "a production or snapshot db name that is never a target (repeatable; added to dbfork.yaml's)",
    collect,
    [],
  );
  lastFillsFrom(command, { kind: 'protected' });
  command.option(
    '--ephemeral-pattern <regex>',
    "ephemeral target names (default: dbfork.yaml's, else this)",
    DEFAULT_EPHEMERAL_PATTERN,
  );
  return lastFillsFrom(command, { kind: 'ephemeral-pattern' });
}

/**
 * The guard's configuration from its flags, plus the source the data came from (never a target).
 * @throws UsageError `CONFIG_BAD_OPTION` for a regex that does not compile
 */
export function guardConfigFrom(flags: GuardFlags, source?: SourceRef): TargetGuardConfig {
  for (const pattern of [...flags.allowTarget, flags.ephemeralPattern]) {
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `not a valid regex: ${pattern} (${(error as Error).message})`,
      );
    }
  }
  return {
    ephemeralPattern: flags.ephemeralPattern,
    allowTargets: flags.allowTarget,
    protectedDbs: flags.protectDb,
    ...(flags.confirm === undefined ? {} : { confirm: flags.confirm }),
    ...(source ? { source } : {}),
  };
}
