import { z } from 'zod';
import { isDbforkError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { normalizeStoreUrl, openSnapshotStore } from '../../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import { snapshotWaitTimeout } from '../wait-for-snapshot.js';

const SnapshotAwaitParamsSchema = z.strictObject({
  /** `name`, `name@latest` or `name@<id>`. */
  snapshot: z.string(),
  /** Store URL. */
  store: z.string(),
});

export type SnapshotAwaitParams = z.infer<typeof SnapshotAwaitParamsSchema>;

/**
 * `snapshot.await`: wait (the operation's `waitFor`) until a complete snapshot answers the reference,
 * e.g. the first preview deploy coming before the first scheduled snapshot. Read-only.
 *
 * @throws StoreError `SNAPSHOT_WAIT_TIMEOUT` at the deadline; other store errors at once
 */
export const snapshotAwaitOperation: OperationKind<SnapshotAwaitParams> = {
  kind: 'snapshot.await',
  params: SnapshotAwaitParamsSchema,
  async ready(params) {
    try {
      await (await openSnapshotStore(params.store)).resolve(parseSnapshotRef(params.snapshot));
      return true;
    } catch (error) {
      if (isDbforkError(error) && error.code === 'SNAPSHOT_NOT_FOUND') return false;
      throw error;
    }
  },
  timeoutError(params, waitedMs) {
    return snapshotWaitTimeout(parseSnapshotRef(params.snapshot), normalizeStoreUrl(params.store), waitedMs);
  },
  async run(params) {
    const { manifest } = await (
      await openSnapshotStore(params.store)
    ).resolve(parseSnapshotRef(params.snapshot));
    return { snapshot: `${manifest.name}@${manifest.id}` };
  },
};
