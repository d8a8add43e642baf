import { scrub } from '../core/redact.js';
import { UsageError } from '../errors/index.js';
import { PLAN_SCHEMA_VERSION, PlanSchema, type Plan } from './plan-schema.js';
import { uriHoldsCredential } from './secret-ref.js';

/**
 * The plan as its file text (2-space JSON, final newline). Refuses, rather than writes, a plan that
 * does not match the schema, one holding a connection string with a password or secret option, a
 * resolved {@link Secret} (its `toJSON` throws), and one whose text holds any registered secret value
 * or URI password.
 *
 * @throws UsageError `PLAN_HOLDS_SECRET` for a secret; `PLAN_INVALID` for a schema mismatch
 */
export function serializePlan(plan: Plan): string {
  let text: string;
  try {
    text = `${JSON.stringify(plan, null, 2)}\n`;
  } catch (error) {
    throw holdsSecret('it holds a resolved secret', error);
  }
  if (scrub(text) !== text) throw holdsSecret('its text holds a password or a registered secret');
  if (strings(JSON.parse(text)).some(uriHoldsCredential))
    throw holdsSecret('it holds a connection string with a secret option');
  const checked = PlanSchema.safeParse(JSON.parse(text));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    if (issue?.message.includes('password')) throw holdsSecret(issue.message);
    throw new UsageError('PLAN_INVALID', `the plan does not match its schema: ${describeIssue(issue)}`);
  }
  return text;
}

/**
 * Read a plan file's text.
 * @throws UsageError `PLAN_INVALID` (not JSON, or not the schema, naming the path), or
 *   `PLAN_UNSUPPORTED_VERSION` for another `schemaVersion`
 */
export function parsePlan(text: string, file = 'the plan'): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError('PLAN_INVALID', `${file} is not JSON: ${(error as Error).message}`, {
      subject: { file },
    });
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== PLAN_SCHEMA_VERSION) {
    throw new UsageError(
      'PLAN_UNSUPPORTED_VERSION',
      `${file} has schemaVersion ${String(version)}; this dbfork reads ${PLAN_SCHEMA_VERSION}`,
      { subject: { file }, hint: 'plan it again with this version of dbfork' },
    );
  }
  const parsed = PlanSchema.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(
      'PLAN_INVALID',
      `${file} is not a dbfork plan: ${describeIssue(parsed.error.issues[0])}`,
      {
        subject: { file },
        hint: 'schemas/plan.schema.json describes the format',
      },
    );
  }
  return parsed.data;
}

/** Every string value in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

function holdsSecret(why: string, cause?: unknown): UsageError {
  return new UsageError('PLAN_HOLDS_SECRET', `the plan cannot be written: ${why}`, {
    hint: 'name connections by reference (e.g. --to-env NAME, --uri-env NAME): plans never hold credentials',
    ...(cause === undefined ? {} : { cause }),
  });
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'unknown mismatch';
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '(root)' : path}: ${issue.message}`;
}
