import type { MongoClient, ReadPreferenceMode } from 'mongodb';
import { connectMongo, hostsOf } from '../connect.js';
import { clientCommandRunner } from '../command-runner.js';
import { probeCapabilities } from '../probe-capabilities.js';
import { sameCluster, type SameCluster } from './same-cluster.js';
import type { CopyCommandRunner } from './server-side-copy.js';

/** What decides between a server-side copy and streaming, with the runner to copy through. */
export interface CopySession {
  readonly run: CopyCommandRunner;
  readonly sameCluster: SameCluster;
  /** `$out` as the source server answered the probe: true, false, or null (unknown). */
  readonly outSupported: boolean | null;
  readonly outEvidence: string;
  readonly serverVersion: string;
  /** MongoDB 5.0+ runs `$out` on a secondary (`secondaryPreferred`); older servers need the primary. */
  readonly readPreference: 'secondary' | 'secondaryPreferred' | 'primary';
  close(): Promise<void>;
}

/** Wrap a runner (the seam tests record and answer through it). Identity by default. */
export type RunnerWrapper = (run: CopyCommandRunner) => CopyCommandRunner;

/**
 * Open the source connection that a server-side copy runs on, and compare it with the other end
 * (the store or the restore target) by `hello`. `$out` is probed on the source with doctor's
 * side-effect-free probe. All commands go through `wrap(run)`.
 *
 * @throws SourceError `SOURCE_UNREACHABLE`; TargetError `TARGET_UNREACHABLE` for the other end
 */
export async function openCopySession(
  sourceUri: string,
  otherUri: string,
  wrap: RunnerWrapper = (run) => run,
): Promise<CopySession> {
  const source = await connectMongo(sourceUri, { role: 'source' });
  let other: MongoClient | undefined;
  try {
    other = await connectMongo(otherUri, { role: 'target' });
    const raw: CopyCommandRunner = (db, command, readPreference) =>
      source
        .db(db)
        .command(command, readPreference ? { readPreference: readPreference as ReadPreferenceMode } : {});
    const run = wrap(raw);
    const helloA = await run('admin', { hello: 1 });
    const helloB = await clientCommandRunner(other)('admin', { hello: 1 });
    const build = await run('admin', { buildInfo: 1 });
    const version = typeof build.version === 'string' ? build.version : '0.0.0';
    const major = Number(version.split('.')[0] ?? 0);
    const probed = await probeCapabilities((db, command) => run(db, command), null);
    const out = probed.find((c) => c.name === '$out');
    await other.close();
    other = undefined;
    return {
      run,
      sameCluster: sameCluster(
        { hello: helloA, seeds: hostsOf(sourceUri).split(',') },
        { hello: helloB, seeds: hostsOf(otherUri).split(',') },
      ),
      outSupported: out?.supported ?? null,
      outEvidence: out?.evidence ?? 'not probed',
      serverVersion: version,
      readPreference: major >= 5 ? 'secondaryPreferred' : 'primary',
      close: () => source.close(),
    };
  } catch (error) {
    await other?.close().catch(() => undefined);
    await source.close().catch(() => undefined);
    throw error;
  }
}
