import type { InstanceMap } from './db-instance.js';
import { copyOf } from './clone-state.js';
import { OLD_PREFIX, oldId, tempId } from './clone-names.js';
import { isCloneOf } from './clone-tags.js';
import type { RdsStepKind, RdsStepParams } from './clone-steps.js';
import { MODIFY_FIELDS } from './predict.js';

/**
 * Why a step has nothing left to do in `state`, or undefined when it must run. The one skip rule of
 * both the dry run (over predicted state) and the executor's resume check (over live state):
 * - create / restore: the copy exists (as `temp-<name>`, or under the target name once renamed);
 * - promote: the copy has no replication source;
 * - modify: the copy already has every requested setting;
 * - reboot: no parameter change waits for a reboot;
 * - rename to `old-*`: the target-tree node is there already (and its name is free or the copy's);
 * - rename of the copy: `temp-<name>` is gone and `<name>` is this run's copy;
 * - delete: `old-<name>` is gone.
 */
export function satisfied(kind: RdsStepKind, params: RdsStepParams, state: InstanceMap): string | undefined {
  const { logical, runId, request } = params;
  const copy = copyOf(state, logical, runId);
  switch (kind) {
    case 'rds.create-replica':
    case 'rds.restore-snapshot':
      return copy ? `${copy.id} exists` : undefined;
    case 'rds.promote':
      return copy && copy.sourceId === undefined ? `${copy.id} is not a replica` : undefined;
    case 'rds.modify': {
      if (!copy) return undefined;
      const same = Object.entries(MODIFY_FIELDS).every(
        ([field, key]) => request[field] === undefined || copy[key] === request[field],
      );
      return same ? `${copy.id} has these settings` : undefined;
    }
    case 'rds.reboot':
      return copy && copy.parameterApplyStatus !== 'pending-reboot'
        ? `no parameter change of ${copy.id} waits for a reboot`
        : undefined;
    case 'rds.rename': {
      if (String(request.NewDBInstanceIdentifier).startsWith(OLD_PREFIX)) {
        const current = state.get(logical);
        return state.has(oldId(logical)) && (!current || isCloneOf(current.tags, runId))
          ? `${logical} is ${oldId(logical)} already`
          : undefined;
      }
      return !state.has(tempId(logical)) && isCloneOf(state.get(logical)?.tags, runId)
        ? `${tempId(logical)} is ${logical} already`
        : undefined;
    }
    case 'rds.delete':
      return state.has(oldId(logical)) ? undefined : `${oldId(logical)} is gone`;
  }
}
