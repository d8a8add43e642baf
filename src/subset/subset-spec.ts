import type { Relation } from './relation.js';

/** Which way the closure follows relations from the documents it holds. */
export type FollowMode = 'parents' | 'children' | 'both';

export const FOLLOW_MODES: readonly FollowMode[] = ['parents', 'children', 'both'];

/** Where a subset starts: one collection's matching documents. */
export interface SubsetRoot {
  readonly collection: string;
  /** A filter in the engine's query language (`{}`: every document). */
  readonly query: Readonly<Record<string, unknown>>;
}

/** What to select: roots, relations to follow and bounds. */
export interface SubsetSpec {
  readonly roots: readonly SubsetRoot[];
  /** Root documents per root collection (0: all that match). */
  readonly rootLimit: number;
  readonly follow: FollowMode;
  readonly relations: readonly Relation[];
  /** Most documents selected per collection (`size_limits.max_documents`); absent: unbounded. */
  readonly maxDocuments: Readonly<Record<string, number>>;
}
