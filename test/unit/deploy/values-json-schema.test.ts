import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALUES_SCHEMA_PATH, valuesJsonSchemaText } from '../../../src/deploy/values-json-schema.js';
import { REPO_ROOT } from '../../helpers/servers.js';

describe("the Helm chart's values.schema.json", () => {
  it(`${VALUES_SCHEMA_PATH} is generated from the zod schema (regenerate: DBFORK_UPDATE_SCHEMA=1 npx vitest run --project unit test/unit/deploy/values-json-schema.test.ts, then prettier)`, () => {
    const generated = valuesJsonSchemaText();
    const file = join(REPO_ROOT, VALUES_SCHEMA_PATH);
    if (process.env.DBFORK_UPDATE_SCHEMA === '1') writeFileSync(file, generated);
    // compared as JSON values, so formatting (prettier) does not matter, content does
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(generated));
    const schema = JSON.parse(generated) as { additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toContain('pr');
  });
});
