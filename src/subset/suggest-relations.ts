import type { RelationSampler, SampledField } from './relation-sampler.js';

/** Distinct values of a referencing field sent to each candidate target. */
const PROBE = 100;

/** A candidate relation, with the evidence for it. */
export interface SuggestedRelation {
  readonly from: string;
  readonly to: string;
  /** Share of the sampled distinct `from` values found at `to` (0–1). */
  readonly ratio: number;
  /** Sampled distinct values probed. */
  readonly probed: number;
  /** How the target field is known to identify documents. */
  readonly target: 'unique index' | 'distinct (no unique index)' | 'not unique';
}

export interface SuggestOptions {
  /** Documents sampled per collection. */
  readonly sample: number;
  /** Smallest ratio reported (0–1). */
  readonly minRatio: number;
}

/**
 * Propose relations from data: for every sampled field of every collection, probe its distinct
 * values against each candidate target field of the other collections holding values of the same
 * kind — `_id`, unique-indexed
 * fields, and fields whose sampled values are all distinct (real data often lacks the unique index
 * it should have) — and keep the pairs whose match ratio reaches `minRatio`. A target without a
 * unique index is checked for duplicates and reported as such. Sorted by ratio, best first.
 *
 * @throws SourceError from the sampler
 */
export async function suggestRelations(
  sampler: RelationSampler,
  options: SuggestOptions,
): Promise<SuggestedRelation[]> {
  const collections = await sampler.collections();
  const fields = new Map<string, SampledField[]>();
  const targets: { collection: string; path: string; unique: boolean; kinds: Set<string> }[] = [];
  for (const c of collections) {
    const sample = await sampler.sample(c, options.sample);
    // a reference field is held by most documents; keys of a map (`tiers.<id>.x`) are not fields
    const sampled = sample.fields.filter((f) => f.documents * 2 >= sample.documents && f.values.length > 1);
    fields.set(c, sampled);
    const unique = new Set(await sampler.uniqueFields(c));
    for (const f of sampled) {
      const keys = new Set(f.values.map((v) => v.key));
      if (unique.has(f.path) || keys.size === f.values.length)
        targets.push({ collection: c, path: f.path, unique: unique.has(f.path), kinds: kindsOf(f) });
    }
  }
  const out: SuggestedRelation[] = [];
  for (const [collection, sampled] of fields)
    for (const field of sampled) {
      if (field.path === '_id') continue;
      const distinct = [...new Map(field.values.map((v) => [v.key, v.value])).values()].slice(0, PROBE);
      if (distinct.length === 0) continue;
      const kinds = kindsOf(field);
      for (const target of targets) {
        if (target.collection === collection || ![...kinds].some((k) => target.kinds.has(k))) continue;
        const found = await sampler.matching(target.collection, target.path, distinct);
        const ratio = found / distinct.length;
        if (ratio < options.minRatio) continue;
        const kind = target.unique
          ? 'unique index'
          : (await sampler.hasDuplicates(target.collection, target.path))
            ? 'not unique'
            : 'distinct (no unique index)';
        out.push({
          from: `${collection}.${field.path}`,
          to: `${target.collection}.${target.path}`,
          ratio,
          probed: distinct.length,
          target: kind,
        });
      }
    }
  return out.sort((a, b) => b.ratio - a.ratio || a.from.localeCompare(b.from));
}

/** The BSON kinds of a field's values (from their keys): values of other kinds never match. */
function kindsOf(field: SampledField): Set<string> {
  return new Set(
    field.values.map((v) => (v.key.startsWith('{') ? v.key.slice(0, v.key.indexOf(':')) : 'string')),
  );
}
