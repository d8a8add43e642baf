import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ATLAS_DUMP, type TestServers } from './servers.js';

/**
 * Load Atlas sample collections into one database of a server with the real mongorestore
 * (`--noIndexRestore`: FerretDB rejects the `ns` index option mongorestore adds).
 * @param collections - pairs of [sample database, collection], e.g. ['sample_mflix', 'users']
 */
export function loadAtlasCollections(
  servers: TestServers,
  uri: string,
  db: string,
  collections: readonly (readonly [string, string])[],
): void {
  for (const [sampleDb, coll] of collections) {
    execFileSync(join(servers.toolsBin, 'mongorestore'), [
      `--uri=${uri}`,
      `--db=${db}`,
      `--collection=${coll}`,
      '--noIndexRestore',
      '--quiet',
      join(ATLAS_DUMP, sampleDb, `${coll}.bson`),
    ]);
  }
}
