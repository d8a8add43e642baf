import type { ProjectConfig } from '../config/project-config.js';
import type { CommandContext } from './context.js';
import { createLogger } from './logger.js';
import { Output } from './output.js';

export { projectConfigFor } from './project-config-file.js';
export { completeFromConfig, presetFromConfig } from './project-options.js';

/**
 * The context a command runs with, from the global options and the project configuration. Loaded
 * with the command it serves, so that `--version` and `--help` load no logger and read no file.
 */
export function commandContext(json: boolean, logLevel: string, config?: ProjectConfig): CommandContext {
  return {
    json,
    output: new Output(json),
    logger: createLogger({ level: logLevel as never, json }),
    ...(config ? { config } : {}),
  };
}
