import { createHash } from 'node:crypto';
import type { NormalizedRules } from './normalized-rules.js';

/**
 * The rules digest recorded in snapshot manifests: `sha256:<hex>` of the canonical JSON (object
 * keys sorted, arrays in order) of the normalized rules. It never includes the anonymization key,
 * so it can be published; two runs with the same digest and the same key give the same output.
 */
export function rulesDigest(rules: NormalizedRules): string {
  return `sha256:${createHash('sha256').update(canonicalJson(rules)).digest('hex')}`;
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
