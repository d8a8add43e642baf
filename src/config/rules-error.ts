import type { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { closestName } from './closest-name.js';
import type { RulesSource } from './rules-source.js';
import { TRANSFORM_NAMES } from './rules-schema.js';
import { valueAt } from './value-at.js';

/** Render a value path as the user wrote it: `rules.pmInvestigator.fields.Email.transform`. */
function formatValuePath(path: readonly PropertyKey[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${s}]` : String(s)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/**
 * Build the one error reported for a rules file: `<file>:<line>:<col>: <message> at <path>`, with
 * subject `{file, line, column, fieldPath}` (fieldPath is the value path inside the file).
 */
export function rulesError(
  source: RulesSource,
  code: string,
  path: readonly PropertyKey[],
  message: string,
  hint?: string,
): UsageError {
  const pos = source.locate(path);
  const where = formatValuePath(path);
  return new UsageError(
    code,
    `${source.file}:${pos.line}:${pos.column}: ${message}${where ? ` at ${where}` : ''}`,
    {
      subject: { file: source.file, line: pos.line, column: pos.column, fieldPath: where },
      hint: hint ?? 'fix the rules file; nothing was read or written',
    },
  );
}

/**
 * Translate the first zod issue into a {@link rulesError}: an unknown transform name becomes
 * `RULES_UNKNOWN_TRANSFORM` (with a did-you-mean), an invalid field path `RULES_BAD_PATH`, anything
 * else `RULES_INVALID`.
 */
export function fromZodIssue(source: RulesSource, issue: z.core.$ZodIssue): UsageError {
  const path = issue.path;
  if (issue.code === 'invalid_union' && path[path.length - 1] === 'transform') {
    const given = valueAt(source.value, path);
    if (given === undefined) {
      return rulesError(
        source,
        'RULES_INVALID',
        path.slice(0, -1),
        'a field rule needs a transform',
        knownHint(),
      );
    }
    const suggestion = typeof given === 'string' ? closestName(given, TRANSFORM_NAMES) : undefined;
    return rulesError(
      source,
      'RULES_UNKNOWN_TRANSFORM',
      path,
      `unknown transform ${JSON.stringify(given)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      knownHint(),
    );
  }
  if (issue.code === 'invalid_key' && path.includes('fields')) {
    return rulesError(
      source,
      'RULES_BAD_PATH',
      path,
      `bad field path ${JSON.stringify(path[path.length - 1])}`,
      pathHint(),
    );
  }
  if (issue.code === 'invalid_format' && path[path.length - 2] === 'keep') {
    return rulesError(
      source,
      'RULES_BAD_PATH',
      path,
      `bad field path ${JSON.stringify(valueAt(source.value, path))}`,
      pathHint(),
    );
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const parent = valueAt(source.value, path) as { transform?: unknown } | undefined;
    const scope = typeof parent?.transform === 'string' ? ` for transform ${parent.transform}` : '';
    return rulesError(
      source,
      'RULES_INVALID',
      [...path, key],
      `unknown option ${JSON.stringify(key)}${scope}`,
    );
  }
  if (issue.code === 'invalid_type' && valueAt(source.value, path) === undefined && path.length > 0) {
    const key = String(path[path.length - 1]);
    return rulesError(
      source,
      'RULES_INVALID',
      path.slice(0, -1),
      `missing required option ${JSON.stringify(key)}`,
    );
  }
  return rulesError(source, 'RULES_INVALID', path, issue.message);
}

function knownHint(): string {
  return `known transforms: ${TRANSFORM_NAMES.join(', ')}`;
}

function pathHint(): string {
  return 'a field path is dot-separated keys (Contacts.Email), * for any key (ExternalIds.*.id); no empty keys, no leading $';
}
