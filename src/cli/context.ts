import type { ProjectConfig } from '../config/project-config.js';
import type { Logger } from './logger.js';
import type { Output } from './output.js';
import type { RunLifecycle } from './run-lifecycle.js';

/** What every command gets from the shell: the global options made into objects. */
export interface CommandContext {
  readonly logger: Logger;
  readonly output: Output;
  readonly json: boolean;
  /** The project configuration (dbfork.yaml) of this run, when there is one. */
  readonly config?: ProjectConfig;
  /** The run as the shell sees it (audit, notifications); metrics hand it their recorder. */
  readonly lifecycle?: RunLifecycle;
}
