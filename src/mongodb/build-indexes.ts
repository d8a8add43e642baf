import type { Db } from 'mongodb';
import { TargetError } from '../errors/index.js';
import type { IndexSpec, RejectedIndex } from '../target/index-spec.js';

/**
 * Build the indexes of a loaded temporary collection, one `createIndexes` per index so each refusal is
 * reported on its own (FerretDB refuses e.g. `2dsphere`, `text`, `partialFilterExpression`, TTL).
 * A refused index is returned with the server's reason, or thrown under `strict`.
 *
 * @returns the names built and the indexes refused
 * @throws TargetError `TARGET_INDEX_REJECTED` under `strict`
 */
export async function buildIndexes(
  db: Db,
  collection: string,
  specs: readonly IndexSpec[],
  strict: boolean,
  displayNamespace: string,
): Promise<{ built: string[]; rejected: RejectedIndex[] }> {
  const built: string[] = [];
  const rejected: RejectedIndex[] = [];
  for (const spec of specs) {
    try {
      await db.command({
        createIndexes: collection,
        indexes: [{ key: spec.key, name: spec.name, ...spec.options }],
      });
      built.push(spec.name);
    } catch (error) {
      const reason = (error as Error).message;
      if (strict) {
        throw new TargetError(
          'TARGET_INDEX_REJECTED',
          `the target refused index ${spec.name} of ${displayNamespace}: ${reason}`,
          {
            hint: 'drop --strict-indexes to restore without it (a warning names it), or restore to a server that supports it',
            subject: { namespace: displayNamespace, index: spec.name },
            cause: error,
          },
        );
      }
      rejected.push({ name: spec.name, reason });
    }
  }
  return { built, rejected };
}
