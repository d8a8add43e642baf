import { z } from 'zod';
import { RulesFileSchema } from './rules-schema.js';

/** Where the published schema lives, relative to the package root. */
export const RULES_SCHEMA_PATH = 'schemas/rules.schema.json';

/**
 * The JSON Schema (draft 2020-12) of the rules file, generated from {@link RulesFileSchema} with
 * `z.toJSONSchema` (input side: every optional key optional). Editors use it via
 * `# yaml-language-server: $schema=…`; `test/unit/config/rules-json-schema.test.ts` fails when the
 * published copy is stale.
 */
function rulesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RulesFileSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://github.com/dbfork/dbfork/schemas/rules.schema.json',
    title: 'dbfork anonymization rules',
  };
}

/** The schema as the published file text (2-space JSON and a final newline). */
export function rulesJsonSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}
