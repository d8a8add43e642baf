import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The project configuration file's name. */
export const PROJECT_CONFIG_NAME = 'dbfork.yaml';

/**
 * Find dbfork.yaml for a working directory: in `cwd`, then in each parent folder up to and including
 * the repository root (the nearest folder holding `.git`); outside a repository, only in `cwd`.
 * Reads nothing but the folders' entries.
 *
 * @returns the file's path, or undefined when there is none
 */
export function findProjectConfig(cwd: string): string | undefined {
  const start = resolve(cwd);
  const root = repositoryRoot(start);
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, PROJECT_CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    if (root === undefined || dir === root || dirname(dir) === dir) return undefined;
  }
}

function repositoryRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
