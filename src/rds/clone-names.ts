import { UsageError } from '../errors/index.js';

/** Prefix of the copy built beside the target tree. */
export const TEMP_PREFIX = 'temp-';
/** Prefix the target tree is renamed to before the copy takes its names. */
export const OLD_PREFIX = 'old-';

/** RDS DB instance identifier: 1–63 letters, digits or hyphens, a letter first, no `--`, no final `-`. */
const INSTANCE_ID = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/;

export const tempId = (id: string): string => `${TEMP_PREFIX}${id}`;
export const oldId = (id: string): string => `${OLD_PREFIX}${id}`;

/** The target-tree name an id of the copy or of the renamed tree stands for (`old-db` → `db`). */
export function logicalId(id: string): string {
  if (id.startsWith(OLD_PREFIX)) return id.slice(OLD_PREFIX.length);
  if (id.startsWith(TEMP_PREFIX)) return id.slice(TEMP_PREFIX.length);
  return id;
}

/**
 * @throws UsageError `RDS_BAD_INSTANCE_ID` when `id` is not an RDS identifier, or too long to take the
 *   `temp-` prefix (58 characters at most)
 */
export function assertInstanceId(id: string, flag: string): void {
  if (!INSTANCE_ID.test(id) || id.endsWith('-') || tempId(id).length > 63) {
    throw new UsageError('RDS_BAD_INSTANCE_ID', `${flag} ${id} is not an RDS instance id dbfork can clone`, {
      subject: { instance: id },
      hint: 'an id is a letter then letters, digits or single hyphens, at most 58 characters (room for temp-)',
    });
  }
}
