import { crashPoint } from '../../core/crash-point.js';
import { PolicyError, TargetError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { isBroken, isSettled, type DbInstance } from '../../rds/db-instance.js';
import { OLD_PREFIX, oldId, tempId } from '../../rds/clone-names.js';
import {
  RDS_STEP_ACTIONS,
  RdsStepParamsSchema,
  type RdsConnection,
  type RdsStepKind,
  type RdsStepParams,
} from '../../rds/clone-steps.js';
import { globMatches, splitTag } from '../../rds/infra-guard.js';
import type { RdsApi } from '../../rds/rds-port.js';
import { treeIds } from '../../rds/replication-tree.js';
import { satisfied } from '../../rds/step-satisfied.js';
import { copyOf } from '../../rds/clone-state.js';

/** Opens the RDS API of a plan's connection (the AWS adapter, or a test's). */
export type RdsApiFor = (connection: RdsConnection) => Promise<RdsApi>;

/**
 * An operation kind sending one RDS request (`rds.create-replica`, `rds.promote`, `rds.modify`,
 * `rds.reboot`, `rds.rename`, `rds.delete`, `rds.restore-snapshot`). Its resume check describes the
 * node's three names and applies the planner's skip rule (`rds/step-satisfied.ts`) to live state;
 * its wait condition is that the instances it needs are settled (a failed one fails the step at
 * once); a rename or delete re-checks, just before the call, that the instance is neither the
 * source's tree, production-tagged nor protected. The crash point `rds-after-<kind>` follows the call.
 *
 * @throws PolicyError `TARGET_PRODUCTION` / `TARGET_PROTECTED` / `TARGET_IN_SOURCE_TREE` from a rename
 *   or delete; TargetError `RDS_INSTANCE_FAILED` from the wait; the adapter's errors from the call
 */
export function rdsStepOperation(kind: RdsStepKind, apiFor: RdsApiFor): OperationKind<RdsStepParams> {
  const action = RDS_STEP_ACTIONS[kind];
  return {
    kind,
    params: RdsStepParamsSchema,
    async isDone(params) {
      const api = await apiFor(params.connection);
      return satisfied(kind, params, await describeNames(api, params.logical)) !== undefined;
    },
    async ready(params) {
      const api = await apiFor(params.connection);
      const id = String((await aimed(api, kind, params)).DBInstanceIdentifier);
      if (kind === 'rds.restore-snapshot') return true;
      const needed = kind === 'rds.create-replica' ? String(params.request.SourceDBInstanceIdentifier) : id;
      const instance = await api.describe(needed);
      if (instance && isBroken(instance))
        throw new TargetError('RDS_INSTANCE_FAILED', `${needed} is ${instance.status}`, {
          subject: { instance: needed },
          hint: 'fix or delete the instance in the RDS console, then rerun',
        });
      if (kind === 'rds.delete') return !instance || isSettled(instance);
      if (!instance || !isSettled(instance)) return false;
      if (kind === 'rds.rename' && !String(params.request.NewDBInstanceIdentifier).startsWith(OLD_PREFIX))
        return (await api.describe(String(params.request.NewDBInstanceIdentifier))) === undefined;
      return true;
    },
    timeoutError(params, waitedMs) {
      return new TargetError(
        'RDS_WAIT_TIMEOUT',
        `${action} ${String(params.request.DBInstanceIdentifier)}: its instances did not settle within ${waitedMs} ms`,
        {
          subject: { instance: String(params.request.DBInstanceIdentifier) },
          hint: 'rerun to resume (finished steps are skipped), or give a longer --timeout',
        },
      );
    },
    async run(params) {
      const api = await apiFor(params.connection);
      const request = await aimed(api, kind, params);
      const id = String(request.DBInstanceIdentifier);
      if (params.protect) await assertReplaceable(api, id, params.protect);
      try {
        await api.mutate(action, request);
      } catch (error) {
        // a delete answered "not found" has nothing left to do once the instance is gone
        const gone = kind === 'rds.delete' && (error as { code?: string }).code === 'RDS_INSTANCE_NOT_FOUND';
        if (!gone || (await api.describe(id)) !== undefined) throw error;
      }
      crashPoint(`rds-after-${kind.slice('rds.'.length)}`);
      return { action, id };
    },
  };
}

/** Steps that act on the copy, wherever a resumed run finds it. */
const ON_COPY: ReadonlySet<RdsStepKind> = new Set(['rds.promote', 'rds.modify', 'rds.reboot']);

/** The node's three names, described. */
async function describeNames(api: RdsApi, logical: string): Promise<Map<string, DbInstance>> {
  const state = new Map<string, DbInstance>();
  const ids = [logical, tempId(logical), oldId(logical)];
  for (const found of await Promise.all(ids.map((id) => api.describe(id))))
    if (found) state.set(found.id, found);
  return state;
}

/**
 * The request, aimed at the copy where it is now: `temp-<name>`, or `<name>` once a resumed run finds
 * it renamed (a promotion or modification still pending then, e.g. where RDS had not applied it).
 */
async function aimed(
  api: RdsApi,
  kind: RdsStepKind,
  params: RdsStepParams,
): Promise<RdsStepParams['request']> {
  if (!ON_COPY.has(kind)) return params.request;
  const copy = copyOf(await describeNames(api, params.logical), params.logical, params.runId);
  return copy ? { ...params.request, DBInstanceIdentifier: copy.id } : params.request;
}

/** The last line of defence before a rename or delete: the live instance is not production. */
async function assertReplaceable(
  api: RdsApi,
  id: string,
  protect: NonNullable<RdsStepParams['protect']>,
): Promise<void> {
  const instance = await api.describe(id);
  if (!instance) return;
  const [key, value] = splitTag(protect.productionTag);
  const refuse = (code: string, why: string): never => {
    throw new PolicyError(code, `refusing to rename or delete ${id}: ${why}`, {
      subject: { instance: id },
      labels: ['noWritesPerformed'],
    });
  };
  if (instance.tags[key]?.toLowerCase() === value.toLowerCase())
    refuse('TARGET_PRODUCTION', `it is tagged ${protect.productionTag}`);
  const name = id.startsWith(OLD_PREFIX) ? id.slice(OLD_PREFIX.length) : id;
  const pattern = protect.protectedIds.find((p) => globMatches(p, name));
  if (pattern !== undefined) refuse('TARGET_PROTECTED', `it matches the protected id pattern ${pattern}`);
  const state = new Map<string, DbInstance>();
  let frontier = [protect.source];
  while (frontier.length > 0) {
    const found = (
      await Promise.all(frontier.filter((f) => !state.has(f)).map((f) => api.describe(f)))
    ).filter((f): f is DbInstance => f !== undefined);
    found.forEach((f) => state.set(f.id, f));
    frontier = found.flatMap((f) => f.replicaIds).filter((r) => !state.has(r));
  }
  if (treeIds(state, protect.source).includes(id))
    refuse('TARGET_IN_SOURCE_TREE', `it is ${protect.source} or one of its replicas`);
}
