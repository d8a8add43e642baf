import { readFile } from 'node:fs/promises';
import { parseRulesSource, type RulesSource } from '../config/rules-source.js';
import { DbforkError, UsageError } from '../errors/index.js';
import { DEFAULT_DEPLOY_VALUES, DeployValuesSchema, type DeployValues } from './deploy-values.js';
import { mergeValues } from './merge-values.js';
import { valueAt } from '../config/value-at.js';

/** One values file's text and the name its errors use (`<file>:<line>:<col>: …`). */
export interface ValuesText {
  readonly text: string;
  readonly file: string;
}

/**
 * Settings from values files (YAML, the Helm chart's values shape), each merged over the chart's
 * defaults and the files before it as Helm merges them (maps key by key, anything else replaced),
 * then `overrides` on top, validated.
 *
 * @throws UsageError `DEPLOY_VALUES_SYNTAX` (YAML) or `DEPLOY_VALUES_INVALID` (schema), with subject
 *   `{file, line, column, fieldPath}` pointing into the last file that sets the field; only the first
 *   problem
 */
export function parseDeployValues(
  texts: readonly ValuesText[],
  overrides: Record<string, unknown> = {},
): DeployValues {
  const sources = texts.map((t) => parseValuesSource(t.text, t.file));
  let merged: unknown = DEFAULT_DEPLOY_VALUES;
  for (const source of sources) {
    const given = source.value ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      throw invalid(source, [], 'a values file is a map of settings');
    }
    merged = mergeValues(merged, given);
  }
  const parsed = DeployValuesSchema.safeParse(mergeValues(merged, overrides));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
  const path = [...(issue?.path ?? []), ...unknownKey];
  const sets = (depth: number) => (s: RulesSource) => valueAt(s.value, path.slice(0, depth)) !== undefined;
  const source = sources.findLast(sets(path.length)) ?? sources.findLast(sets(1));
  throw invalid(source, path, issue?.message ?? 'invalid');
}

/**
 * Read values files, in order, and parse them as {@link parseDeployValues} does.
 * @throws UsageError `DEPLOY_VALUES_UNREADABLE` when one cannot be read, else as parseDeployValues
 */
export async function loadDeployValues(
  paths: readonly string[],
  overrides: Record<string, unknown> = {},
): Promise<DeployValues> {
  const texts: ValuesText[] = [];
  for (const path of paths) {
    try {
      texts.push({ text: await readFile(path, 'utf8'), file: path });
    } catch (error) {
      throw new UsageError(
        'DEPLOY_VALUES_UNREADABLE',
        `cannot read values file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { subject: { file: path }, cause: error },
      );
    }
  }
  return parseDeployValues(texts, overrides);
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
