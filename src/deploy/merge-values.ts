/**
 * Merge values as Helm merges a values file over a chart's defaults: maps key by key, recursively;
 * anything else (scalars, lists, null) in `over` replaces what `base` holds. Neither input is changed.
 */
export function mergeValues<T>(base: T, over: unknown): T {
  if (!isMap(base) || !isMap(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeValues(out[key], value);
  return out as T;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
