import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UsageError } from '../errors/index.js';

/** The config file's values, looked up by dotted key (`connections.target.uri`). */
export type ConfigValues = (key: string) => string | undefined;

/**
 * Load a YAML or JSON config file for `{ config: key }` references. Only string (and number) leaves
 * are values; a key naming an object or nothing resolves to undefined.
 *
 * @throws UsageError `CONFIG_FILE_UNREADABLE` when the file cannot be read or parsed
 */
export async function loadConfigValues(path: string): Promise<ConfigValues> {
  let root: unknown;
  try {
    root = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError('CONFIG_FILE_UNREADABLE', `cannot read the config file ${path}`, {
      subject: { file: path },
      hint: 'give a readable YAML or JSON file with --config',
      cause: error,
    });
  }
  return (key) => lookup(root, key);
}

/** Dotted-path lookup in a parsed document. */
function lookup(root: unknown, key: string): string | undefined {
  let node: unknown = root;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}
