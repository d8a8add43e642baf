import { UsageError } from '../errors/index.js';
import type { Aspect } from '../plan/aspects.js';
import { newPlan } from '../plan/new-plan.js';
import type { Plan, PlanOperation, WaitFor } from '../plan/plan-schema.js';
import type { InstanceMap } from './db-instance.js';
import { targetTree } from './clone-state.js';
import { oldId, tempId } from './clone-names.js';
import type { RdsConnection } from './clone-steps.js';
import { copySteps } from './copy-steps.js';
import { checkInfraTarget, type InfraGuardConfig } from './infra-guard.js';
import type { StepContext } from './plan-step.js';
import { predictedSkips } from './predicted-skips.js';
import type { DbSnapshot } from './rds-port.js';
import { treeIds } from './replication-tree.js';
import { deleteSteps, swapSteps } from './swap-steps.js';

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
  const ctx: StepContext = { connection: input.connection, runId, wait };
  const copy = tree.flatMap((node) =>
    copySteps(ctx, node, config.source, snapshotMode ? input.snapshot : undefined),
  );
  const targets = tree.map((n) => n.logical);
  const protect = {
    productionTag: config.productionTag,
    protectedIds: [...config.protectedIds],
    source: config.source,
  };
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
    ...swapSteps(ctx, targets, protect),
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
    ...(input.keepOld ? [] : deleteSteps(ctx, targets, protect)),
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
      skipped: predictedSkips(operations, state),
    },
  });
}

function notFound(id: string, flag: string): UsageError {
  return new UsageError('RDS_INSTANCE_NOT_FOUND', `${flag} ${id}: no such DB instance`, {
    subject: { instance: id },
    hint: 'check the id and the region (--region)',
  });
}
