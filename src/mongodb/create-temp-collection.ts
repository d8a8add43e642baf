import type { Db, Document } from 'mongodb';
import { TargetError } from '../errors/index.js';

/** Server codes meaning "these create options are not accepted here". */
const OPTION_REFUSED = new Set([2, 9, 72, 115, 238]);

/**
 * Create a temporary collection with the dumped `create` options. When the server refuses the options
 * (FerretDB: validators, collation, time-series…), create it without them and return a warning naming
 * what was dropped; the data is restored either way.
 *
 * @returns warnings (empty when the options were accepted)
 * @throws TargetError `TARGET_WRITE_FAILED` when even a plain create fails
 */
export async function createTempCollection(
  db: Db,
  name: string,
  options: Readonly<Record<string, unknown>>,
  displayNamespace: string,
): Promise<string[]> {
  const opts = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'idIndex')) as Document;
  try {
    await db.command({ create: name, ...opts });
    return [];
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (Object.keys(opts).length > 0 && typeof code === 'number' && OPTION_REFUSED.has(code)) {
      await createPlain(db, name, displayNamespace);
      return [
        `${displayNamespace}: the target refused the collection options ${Object.keys(opts).join(', ')} (${(error as Error).message}); created without them`,
      ];
    }
    throw wrap(error, displayNamespace);
  }
}

async function createPlain(db: Db, name: string, displayNamespace: string): Promise<void> {
  try {
    await db.command({ create: name });
  } catch (error) {
    throw wrap(error, displayNamespace);
  }
}

function wrap(error: unknown, ns: string): TargetError {
  return new TargetError(
    'TARGET_WRITE_FAILED',
    `creating the temporary collection for ${ns} failed: ${(error as Error).message}`,
    {
      subject: { namespace: ns },
      cause: error,
    },
  );
}
