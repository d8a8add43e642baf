import { z } from 'zod';
import { AspectSchema } from './aspects.js';

/** The plan format's version. A reader refuses any other; bumped only on an incompatible change. */
export const PLAN_SCHEMA_VERSION = 1;

/**
 * Wait for the operation's condition before running it: look, and while it does not hold, pause
 * `intervalMs` (doubling up to `maxIntervalMs`) until `timeoutMs` has passed.
 */
const WaitForSchema = z.strictObject({
  /** Deadline, in ms from the first look. */
  timeoutMs: z.number().int().min(0),
  /** First pause between looks, in ms. */
  intervalMs: z.number().int().min(1),
  /** Backoff ceiling, in ms (default: `intervalMs`, a fixed pace). */
  maxIntervalMs: z.number().int().min(1).optional(),
});

/** One step: what to do (kind and parameters), in words, and how to treat it. */
const PlanOperationSchema = z.strictObject({
  /** Unique within the plan; results and events name it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  /** Registered operation kind, e.g. `restore.run`, `snapshot.delete`. */
  kind: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/),
  /** One human sentence: what it does. */
  description: z.string().min(1),
  aspects: z.array(AspectSchema),
  /** The kind's parameters: JSON only; connections and secrets by reference. */
  params: z.record(z.string(), z.json()),
  /** Runs even after an earlier operation failed (an unlock, a cleanup). */
  alwaysRun: z.boolean().optional(),
  waitFor: WaitForSchema.optional(),
});

/** The guard's verdict as recorded when planning: a refused plan never runs. */
const PlanGuardSchema = z.strictObject({
  allowed: z.boolean(),
  rule: z.string(),
  code: z.string().nullable(),
  reason: z.string(),
});

/**
 * A plan: an ordered list of operations, JSON-serialisable, holding no credential. `preview` is what
 * the planner saw of live state (collections, counts, existing targets), shown to a reader and never
 * used by apply, which re-checks live state itself.
 */
export const PlanSchema = z.strictObject({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** The command that made it (`restore`, `snapshot create`, `snapshot prune`). */
  command: z.string().min(1),
  /** One sentence for the whole plan. */
  summary: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  toolVersion: z.string(),
  guard: PlanGuardSchema.nullable(),
  operations: z.array(PlanOperationSchema),
  preview: z.record(z.string(), z.json()).optional(),
});

export type WaitFor = z.infer<typeof WaitForSchema>;
export type PlanOperation = z.infer<typeof PlanOperationSchema>;
export type PlanGuard = z.infer<typeof PlanGuardSchema>;
export type Plan = z.infer<typeof PlanSchema>;
