import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rulesJsonSchemaText, RULES_SCHEMA_PATH } from '../../../src/config/rules-json-schema.js';
import { TRANSFORM_NAMES } from '../../../src/config/rules-schema.js';

describe('published JSON Schema', () => {
  it(`${RULES_SCHEMA_PATH} is generated from the zod schema (regenerate: DBFORK_UPDATE_SCHEMA=1 npx vitest run --project unit ${'test/unit/config/rules-json-schema.test.ts'})`, () => {
    const generated = rulesJsonSchemaText();
    if (process.env.DBFORK_UPDATE_SCHEMA === '1') writeFileSync(RULES_SCHEMA_PATH, generated);
    // compared as JSON values, so formatting (prettier) does not matter, content does
    expect(JSON.parse(readFileSync(RULES_SCHEMA_PATH, 'utf8'))).toEqual(JSON.parse(generated));
  });

  it('describes every transform and rejects unknown top-level keys', () => {
    const schema = JSON.parse(rulesJsonSchemaText()) as { additionalProperties: boolean; $schema: string };
    const text = JSON.stringify(schema);
    for (const name of TRANSFORM_NAMES) expect(text).toContain(`"const":"${name}"`);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.$schema).toContain('2020-12');
  });

  it('the example rules files point editors at it', () => {
    const first = readFileSync('examples/atlas-sample.rules.yaml', 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schemas/rules.schema.json');
    expect(parse(readFileSync('examples/atlas-sample.rules.yaml', 'utf8'))).toHaveProperty('rules');
  });
});
