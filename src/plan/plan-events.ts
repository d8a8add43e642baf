import { z } from 'zod';
import { PLAN_SCHEMA_VERSION } from './plan-schema.js';

const base = { schemaVersion: z.literal(PLAN_SCHEMA_VERSION), id: z.string() };
const ErrorSummarySchema = z.strictObject({ code: z.string(), message: z.string() });

/**
 * What the executor reports while a plan runs (NDJSON lines with `--json`). Durations in ms.
 * `schemaVersion` is the plan format's: events change only with it.
 */
export const PlanEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    type: z.literal('plan-start'),
    command: z.string(),
    operations: z.number().int(),
    dryRun: z.boolean(),
  }),
  z.strictObject({ ...base, type: z.literal('operation-start'), kind: z.string(), description: z.string() }),
  z.strictObject({
    ...base,
    type: z.literal('operation-wait'),
    waitedMs: z.number(),
    nextLookMs: z.number(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('operation-retry'),
    attempt: z.number().int(),
    delayMs: z.number(),
    error: ErrorSummarySchema,
  }),
  z.strictObject({
    ...base,
    type: z.literal('operation-end'),
    kind: z.string(),
    status: z.enum(['succeeded', 'failed', 'skipped']),
    reason: z.string().optional(),
    attempts: z.number().int(),
    durationMs: z.number(),
    error: ErrorSummarySchema.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('compensation-end'),
    status: z.enum(['succeeded', 'failed']),
    error: ErrorSummarySchema.optional(),
  }),
  z.strictObject({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    type: z.literal('plan-end'),
    ok: z.boolean(),
    durationMs: z.number(),
    error: ErrorSummarySchema.optional(),
  }),
]);

export type PlanEvent = z.infer<typeof PlanEventSchema>;
export type PlanEventListener = (event: PlanEvent) => void;
