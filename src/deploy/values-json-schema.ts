import { z } from 'zod';
import { DeployValuesSchema } from './deploy-values.js';

/** Where the chart's values schema lives (Helm validates values against it on lint, template, install). */
export const VALUES_SCHEMA_PATH = 'deploy/helm/dbfork/values.schema.json';

/**
 * The Helm chart's `values.schema.json` (JSON Schema draft 2020-12), generated from
 * {@link DeployValuesSchema}, so `helm template` refuses the values `dbfork preview manifests` refuses.
 * `test/unit/deploy/values-json-schema.test.ts` fails when the committed copy is stale.
 */
export function valuesJsonSchemaText(): string {
  const schema = z.toJSONSchema(DeployValuesSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'dbfork Helm chart values' }, null, 2)}\n`;
}
