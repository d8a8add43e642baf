import { z } from 'zod';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { RestoreRunParamsSchema } from './restore-run-operation.js';

/** The PR database a preview operation works on: where, which, whose, and the guard's settings. */
export const PreviewDatabaseParamsSchema = z.strictObject({
  target: ConnectionRefSchema,
  db: z.string(),
  pr: z.number().int().positive(),
  guard: RestoreRunParamsSchema.shape.guard,
});

export type PreviewDatabaseParams = z.infer<typeof PreviewDatabaseParamsSchema>;
