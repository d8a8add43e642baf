import { z } from 'zod';

/**
 * A decision as the Action reads it: what `decide` returns, or the JSON `dbfork preview decide --json`
 * prints (`{database, source, locked, actions: [{type, reason, label?, operation?, kind?, text?}]}`).
 * Only the fields the Action uses are checked; others pass through to the `actions` output.
 */
const Action = z.union([
  z.looseObject({
    type: z.literal('revert-label'),
    label: z.string().min(1),
    operation: z.enum(['add', 'remove']),
    reason: z.string(),
  }),
  z.looseObject({
    type: z.literal('comment'),
    kind: z.string(),
    text: z.string().min(1),
    reason: z.string(),
  }),
  z.looseObject({
    type: z.enum(['create-from-seed', 'restore-snapshot', 'clone-staging', 'drop-database', 'keep', 'none']),
    reason: z.string(),
    snapshot: z.string().optional(),
  }),
]);

export const ActionDecisionSchema = z.looseObject({
  database: z.string().min(1),
  source: z.enum(['seed', 'snapshot', 'staging']),
  locked: z.boolean(),
  actions: z.array(Action),
});

export type ActionDecision = z.infer<typeof ActionDecisionSchema>;

/** The Action's outputs for a decision (strings, as GitHub Actions outputs are). */
export interface ActionOutputs {
  readonly database: string;
  readonly db_source: string;
  /** The snapshot a `restore-snapshot` action restores (`latest`, an id or a day), else empty. */
  readonly snapshot_id: string;
  readonly persist_db: 'true' | 'false';
  /** The actions as JSON. */
  readonly actions: string;
}

/** The outputs of a decision. */
export function actionOutputs(decision: ActionDecision): ActionOutputs {
  const restore = decision.actions.find((a) => a.type === 'restore-snapshot') as
    { snapshot?: unknown } | undefined;
  return {
    database: decision.database,
    db_source: decision.source,
    snapshot_id: typeof restore?.snapshot === 'string' ? restore.snapshot : '',
    persist_db: decision.locked ? 'true' : 'false',
    actions: JSON.stringify(decision.actions),
  };
}
