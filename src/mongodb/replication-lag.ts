import type { Document } from 'mongodb';
import { SourceError } from '../errors/index.js';
import type { CommandRunner } from './command-runner.js';

/**
 * How far the member a capture reads from trails the primary, in milliseconds: the primary's
 * `optimeDate` minus this member's (`self: true`) in `replSetGetStatus`, as `rs.printSecondaryReplicationInfo()`
 * computes it. 0 on the primary; null when the server is no replica set member or does not say.
 */
export async function replicationLagMs(run: CommandRunner): Promise<number | null> {
  let status: Document;
  try {
    status = await run('admin', { replSetGetStatus: 1 });
  } catch {
    return null;
  }
  const members = (status.members as Document[] | undefined) ?? [];
  const self = members.find((m) => m.self === true);
  const primary = members.find((m) => m.stateStr === 'PRIMARY' || Number(m.state?.valueOf()) === 1);
  const at = (m: Document | undefined): number | null =>
    m?.optimeDate instanceof Date ? m.optimeDate.getTime() : null;
  const mine = at(self);
  const theirs = at(primary);
  if (mine === null || theirs === null) return null;
  return Math.max(0, theirs - mine);
}

/**
 * Refuse a member that lags more than `maxLagMs` (`snapshot create --max-lag`).
 * @throws SourceError `SOURCE_LAGGING` with the lag and the bound in the message
 */
export async function assertLagWithin(
  run: CommandRunner,
  maxLagMs: number,
  member: string | null,
): Promise<void> {
  const lag = await replicationLagMs(run);
  if (lag === null || lag <= maxLagMs) return;
  throw new SourceError(
    'SOURCE_LAGGING',
    `the source member ${member ?? '(unknown)'} lags the primary by ${(lag / 1000).toFixed(1)} s, more than --max-lag ${(maxLagMs / 1000).toFixed(1)} s`,
    {
      hint: 'wait for the member to catch up, read another member (--read-preference), or raise --max-lag',
      labels: ['noWritesPerformed', 'retryable'],
    },
  );
}
