import { UsageError } from '../errors/index.js';
import type { Aspect } from '../plan/aspects.js';
import { newPlan } from '../plan/new-plan.js';
import type { Plan, PlanOperation, WaitFor } from '../plan/plan-schema.js';
import type { InstanceMap } from './db-instance.js';
import { targetTree, type TargetNode } from './clone-state.js';
import { oldId, tempId } from './clone-names.js';
import { copiedAttributes, copyTags, modifyRequest } from './clone-requests.js';
import type { RdsConnection, RdsStepKind, RdsStepParams } from './clone-steps.js';
import { checkInfraTarget, type InfraGuardConfig } from './infra-guard.js';
import { predict } from './predict.js';
import type { DbSnapshot } from './rds-port.js';
import { leavesFirst, treeIds } from './replication-tree.js';
import { satisfied } from './step-satisfied.js';

/** What the planner is given: described live state and the command's choices. */
export interface RdsClonePlanInput {
  /** Every instance the loader described (source tree, target tree under all its names, copies). */
  readonly state: InstanceMap;
  /** The clone run: a fresh id, or the one of an interrupted run found in the lease. */
  readonly runId: string;
  readonly guard: InfraGuardConfig;
  readonly connection: RdsConnection;
  /** `--restore-snapshot`: restore the root from the source's latest snapshot instead of replicating. */
  readonly restoreSnapshot: boolean;
  /** The source's latest available snapshot (needed in snapshot mode). */
  readonly snapshot?: DbSnapshot;
  /** `--restart`: a shell command run after the swap, before the old tree is deleted. */
  readonly restart?: string;
  readonly keepOld: boolean;
  /** Per step: first pause between looks and deadline, in ms. */
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly now?: Date;
}

/**
 * The flight plan of an RDS clone, as data (docs/rds.md), in the manner of stack-mitosis:
 * 1. take the run lock (`rds.lease`, which re-checks the guard live);
 * 2. copy the target tree as `temp-*`, breadth first: the root as a read replica of the source,
 *    promoted, then modified (backups, windows, parameter group; a reboot when the change waits for
 *    one), or restored from the source's latest snapshot (`--restore-snapshot`, or the VPCs differ);
 *    every other node as a replica of its parent's copy, modified likewise;
 * 3. rename the target tree to `old-*`, leaves first; 4. rename the copies to the target names;
 * 5. wait for them; 6. the restart hook; 7. delete `old-*`, leaves first (unless `keepOld`);
 * 8. drop the lock.
 * The guard's verdict is recorded; `preview.skipped` says which steps a rerun of a partly done clone
 * skips, and why, judged on the state predicted step by step.
 *
 * @throws UsageError `RDS_INSTANCE_NOT_FOUND` for a source or target that does not exist,
 *   `RDS_NO_SNAPSHOT` in snapshot mode without an available snapshot of the source
 */
export function planRdsClone(input: RdsClonePlanInput): Plan {
  const { state, runId, guard: config } = input;
  const source = state.get(config.source);
  if (!source) throw notFound(config.source, '--source');
  const tree = targetTree(state, config.target, runId);
  const root = tree[0];
  if (!root) throw notFound(config.target, '--target');
  const guard = checkInfraTarget(state, config, runId);
  const snapshotMode = input.restoreSnapshot || (source.vpcId ?? '') !== (root.instance.vpcId ?? '');
  if (snapshotMode && !input.snapshot)
    throw new UsageError('RDS_NO_SNAPSHOT', `${config.source} has no available snapshot to restore from`, {
      subject: { instance: config.source },
      hint: input.restoreSnapshot
        ? 'take a snapshot of the source first, or clone without --restore-snapshot'
        : 'the source and target are in different VPCs, so the copy starts from a snapshot: take one first',
    });
  const wait: WaitFor = {
    timeoutMs: input.timeoutMs,
    intervalMs: input.pollIntervalMs,
    maxIntervalMs: input.pollIntervalMs * 4,
  };
  const step = stepMaker(input, wait);
  const copy = tree.flatMap((node) =>
    copySteps(node, input, step, snapshotMode ? input.snapshot : undefined),
  );
  const targets = tree.map((n) => n.logical);
  const protect = {
    productionTag: config.productionTag,
    protectedIds: [...config.protectedIds],
    source: config.source,
  };
  const renameOld = leavesFirst(targets).map((l) =>
    step(
      'rds.rename',
      'rename-old',
      l,
      `rename ${l} to ${oldId(l)}`,
      { DBInstanceIdentifier: l, NewDBInstanceIdentifier: oldId(l), ApplyImmediately: true },
      protect,
    ),
  );
  const renameTemp = leavesFirst(targets).map((l) =>
    step('rds.rename', 'rename-temp', l, `rename ${tempId(l)} to ${l}`, {
      DBInstanceIdentifier: tempId(l),
      NewDBInstanceIdentifier: l,
      ApplyImmediately: true,
    }),
  );
  const run = { connection: input.connection, runId, target: config.target };
  const operations: PlanOperation[] = [
    {
      id: 'lease',
      kind: 'rds.lease',
      description: `take the run lock on ${config.target} (tag dbfork:lease) after re-checking the guard`,
      aspects: ['idempotent'],
      params: {
        connection: input.connection,
        runId,
        source: config.source,
        target: config.target,
        ttlMs: 0,
        guard: {
          productionTag: config.productionTag,
          protectedIds: [...config.protectedIds],
          ...(config.confirm === undefined ? {} : { confirm: config.confirm }),
          rawCopyAccepted: config.rawCopyAccepted,
        },
      },
    },
    ...copy,
    ...renameOld,
    ...renameTemp,
    {
      id: 'await-targets',
      kind: 'rds.await',
      description: `wait until ${targets.join(', ')} are available under their names`,
      aspects: ['idempotent'],
      params: { ...run, ids: targets },
      waitFor: wait,
    },
    ...(input.restart === undefined
      ? []
      : [
          {
            id: 'restart',
            kind: 'shell.run',
            description: `run the restart hook: ${input.restart}`,
            aspects: [] as Aspect[],
            params: { argv: ['/bin/sh', '-c', input.restart] },
          },
        ]),
    ...(input.keepOld
      ? []
      : leavesFirst(targets).map((l) =>
          step(
            'rds.delete',
            'delete',
            oldId(l),
            `delete ${oldId(l)} (no final snapshot)`,
            { DBInstanceIdentifier: oldId(l), SkipFinalSnapshot: true },
            protect,
            l,
          ),
        )),
    {
      id: 'release',
      kind: 'rds.release',
      description: `drop the run lock of ${config.target}`,
      aspects: ['idempotent'],
      params: { ...run, ids: [config.target, oldId(config.target)] },
    },
  ];
  const ttlMs = operations.reduce((sum, op) => sum + (op.waitFor?.timeoutMs ?? 0), 0) + 3_600_000;
  (operations[0]!.params as { ttlMs: number }).ttlMs = ttlMs;
  return newPlan({
    command: 'rds clone',
    summary: `clone ${config.source} onto the ${targets.length}-instance tree of ${config.target}${snapshotMode ? ` from snapshot ${input.snapshot!.id}` : ''}`,
    operations,
    guard,
    ...(input.now ? { now: input.now } : {}),
    preview: {
      runId,
      source: config.source,
      mode: snapshotMode ? 'snapshot' : 'replica',
      ...(snapshotMode ? { snapshot: input.snapshot!.id } : {}),
      arnPrefix: source.arn.replace(/:db:[^:]+$/, ''),
      sourceTree: treeIds(state, config.source),
      targetTree: tree.map((n) => ({
        id: n.logical,
        now: n.instance.id,
        ...(n.parent ? { parent: n.parent } : {}),
      })),
      described: [
        ...new Set([...treeIds(state, config.source), ...targets.flatMap((l) => [l, oldId(l), tempId(l)])]),
      ],
      skipped: skipsOf(operations, state),
    },
  });
}

type StepMaker = (
  kind: RdsStepKind,
  prefix: string,
  id: string,
  description: string,
  request: RdsStepParams['request'],
  protect?: RdsStepParams['protect'],
  logical?: string,
) => PlanOperation;

const ASPECTS: Readonly<Record<RdsStepKind, Aspect[]>> = {
  'rds.create-replica': ['costs-money', 'idempotent', 'retryable'],
  'rds.restore-snapshot': ['costs-money', 'idempotent', 'retryable'],
  'rds.promote': ['idempotent', 'retryable'],
  'rds.modify': ['idempotent', 'retryable'],
  'rds.reboot': ['idempotent'],
  'rds.rename': ['destructive', 'needs-confirmation', 'idempotent'],
  'rds.delete': ['destructive', 'needs-confirmation', 'idempotent'],
};

function stepMaker(input: RdsClonePlanInput, wait: WaitFor): StepMaker {
  return (kind, prefix, id, description, request, protect, logical) => ({
    id: `${prefix}.${id.toLowerCase()}`,
    kind,
    description,
    aspects: ASPECTS[kind],
    params: {
      connection: input.connection,
      runId: input.runId,
      logical:
        logical ?? (prefix === 'rename-old' || prefix === 'rename-temp' ? id : id.replace(/^temp-/, '')),
      request,
      ...(protect ? { protect } : {}),
    },
    waitFor: wait,
  });
}

function copySteps(
  node: TargetNode,
  input: RdsClonePlanInput,
  step: StepMaker,
  snapshot: DbSnapshot | undefined,
): PlanOperation[] {
  const { instance, logical, parent } = node;
  const id = tempId(logical);
  const tags = copyTags(instance, input.runId, input.guard.source);
  const out: PlanOperation[] = [];
  if (parent === undefined && snapshot) {
    out.push(
      step(
        'rds.restore-snapshot',
        'copy',
        id,
        `restore ${id} from snapshot ${snapshot.id} of ${input.guard.source}`,
        {
          DBInstanceIdentifier: id,
          DBSnapshotIdentifier: snapshot.id,
          ...copiedAttributes(instance),
          ...(instance.subnetGroup === undefined ? {} : { DBSubnetGroupName: instance.subnetGroup }),
          Tags: tags,
        },
      ),
    );
  } else {
    const from = parent === undefined ? input.guard.source : tempId(parent);
    out.push(
      step(
        'rds.create-replica',
        'copy',
        id,
        `create ${id} as a read replica of ${from}, shaped like ${instance.id}`,
        {
          DBInstanceIdentifier: id,
          SourceDBInstanceIdentifier: from,
          ...copiedAttributes(instance),
          Tags: tags,
        },
      ),
    );
    if (parent === undefined)
      out.push(
        step('rds.promote', 'promote', id, `promote ${id} to a standalone primary`, {
          DBInstanceIdentifier: id,
        }),
      );
  }
  out.push(
    step(
      'rds.modify',
      'modify',
      id,
      `set ${id}'s backups, windows and parameter group from ${instance.id}`,
      modifyRequest(id, instance, parent === undefined || node.hasReplicas),
    ),
  );
  if (instance.parameterGroup !== undefined)
    out.push(
      step('rds.reboot', 'reboot', id, `reboot ${id} if its parameter group waits for a reboot`, {
        DBInstanceIdentifier: id,
      }),
    );
  return out;
}

/** Which RDS steps a run would skip, judged on the live state with every earlier step's effect predicted. */
function skipsOf(operations: readonly PlanOperation[], live: InstanceMap): Record<string, string> {
  let state: InstanceMap = live;
  const out: Record<string, string> = {};
  for (const op of operations) {
    if (!(op.kind in ASPECTS)) continue;
    const kind = op.kind as RdsStepKind;
    const params = op.params as unknown as RdsStepParams;
    const reason = satisfied(kind, params, state);
    if (reason !== undefined) out[op.id] = reason;
    else state = predict(state, kind, params.request);
  }
  return out;
}

function notFound(id: string, flag: string): UsageError {
  return new UsageError('RDS_INSTANCE_NOT_FOUND', `${flag} ${id}: no such DB instance`, {
    subject: { instance: id },
    hint: 'check the id and the region (--region)',
  });
}
