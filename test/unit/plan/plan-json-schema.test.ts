import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PLAN_EVENT_SCHEMA_PATH,
  PLAN_SCHEMA_PATH,
  planEventJsonSchemaText,
  planJsonSchemaText,
} from '../../../src/plan/plan-json-schema.js';

describe('published plan JSON Schemas', () => {
  for (const [path, generate] of [
    [PLAN_SCHEMA_PATH, planJsonSchemaText],
    [PLAN_EVENT_SCHEMA_PATH, planEventJsonSchemaText],
  ] as const) {
    it(`${path} is generated from the zod schema (regenerate: DBFORK_UPDATE_SCHEMA=1 npx vitest run --project unit test/unit/plan/plan-json-schema.test.ts)`, () => {
      const generated = generate();
      if (process.env.DBFORK_UPDATE_SCHEMA === '1') writeFileSync(path, generated);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(generated));
    });
  }

  it('pins schemaVersion 1 and the aspects', () => {
    const text = planJsonSchemaText();
    const schema = JSON.parse(text) as { properties: { schemaVersion: { const: number } } };
    expect(schema.properties.schemaVersion.const).toBe(1);
    for (const aspect of ['destructive', 'costs-money', 'needs-confirmation', 'idempotent', 'retryable'])
      expect(text).toContain(`"${aspect}"`);
  });
});
