import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';
import { normalizeRules } from './normalize-rules.js';
import type { NormalizedRules } from './normalized-rules.js';
import { rulesDigest } from './rules-digest.js';
import { fromZodIssue } from './rules-error.js';
import { RulesFileSchema } from './rules-schema.js';
import { parseRulesSource } from './rules-source.js';
import { validateRules } from './validate-rules.js';

/** A loaded rules file: normalized rules, their digest (for manifests) and where they came from. */
export interface LoadedRules {
  readonly file: string;
  readonly rules: NormalizedRules;
  /** `sha256:<hex>` of the normalized rules; never includes the key (see rules-digest.ts). */
  readonly digest: string;
}

/**
 * Parse, validate and normalize rules text in three stages: syntax (`yaml`, JSON accepted), schema
 * (zod, {@link RulesFileSchema}), then cross-field checks ({@link validateRules}).
 *
 * @param file name used in error messages (`<file>:<line>:<col>: …`)
 * @throws UsageError `RULES_SYNTAX`, `RULES_INVALID`, `RULES_UNKNOWN_TRANSFORM` or `RULES_BAD_PATH`
 *   with subject `{file, line, column, fieldPath}`: only the first problem
 */
export function parseRules(text: string, file: string): LoadedRules {
  const source = parseRulesSource(text, file);
  if (source.value === null || source.value === undefined) {
    throw new UsageError('RULES_INVALID', `${file}:1:1: the rules file is empty`, {
      subject: { file, line: 1, column: 1 },
      hint: 'a rules file has at least a rules: section (see docs/anonymization.md)',
    });
  }
  const parsed = RulesFileSchema.safeParse(source.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue) throw fromZodIssue(source, issue);
  }
  const rules = normalizeRules(parsed.data ?? {});
  validateRules(source, rules);
  return { file, rules, digest: rulesDigest(rules) };
}

/**
 * Read and parse a rules file (YAML or JSON, UTF-8).
 *
 * @throws UsageError `RULES_UNREADABLE` when the file cannot be read, else as {@link parseRules}
 */
export async function loadRules(path: string): Promise<LoadedRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      'RULES_UNREADABLE',
      `cannot read rules file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        subject: { file: path },
        cause: error,
      },
    );
  }
  return parseRules(text, path);
}
