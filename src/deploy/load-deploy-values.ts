import { readFile } from 'node:fs/promises';
import { parseRulesSource, type RulesSource } from '../config/rules-source.js';
import { DbforkError, UsageError } from '../errors/index.js';
import { DEFAULT_DEPLOY_VALUES, DeployValuesSchema, type DeployValues } from './deploy-values.js';
import { mergeValues } from './merge-values.js';

/**
 * Settings from a values file (YAML, the Helm chart's values shape) merged over the chart's defaults
 * as Helm merges them (maps key by key, anything else replaced), then `overrides` on top, validated.
 *
 * @param text - the file's text, or undefined for the defaults alone
 * @param file - the name used in errors (`<file>:<line>:<col>: …`)
 * @throws UsageError `DEPLOY_VALUES_SYNTAX` (YAML) or `DEPLOY_VALUES_INVALID` (schema), with subject
 *   `{file, line, column, fieldPath}`; only the first problem
 */
export function parseDeployValues(
  text: string | undefined,
  file: string,
  overrides: Record<string, unknown> = {},
): DeployValues {
  const source = text === undefined ? undefined : parseValuesSource(text, file);
  const given = source?.value ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw invalid(source, [], 'a values file is a map of settings');
  }
  const merged = mergeValues(mergeValues(DEFAULT_DEPLOY_VALUES, given), overrides);
  const parsed = DeployValuesSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(source, issue?.path ?? [], issue?.message ?? 'invalid');
}

/**
 * Read a values file and parse it as {@link parseDeployValues} does.
 * @throws UsageError `DEPLOY_VALUES_UNREADABLE` when it cannot be read, else as parseDeployValues
 */
export async function loadDeployValues(
  path: string | undefined,
  overrides: Record<string, unknown> = {},
): Promise<DeployValues> {
  if (path === undefined) return parseDeployValues(undefined, '(defaults)', overrides);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      'DEPLOY_VALUES_UNREADABLE',
      `cannot read values file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { subject: { file: path }, cause: error },
    );
  }
  return parseDeployValues(text, path, overrides);
}

function parseValuesSource(text: string, file: string): RulesSource {
  try {
    return parseRulesSource(text, file);
  } catch (error) {
    if (!(error instanceof DbforkError)) throw error;
    throw new UsageError('DEPLOY_VALUES_SYNTAX', error.message, {
      subject: error.subject,
      hint: 'fix the YAML syntax at that line; nothing was rendered',
    });
  }
}

function invalid(source: RulesSource | undefined, path: readonly PropertyKey[], message: string): UsageError {
  const fieldPath = path.map(String).join('.');
  const pos = source?.locate(path) ?? { line: 1, column: 1 };
  const file = source?.file ?? '(defaults)';
  return new UsageError(
    'DEPLOY_VALUES_INVALID',
    `${file}:${pos.line}:${pos.column}: ${message}${fieldPath ? ` at ${fieldPath}` : ''}`,
    {
      subject: { file, line: pos.line, column: pos.column, fieldPath },
      hint: 'fix the values file (deploy/helm/dbfork/values.yaml documents every setting); nothing was rendered',
    },
  );
}
