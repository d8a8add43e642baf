import { z } from 'zod';

/**
 * What an operation declares about itself, so the executor and a reader of the plan know how to treat
 * it without knowing the kind:
 * - `destructive`: replaces or deletes data (a restore swap, a snapshot delete);
 * - `costs-money`: creates something billed (a cloud instance, a volume);
 * - `needs-confirmation`: the executor asks (or needs `--yes`) before running a plan holding it;
 * - `idempotent`: running it twice leaves the same state as once;
 * - `retryable`: a failure labelled `retryable` is retried with backoff (see `core/retry.ts`).
 */
const ASPECTS = ['destructive', 'costs-money', 'needs-confirmation', 'idempotent', 'retryable'] as const;

export type Aspect = (typeof ASPECTS)[number];

export const AspectSchema = z.enum(ASPECTS);

/** True when `aspects` holds `aspect`. */
export function hasAspect(aspects: readonly Aspect[], aspect: Aspect): boolean {
  return aspects.includes(aspect);
}
