import { findProjectConfig } from '../config/find-project-config.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';

/**
 * The project configuration a run uses: `--config <file>` (anywhere on the command line), else
 * `$DBFORK_CONFIG`, else dbfork.yaml found from the working directory up to the repository root
 * (see findProjectConfig), else none.
 *
 * @throws UsageError `CONFIG_FILE_UNREADABLE` for a named file that cannot be read; `CONFIG_SYNTAX`,
 *   `CONFIG_INVALID` (file:line and key path) for a bad one
 */
export function projectConfigFor(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): ProjectConfig | undefined {
  const file = configFlag(argv) ?? (env.DBFORK_CONFIG || undefined) ?? findProjectConfig(cwd);
  return file === undefined ? undefined : loadProjectConfig(file, env);
}

/** The value of `--config <file>` / `--config=<file>` before `--`, if given. */
function configFlag(argv: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg === '--config') value = argv[++i];
    else if (arg.startsWith('--config=')) value = arg.slice('--config='.length);
  }
  return value;
}
