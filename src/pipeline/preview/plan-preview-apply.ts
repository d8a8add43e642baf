import { UsageError } from '../../errors/index.js';
import { newPlan } from '../../plan/new-plan.js';
import type { Plan, PlanOperation } from '../../plan/plan-schema.js';
import { describeRef, type ConnectionRef } from '../../plan/secret-ref.js';
import type { PreviewAction, PreviewDecision } from '../../preview/preview-action.js';
import type { PreviewDatabaseState } from '../../preview/preview-input.js';
import type { GuardVerdict } from '../../target/guard/target-guard.js';
import type { AnonymizationParam } from '../operations/anonymization-param.js';
import type { RestoreRunParams } from '../operations/restore-run-operation.js';

/** Where seed data comes from: a dump (archive or folder) restored as it is, or the app's seeder. */
export type SeedSource =
  { readonly dump: string } | { readonly command: string; readonly cwd?: string } | null;

export interface PreviewApplyPlanInput {
  readonly decision: PreviewDecision;
  readonly pr: number;
  /** The database before the event. */
  readonly state: PreviewDatabaseState;
  readonly target: ConnectionRef;
  readonly guard: RestoreRunParams['guard'];
  readonly verdict: GuardVerdict;
  readonly seed: SeedSource;
  /** The snapshot store and name; `snapshot` of a restore action is resolved to `ref` by the caller. */
  readonly snapshot: { readonly store: string; readonly ref: string } | null;
  /** Anonymization of a snapshot restore that keeps `anonymize: true` (rules at restore, or null: anonymized at capture). */
  readonly anonymization: AnonymizationParam;
  readonly load: Pick<
    RestoreRunParams,
    'strictIndexes' | 'exactCount' | 'parallelCollections' | 'insertWorkers'
  >;
  readonly labels: { readonly persistDb: string };
  readonly now?: Date;
}

const REPLACE = ['destructive', 'needs-confirmation', 'idempotent', 'retryable'] as const;

/**
 * Plan the database actions of a decision (comments and label reverts are the caller's: the GitHub
 * Action posts them). A drop followed by a refill from a snapshot, seed dump or staging is folded into
 * the refill, which loads aside and swaps in (a failed refill leaves the database as it was); a seed
 * command gets an empty database first. A refill from a snapshot or from staging is followed by
 * `restore.drop-extra`, so the database holds exactly the source's collections afterwards. The lock record follows `decision.locked`: written after a
 * refill, removed before a drop whose lock the event took off. Pure but for the clock.
 *
 * @throws UsageError `PREVIEW_NO_SEED` / `PREVIEW_NO_SNAPSHOT` when an action needs a source not configured
 */
export function planPreviewApply(input: PreviewApplyPlanInput): Plan {
  const { decision } = input;
  const db = decision.database;
  const base = { target: input.target, db, pr: input.pr, guard: input.guard };
  const at = describeRef(input.target);
  const creates = decision.actions.filter(isCreate);
  const unlock = !decision.locked && input.state.locked;
  const ops: PlanOperation[] = [];
  for (const action of decision.actions) {
    if (action.type === 'drop-database') {
      const command = input.seed !== null && 'command' in input.seed;
      const refill = creates.length > 0 && !(creates[0]?.type === 'create-from-seed' && command);
      if (refill) continue;
      ops.push({
        id: 'drop',
        kind: 'preview.drop',
        description: `drop ${db} at ${at}${unlock ? ' (its lock removed first)' : ''}: ${action.reason}`,
        aspects: ['destructive', 'needs-confirmation', 'idempotent'],
        params: { ...base, unlock },
      });
    } else if (isCreate(action)) {
      ops.push(createOperation(input, action, base, at));
      // a refill from a snapshot or staging leaves exactly their collections (restore --replace)
      if (
        (action.type === 'restore-snapshot' || action.type === 'clone-staging') &&
        action.collections.length === 0
      )
        ops.push(dropExtraOperation(base, at));
    }
  }
  if (decision.locked && (!input.state.locked || creates.length > 0)) {
    ops.push(lockOperation(base, 'lock', input.labels.persistDb, `lock ${db} (${input.labels.persistDb})`));
  } else if (unlock && input.state.exists && !ops.some((o) => o.kind === 'preview.drop')) {
    ops.push(
      lockOperation(
        base,
        'unlock',
        input.labels.persistDb,
        `unlock ${db}: ${input.labels.persistDb} was removed`,
      ),
    );
  }
  return newPlan({
    command: 'preview apply',
    summary: `preview ${db}: ${decision.actions.map((a) => a.type).join(', ')}`,
    operations: ops,
    guard: {
      allowed: input.verdict.allowed,
      rule: input.verdict.rule,
      code: input.verdict.code,
      reason: input.verdict.reason,
    },
    preview: { decision: JSON.parse(JSON.stringify(decision)) as never },
    ...(input.now ? { now: input.now } : {}),
  });
}

type Base = { target: ConnectionRef; db: string; pr: number; guard: RestoreRunParams['guard'] };

function createOperation(
  input: PreviewApplyPlanInput,
  action: PreviewAction,
  base: Base,
  at: string,
): PlanOperation {
  const restore = (
    source: RestoreRunParams['input'],
    anonymization: AnonymizationParam,
    collections: readonly string[],
  ): RestoreRunParams => ({
    input: source,
    target: base.target,
    db: base.db,
    guard: base.guard,
    anonymization,
    nsFrom: [],
    nsTo: [],
    collections: [...collections],
    ...input.load,
  });
  if (action.type === 'restore-snapshot') {
    if (!input.snapshot) {
      throw new UsageError(
        'PREVIEW_NO_SNAPSHOT',
        `${base.db} is to be restored from a snapshot, but no snapshot is configured`,
        {
          hint: 'give --store <url> and --snapshot <name> (the snapshot name, e.g. prod)',
        },
      );
    }
    return {
      id: 'restore-snapshot',
      kind: 'preview.restore',
      description: `restore snapshot ${input.snapshot.ref} into ${base.db} at ${at}: load aside, verify, swap in`,
      aspects: [...REPLACE],
      params: {
        pr: base.pr,
        source: 'snapshot',
        restore: restore(
          { snapshot: input.snapshot.ref, store: input.snapshot.store },
          action.anonymize ? input.anonymization : { none: true },
          action.collections,
        ),
      },
    };
  }
  if (action.type === 'clone-staging') {
    return {
      id: 'clone-staging',
      kind: 'preview.clone',
      description: `clone ${action.from} into ${base.db} at ${at}: load aside, verify, swap in`,
      aspects: [...REPLACE],
      params: { ...base, from: action.from, collections: [...action.collections] },
    };
  }
  const seed = input.seed;
  if (seed === null) {
    throw new UsageError('PREVIEW_NO_SEED', `${base.db} is to be seeded, but no seed source is configured`, {
      hint: 'give --seed-dump <archive|folder> or --seed-command "<command>"',
    });
  }
  if ('dump' in seed) {
    return {
      id: 'seed',
      kind: 'preview.restore',
      description: `restore the seed dump ${seed.dump} into ${base.db} at ${at}: load aside, verify, swap in`,
      aspects: [...REPLACE],
      params: { pr: base.pr, source: 'seed', restore: restore({ dump: seed.dump }, { none: true }, []) },
    };
  }
  return {
    id: 'seed',
    kind: 'preview.seed-command',
    description: `run the seed command \`${seed.command}\` for ${base.db} at ${at}`,
    aspects: ['destructive', 'needs-confirmation'],
    params: { ...base, command: seed.command, ...(seed.cwd ? { cwd: seed.cwd } : {}) },
  };
}

function dropExtraOperation(base: Base, at: string): PlanOperation {
  return {
    id: 'drop-extra',
    kind: 'restore.drop-extra',
    description: `after the swap, drop the collections of ${base.db} at ${at} the refill did not bring`,
    aspects: ['destructive', 'needs-confirmation', 'idempotent', 'retryable'],
    params: { target: base.target, db: base.db, guard: base.guard, planned: null },
  };
}

function lockOperation(
  base: Base,
  state: 'lock' | 'unlock',
  label: string,
  description: string,
): PlanOperation {
  return {
    id: state,
    kind: 'preview.lock',
    description,
    aspects: ['idempotent'],
    params: { ...base, state, label },
  };
}

function isCreate(a: PreviewAction): boolean {
  return a.type === 'create-from-seed' || a.type === 'restore-snapshot' || a.type === 'clone-staging';
}
