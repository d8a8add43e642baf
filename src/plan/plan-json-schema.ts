import { z } from 'zod';
import { PlanEventSchema } from './plan-events.js';
import { PlanSchema } from './plan-schema.js';

/** Where the published schemas live, relative to the package root. */
export const PLAN_SCHEMA_PATH = 'schemas/plan.schema.json';
export const PLAN_EVENT_SCHEMA_PATH = 'schemas/plan-event.schema.json';

/**
 * The JSON Schemas (draft 2020-12) of a plan file and of the executor's events, generated from
 * {@link PlanSchema} and {@link PlanEventSchema}; `test/unit/plan/plan-json-schema.test.ts` fails when
 * a published copy is stale.
 */
export function planJsonSchemaText(): string {
  return text(z.toJSONSchema(PlanSchema, { io: 'input' }), 'plan.schema.json', 'dbfork plan');
}

export function planEventJsonSchemaText(): string {
  return text(
    z.toJSONSchema(PlanEventSchema, { io: 'input' }),
    'plan-event.schema.json',
    'dbfork plan event',
  );
}

function text(schema: Record<string, unknown>, file: string, title: string): string {
  const full = { ...schema, $id: `https://github.com/dbfork/dbfork/schemas/${file}`, title };
  return `${JSON.stringify(full, null, 2)}\n`;
}
