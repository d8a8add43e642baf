import { z } from 'zod';

const regex = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regex');

/** The target guard's settings as a plan records them (`restore.run`, `restore.drop-extra`). */
export const RestoreGuardParamsSchema = z.strictObject({
  ephemeralPattern: regex,
  allowTargets: z.array(regex),
  protectedDbs: z.array(z.string()),
  confirm: z.string().optional(),
});
