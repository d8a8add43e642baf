import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the real local test servers listen (written by `scripts/test-servers up`). */
export interface TestServers {
  readonly sourceUri: string;
  readonly targetUri: string;
  readonly awsEndpoint: string;
  readonly gcsEndpoint: string;
  /** Folder holding mongodump, mongorestore and bsondump. */
  readonly toolsBin: string;
}

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED = join(REPO_ROOT, '..', 'shared');
export const DATASETS = join(SHARED, 'datasets');
export const ATLAS_DUMP = join(DATASETS, 'atlas-sample-dump');
export const TOOLS_ARCHIVES = join(DATASETS, 'mongo-tools-archives');

/**
 * The test servers' addresses, from the environment or `.test-servers.env`.
 * Throws when the servers are not up: integration tests must not silently skip.
 */
export function testServers(): TestServers {
  const env = { ...readEnvFile(), ...pick(process.env) };
  const get = (key: string): string => {
    const value = env[key];
    if (!value)
      throw new Error(`${key} is not set: run \`scripts/test-servers up\` (npm test does it for you)`);
    return value;
  };
  return {
    sourceUri: get('DBFORK_TEST_SOURCE_URI'),
    targetUri: get('DBFORK_TEST_TARGET_URI'),
    awsEndpoint: get('DBFORK_TEST_AWS_ENDPOINT'),
    gcsEndpoint: get('DBFORK_TEST_GCS_ENDPOINT'),
    toolsBin: get('DBFORK_TEST_TOOLS_BIN'),
  };
}

/**
 * A value written by one of `scripts/test-tools/*.sh` (e.g. `testTool('AGE_BIN')` for
 * `DBFORK_TEST_AGE_BIN`), from the environment or `.test-servers.env`.
 * Throws when it is not set: tests that need a real tool must not silently skip.
 */
export function testTool(key: string): string {
  const name = `DBFORK_TEST_${key}`;
  const value = { ...readEnvFile(), ...pick(process.env) }[name];
  if (!value)
    throw new Error(`${name} is not set: run \`scripts/test-servers up\` (npm test does it for you)`);
  return value;
}

function pick(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (k.startsWith('DBFORK_TEST_') && v) out[k] = v;
  return out;
}

function readEnvFile(): Record<string, string> {
  const file = join(REPO_ROOT, '.test-servers.env');
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export (\w+)='(.*)'$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

/** A database name unique to one test run, so tests never see each other's data. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
