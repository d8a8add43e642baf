import type { CommandContext } from './context.js';
import { createLogger } from './logger.js';
import { Output } from './output.js';

/**
 * The context a command runs with, from the global options. Loaded with the command it serves, so
 * that `--version` and `--help` load no logger.
 */
export function commandContext(json: boolean, logLevel: string): CommandContext {
  return { json, output: new Output(json), logger: createLogger({ level: logLevel as never, json }) };
}
