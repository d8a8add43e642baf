import type { Document } from 'mongodb';
import { connectMongo } from './connect.js';

/** Admin commands on one member (`hello`, `replSetGetConfig`, `fsyncLock`, `fsyncUnlock`). */
export interface MemberAdmin {
  run(command: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>>;
  close(): Promise<void>;
}

/**
 * Connect to one replica-set member directly and run commands on its `admin` database.
 *
 * @throws UsageError `CONFIG_BAD_URI`; SourceError `SOURCE_UNREACHABLE` when it does not answer
 */
export async function openMemberAdmin(uri: string, timeoutMs = 10_000): Promise<MemberAdmin> {
  const client = await connectMongo(uri, { role: 'source', timeoutMs, readPreference: 'secondaryPreferred' });
  return {
    run: async (command) =>
      (await client.db('admin').command(command as Document)) as Record<string, unknown>,
    close: () => client.close(),
  };
}
