import { z } from 'zod';
import { ProjectConfigFileSchema } from './project-config-schema.js';

/** Where the published schema lives, relative to the package root. */
export const PROJECT_CONFIG_SCHEMA_PATH = 'schemas/dbfork-config.schema.json';

/**
 * The JSON Schema (draft 2020-12) of dbfork.yaml, generated from {@link ProjectConfigFileSchema} (input
 * side). Editors use it via `# yaml-language-server: $schema=…`;
 * `test/unit/config/project-config-json-schema.test.ts` fails when the published copy is stale.
 */
export function projectConfigJsonSchemaText(): string {
  const schema = z.toJSONSchema(ProjectConfigFileSchema, { io: 'input', unrepresentable: 'any' });
  const published = {
    ...schema,
    $id: 'https://github.com/dbfork/dbfork/schemas/dbfork-config.schema.json',
    title: 'dbfork project configuration (dbfork.yaml)',
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}
