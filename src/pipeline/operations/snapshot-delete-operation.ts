import { z } from 'zod';
import { PolicyError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import type { SnapshotInfo } from '../../store/snapshot-catalog.js';

const SnapshotDeleteParamsSchema = z.strictObject({
  store: z.string(),
  name: z.string(),
  id: z.string(),
  /** What the planner saw: a complete snapshot retention drops, or an abandoned incomplete one. */
  expect: z.enum(['complete', 'abandoned']),
});

export type SnapshotDeleteParams = z.infer<typeof SnapshotDeleteParamsSchema>;

/**
 * `snapshot.delete` (retention): remove one snapshot. Its live check refuses when the store changed
 * under the plan: the snapshot became `latest` (never pruned), or an abandoned one is being written
 * or completed. Already gone: skipped, already done.
 *
 * @throws PolicyError `PLAN_STALE` from the check
 */
export const snapshotDeleteOperation: OperationKind<SnapshotDeleteParams> = {
  kind: 'snapshot.delete',
  params: SnapshotDeleteParamsSchema,
  async check(params) {
    const store = await openSnapshotStore(params.store);
    const info = await find(params);
    if (!info) return;
    const stale =
      params.expect === 'complete'
        ? (await store.latest(params.name)) === params.id && 'it is latest now'
        : (info.status === 'complete' || info.inProgress) && 'it is being written or complete now';
    if (stale) {
      throw new PolicyError('PLAN_STALE', `the plan deletes ${params.name}@${params.id}, but ${stale}`, {
        subject: { snapshot: `${params.name}@${params.id}` },
        hint: 'plan again: dbfork snapshot prune … --plan-out <file>',
        labels: ['noWritesPerformed'],
      });
    }
  },
  async isDone(params) {
    return (await find(params)) === undefined;
  },
  async run(params) {
    await (await openSnapshotStore(params.store)).delete(params.name, params.id);
    return { deleted: `${params.name}@${params.id}` };
  },
};

async function find(params: SnapshotDeleteParams): Promise<SnapshotInfo | undefined> {
  return (await (await openSnapshotStore(params.store)).info(params.name, params.id)) ?? undefined;
}
