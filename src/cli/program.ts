import { Command, CommanderError, Option } from 'commander';
import { TOOL_VERSION } from '../core/version.js';
import { COMMANDS } from './command-registry.js';
import type { ProjectConfig } from '../config/project-config.js';
import type { CommandContext } from './context.js';
import { addCommandStubs, defineInvokedCommand } from './lazy-commands.js';
import { LOG_LEVELS } from './log-levels.js';
import { RunLifecycle } from './run-lifecycle.js';
import { setConnectionTimeouts } from '../core/connection-timeouts.js';
import { connectionTimeoutOptions, parseConnectionTimeouts } from './option-groups.js';

interface GlobalOptions {
  json?: boolean;
  logLevel: string;
  socketTimeout?: string;
  serverSelectionTimeout?: string;
}

const HELP = ['--help', '-h', 'help'];

/**
 * The command tree for one run: every command listed (from {@link COMMANDS}), and the one `argv`
 * names defined in full. Each command gets a {@link CommandContext} built from the global options
 * when it runs. The project configuration (dbfork.yaml) is read only when a command is invoked: its
 * values fill required options before parsing and every other option the command line left unset
 * once parsed (cli/project-options.ts).
 *
 * An audited command is wrapped once, here, by `observeRun` (audit trail, notifications), which
 * hangs its end on `lifecycle`.
 *
 * @throws UsageError from dbfork.yaml (`CONFIG_*`), except when only help is asked for
 */
export async function buildProgram(
  argv: readonly string[],
  lifecycle: RunLifecycle = new RunLifecycle(),
): Promise<Command> {
  const program = new Command('dbfork');
  let context: CommandContext | undefined;
  let makeContext: ((json: boolean, level: string) => CommandContext) | undefined;
  const getContext = (): CommandContext => {
    if (!context) {
      const opts = program.opts<GlobalOptions>();
      setConnectionTimeouts(parseConnectionTimeouts(opts));
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
    .option(
      '--config <file>',
      'project configuration (default $DBFORK_CONFIG, else dbfork.yaml in this folder or a parent up to the repository root)',
    )
    .showHelpAfterError()
    .exitOverride();
  for (const option of connectionTimeoutOptions()) program.addOption(option);
  addCommandStubs(program, COMMANDS);
  const command = await defineInvokedCommand(
    program,
    argv,
    ['--log-level', '--config', '--socket-timeout', '--server-selection-timeout'],
    getContext,
  );
  if (command) {
    const setup = await import('./command-context.js');
    let config: ProjectConfig | undefined;
    try {
      config = setup.projectConfigFor(argv);
    } catch (error) {
      if (!argv.some((a) => HELP.includes(a))) throw error;
    }
    setup.presetFromConfig(command, config);
    program.hook('preAction', (_program, action) => setup.completeFromConfig(action, config));
    setup.observeRun(program, command, lifecycle, getContext, config);
    makeContext = (json, level) => setup.commandContext(json, level, config, lifecycle);
  }
  return program;
}

export { CommanderError };
