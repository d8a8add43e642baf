/**
 * How a verified temporary collection replaces its target:
 * - `rename-drop-target`: one atomic rename that replaces the target (MongoDB's `dropTarget`);
 * - `rename-aside`: for servers without it (FerretDB): rename target → aside, rename temp → target,
 *   drop aside. Between the two renames the target name is absent (its complete old data sits under
 *   the aside name, the journal says so, and a rerun rolls forward).
 */
export type SwapStrategy = 'rename-drop-target' | 'rename-aside';
