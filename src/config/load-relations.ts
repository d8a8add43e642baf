import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';
import { RelationsFileSchema, type RelationEntry } from './relations-schema.js';
import { fromZodIssue } from './rules-error.js';
import { parseRulesSource } from './rules-source.js';

/** Relations and size bounds read from one file. */
export interface LoadedRelations {
  readonly relations: RelationEntry[];
  /** `size_limits.<collection>.max_documents` for plain collection names (globs do not bound a subset). */
  readonly maxDocuments: Record<string, number>;
}

/**
 * Read the `relations:` (and `size_limits:`) of a relations file or a rules file (YAML or JSON).
 * Other keys are left to the rules loader.
 *
 * @throws UsageError `RULES_UNREADABLE`, `RULES_SYNTAX`, `RULES_INVALID` (with file:line and the field
 *   path) or `RELATIONS_MISSING` when the file names no relation
 */
export async function loadRelations(path: string): Promise<LoadedRelations> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new UsageError('RULES_UNREADABLE', `cannot read relations file ${path}`, {
      subject: { file: path },
      cause,
    });
  });
  const source = parseRulesSource(text, path);
  const parsed = RelationsFileSchema.safeParse(source.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue) throw fromZodIssue(source, issue);
  }
  const relations = parsed.data?.relations ?? [];
  if (relations.length === 0)
    throw new UsageError('RELATIONS_MISSING', `${path} has no relations: section`, {
      subject: { file: path },
      hint: 'list them as relations: [{ from: orders.customerId, to: customers._id }] (or run `dbfork relations suggest`)',
    });
  return { relations, maxDocuments: sizeLimits(source.value) };
}

function sizeLimits(value: unknown): Record<string, number> {
  const limits =
    (value as { size_limits?: Record<string, { max_documents?: unknown }> } | null)?.size_limits ?? {};
  const out: Record<string, number> = {};
  for (const [pattern, limit] of Object.entries(limits ?? {}))
    if (!/[*?[\]{}.]/.test(pattern) && typeof limit?.max_documents === 'number')
      out[pattern] = limit.max_documents;
  return out;
}
