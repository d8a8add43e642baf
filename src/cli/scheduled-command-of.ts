import { UsageError } from '../errors/index.js';
import { uriHoldsCredential } from '../plan/secret-ref.js';
import type { ScheduledCommand } from '../schedule/scheduled-command.js';
import { COMMANDS, type CommandSpec } from './command-registry.js';

/** The program's options that take a value, as `dbfork <options> <command>` may start. */
const GLOBAL_VALUE_FLAGS = ['--log-level'];

/**
 * The dbfork command a schedule runs, from the words after `--`: global options, then a command of
 * the registry (`snapshot create …`), or only `--version`.
 *
 * @throws UsageError `SCHEDULE_BAD_COMMAND` for no command, an unknown one or `schedule` itself;
 *   `SCHEDULE_SECRET_IN_COMMAND` for a connection string with a password among the arguments (the
 *   process list, the crontab and the unit files would show it)
 */
export function scheduledCommandOf(args: readonly string[]): ScheduledCommand {
  for (const arg of args) {
    const value = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (uriHoldsCredential(value))
      throw new UsageError(
        'SCHEDULE_SECRET_IN_COMMAND',
        'the scheduled command holds a connection string with a password',
        {
          hint: 'put it in the environment (e.g. DBFORK_SOURCE_URI in the env file) and pass it by name: --uri-env DBFORK_SOURCE_URI',
        },
      );
  }
  let i = 0;
  while (i < args.length && (args[i] ?? '').startsWith('-')) {
    if (args[i] === '--version' || args[i] === '-V') return { args, command: 'version', database: '' };
    i += GLOBAL_VALUE_FLAGS.includes(args[i] ?? '') ? 2 : 1;
  }
  const words: string[] = [];
  let level: readonly CommandSpec[] = COMMANDS;
  for (; i < args.length; i++) {
    const spec = level.find((s) => s.name === args[i]);
    if (spec === undefined || spec.name === 'schedule') break;
    words.push(spec.name);
    if (!('subcommands' in spec)) return { args, command: words.join('_'), database: dbOf(args) };
    level = spec.subcommands;
  }
  const given = args.slice(i, i + 1)[0];
  throw new UsageError(
    'SCHEDULE_BAD_COMMAND',
    given === 'schedule'
      ? 'schedule cannot schedule itself'
      : given === undefined
        ? `schedule needs a dbfork command after --${words.length ? ` (${words.join(' ')} needs a subcommand)` : ''}`
        : `${[...words, given].join(' ')} is not a dbfork command`,
    {
      hint: 'e.g. dbfork schedule --cron "0 2 * * *" -- snapshot create --uri-env DBFORK_SOURCE_URI --db app',
    },
  );
}

function dbOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--db') return args[i + 1] ?? '';
    if (args[i]?.startsWith('--db=')) return args[i]!.slice('--db='.length);
  }
  return '';
}
