import { TargetError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { isBroken, isSettled } from '../../rds/db-instance.js';
import { RdsRunParamsSchema, type RdsRunParams } from '../../rds/clone-steps.js';
import { TAG_LEASE } from '../../rds/clone-tags.js';
import { parseLease } from '../../rds/run-lease.js';
import type { RdsApiFor } from './rds-step-operation.js';

/** `rds.await`: wait until every id is an available instance. */
export function rdsAwaitOperation(apiFor: RdsApiFor): OperationKind<RdsRunParams> {
  return {
    kind: 'rds.await',
    params: RdsRunParamsSchema,
    async ready(params) {
      const api = await apiFor(params.connection);
      const found = await Promise.all(params.ids.map((id) => api.describe(id)));
      const broken = found.find((f) => f && isBroken(f));
      if (broken)
        throw new TargetError('RDS_INSTANCE_FAILED', `${broken.id} is ${broken.status}`, {
          subject: { instance: broken.id },
        });
      return found.every((f) => f !== undefined && isSettled(f));
    },
    timeoutError(params, waitedMs) {
      return new TargetError(
        'RDS_WAIT_TIMEOUT',
        `${params.ids.join(', ')} not available within ${waitedMs} ms`,
        {
          hint: 'rerun to resume, or give a longer --timeout',
        },
      );
    },
    async run(params) {
      return { available: params.ids };
    },
  };
}

/** `rds.release`: remove this run's lock from the ids that hold it. */
export function rdsReleaseOperation(apiFor: RdsApiFor): OperationKind<RdsRunParams> {
  return {
    kind: 'rds.release',
    params: RdsRunParamsSchema,
    async run(params) {
      const api = await apiFor(params.connection);
      const released: string[] = [];
      for (const id of params.ids) {
        const instance = await api.describe(id);
        if (parseLease(instance?.tags[TAG_LEASE])?.runId !== params.runId || !instance) continue;
        await api.removeTags(instance.arn, [TAG_LEASE]);
        released.push(id);
      }
      return { released };
    },
  };
}
