import { Command, CommanderError, Option } from 'commander';
import { TOOL_VERSION } from '../core/version.js';
import { COMMANDS } from './command-registry.js';
import type { CommandContext } from './context.js';
import { addCommandStubs, defineInvokedCommand } from './lazy-commands.js';
import { LOG_LEVELS } from './log-levels.js';

interface GlobalOptions {
  json?: boolean;
  logLevel: string;
}

/**
 * The command tree for one run: every command listed (from {@link COMMANDS}), and the one `argv`
 * names defined in full. Each command gets a {@link CommandContext} built from the global options
 * when it runs.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('dbfork');
  let context: CommandContext | undefined;
  let makeContext: ((json: boolean, level: string) => CommandContext) | undefined;
  const getContext = (): CommandContext => {
    if (!context) {
      const opts = program.opts<GlobalOptions>();
      context = makeContext!(Boolean(opts.json), opts.logLevel);
    }
    return context;
  };
  program
    .description('Fresh, safe, anonymized copies of production MongoDB for staging and preview environments')
    .version(TOOL_VERSION, '-V, --version')
    .option(
      '--json',
      'machine-readable output: NDJSON events and a final result on stdout, JSON log lines on stderr',
    )
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('warn'))
    .showHelpAfterError()
    .exitOverride();
  addCommandStubs(program, COMMANDS);
  if (await defineInvokedCommand(program, argv, ['--log-level'], getContext))
    makeContext = (await import('./command-context.js')).commandContext;
  return program;
}

export { CommanderError };
