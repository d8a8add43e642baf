import { Command, CommanderError, Option } from 'commander';
import { TOOL_VERSION } from '../core/version.js';
import { createLogger, LOG_LEVELS } from './logger.js';
import { Output } from './output.js';
import type { CommandContext } from './context.js';
import { registerDoctor } from './commands/doctor.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerRestore } from './commands/restore.js';
import { registerArchive } from './commands/archive-inspect.js';
import { registerAnonymize } from './commands/anonymize.js';
import { registerScan } from './commands/scan.js';
import { registerRefresh } from './commands/refresh.js';
import { registerApply } from './commands/apply.js';

interface GlobalOptions {
  json?: boolean;
  logLevel: string;
}

/**
 * The command tree, declared in one place. Each command lives in `cli/commands/<name>.ts` and gets a
 * {@link CommandContext} built from the global options when it runs.
 */
export function buildProgram(): Command {
  const program = new Command('dbfork');
  let context: CommandContext | undefined;
  const getContext = (): CommandContext => {
    if (!context) {
      const opts = program.opts<GlobalOptions>();
      const json = Boolean(opts.json);
      context = {
        json,
        output: new Output(json),
        logger: createLogger({ level: opts.logLevel as never, json }),
      };
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
  registerDoctor(program, getContext);
  registerSnapshot(program, getContext);
  registerRestore(program, getContext);
  registerArchive(program, getContext);
  registerAnonymize(program, getContext);
  registerScan(program, getContext);
  registerRefresh(program, getContext);
  registerApply(program, getContext);
  return program;
}

export { CommanderError };
