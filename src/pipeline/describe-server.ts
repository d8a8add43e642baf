import { hostsOf } from '../mongodb/connect.js';
import type { DoctorReport } from '../mongodb/doctor.js';
import { MongoDbSource } from '../mongodb/mongodb-source.js';

/**
 * `dbfork doctor`: what a server is, holds and can do, by read-only commands and probes.
 *
 * @param timeoutMs - server selection timeout
 * @throws SourceError when the server cannot be reached
 */
export async function describeServer(
  uri: string,
  timeoutMs: number,
): Promise<{ host: string; report: DoctorReport }> {
  const source = await MongoDbSource.connect(uri, { timeoutMs });
  try {
    return { host: hostsOf(uri), report: await source.describe() };
  } finally {
    await source.close();
  }
}
