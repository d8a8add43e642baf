import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PROJECT_CONFIG_SCHEMA_PATH,
  projectConfigJsonSchemaText,
} from '../../../src/config/project-config-json-schema.js';

describe('published dbfork.yaml JSON Schema', () => {
  it(`${PROJECT_CONFIG_SCHEMA_PATH} is generated from the zod schema (regenerate: DBFORK_UPDATE_SCHEMA=1 npx vitest run --project unit test/unit/config/project-config-json-schema.test.ts)`, () => {
    const generated = projectConfigJsonSchemaText();
    if (process.env.DBFORK_UPDATE_SCHEMA === '1') writeFileSync(PROJECT_CONFIG_SCHEMA_PATH, generated);
    expect(JSON.parse(readFileSync(PROJECT_CONFIG_SCHEMA_PATH, 'utf8'))).toEqual(JSON.parse(generated));
  });

  it('is strict at the top level and names every section', () => {
    const schema = JSON.parse(projectConfigJsonSchemaText()) as {
      additionalProperties: boolean;
      properties: Record<string, unknown>;
      $schema: string;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['databases', 'notify', 'preview', 'rules', 'snapshots', 'source', 'store', 'target', 'version'].sort(),
    );
    expect(schema.$schema).toContain('2020-12');
  });
});
