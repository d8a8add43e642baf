import type { ProjectConfig } from '../config/project-config.js';
import type { CommandContext } from './context.js';
import { createLogger } from './logger.js';
import { Output } from './output.js';
import type { RunLifecycle } from './run-lifecycle.js';

export { projectConfigFor } from './project-config-file.js';
export { completeFromConfig, presetFromConfig } from './project-options.js';
export { observeRun } from './observe-run.js';

/**
 * The context a command runs with, from the global options and the project configuration. Loaded
 * with the command it serves, so that `--version` and `--help` load no logger and read no file.
 */
export function commandContext(
  json: boolean,
  logLevel: string,
  config?: ProjectConfig,
  lifecycle?: RunLifecycle,
): CommandContext {
  return {
    ...(lifecycle ? { lifecycle } : {}),
    json,
    output: new Output(json),
    logger: createLogger({ level: logLevel as never, json }),
    ...(config ? { config } : {}),
  };
}
