import { isDocument } from '../bson-value.js';
import { UNSET } from '../field-transform.js';
import { stepsOfDotPath, type PathStep } from './oplog-path.js';

/**
 * Rewrites the value an update writes at one path: the new value, or {@link UNSET} when the rules
 * remove the field (an `unset` rule).
 * @throws whatever the caller's rewrite throws (the oplog rewriter fails closed there)
 */
export type AssignmentRewrite = (steps: readonly PathStep[], value: unknown) => unknown;

/** Raised for an update the rewriter cannot turn into the anonymized one; the caller adds the optime. */
export class UnrewritableUpdate extends Error {}

/** The update operators oplog entries carry (`$v: 1`): others would need replay-time values. */
const SET_UNSET = new Set(['$v', '$set', '$unset']);

/**
 * Rewrite, in place, the values an oplog update entry's `o` writes, in either format servers log:
 * - `$set`/`$unset` (`$v: 1`, MongoDB < 5.0): each `$set` value; a value the rules unset moves to
 *   `$unset`;
 * - `$v: 2` diffs (MongoDB ≥ 5.0): `u` (updated) and `i` (inserted) fields, `s<field>` sub-diffs, and
 *   array diffs (`a: true`, `u<index>`, `s<index>`, `l` the new length); a value the rules unset moves
 *   to `d`. Format as mongod's `doc_diff` writes it (src/mongo/db/update/document_diff_serialization.h).
 * Removals (`$unset`, `d`) carry no values and stay.
 *
 * @throws UnrewritableUpdate for any other operator (`$inc`, `$push`, …: their result depends on the
 *   value at replay) or an unknown diff section
 */
export function rewriteUpdate(o: Record<string, unknown>, rewrite: AssignmentRewrite): void {
  if (isDiffUpdate(o)) {
    if (!isDocument(o.diff)) throw new UnrewritableUpdate('a $v: 2 update without a diff document');
    rewriteDiff(o.diff, [], rewrite);
    return;
  }
  for (const key of Object.keys(o)) {
    if (!SET_UNSET.has(key))
      throw new UnrewritableUpdate(
        `the update operator ${key} computes its value at replay, so its anonymized result cannot be written`,
      );
  }
  const set = o.$set;
  if (set === undefined) return;
  if (!isDocument(set)) throw new UnrewritableUpdate('$set is not a document');
  for (const [path, value] of Object.entries(set)) {
    const out = rewrite(stepsOfDotPath(path), value);
    if (out !== UNSET) {
      set[path] = out;
      continue;
    }
    delete set[path];
    const unset = isDocument(o.$unset) ? o.$unset : {};
    unset[path] = true;
    o.$unset = unset;
  }
  if (Object.keys(set).length === 0) delete o.$set;
}

/** A `$v: 2` update (the version is an Int32, a number, or a Long as drivers decode it). */
export function isDiffUpdate(o: Record<string, unknown>): boolean {
  const v = o.$v;
  return v !== undefined && Number(typeof v === 'object' && v !== null ? v.valueOf() : v) === 2;
}

function rewriteDiff(
  diff: Record<string, unknown>,
  prefix: readonly PathStep[],
  rewrite: AssignmentRewrite,
): void {
  if (diff.a === true) {
    rewriteArrayDiff(diff, prefix, rewrite);
    return;
  }
  for (const key of Object.keys(diff)) {
    const section = diff[key];
    if (key === 'd') continue;
    if (!isDocument(section)) throw new UnrewritableUpdate(`diff section ${key} is not a document`);
    if (key === 'u' || key === 'i') {
      for (const [field, value] of Object.entries(section)) {
        const out = rewrite([...prefix, { key: field, array: false }], value);
        if (out !== UNSET) {
          section[field] = out;
          continue;
        }
        delete section[field];
        const d = isDocument(diff.d) ? diff.d : {};
        d[field] = false;
        diff.d = d;
      }
      if (Object.keys(section).length === 0) delete diff[key];
    } else if (key.startsWith('s') && key.length > 1) {
      rewriteDiff(section, [...prefix, { key: key.slice(1), array: false }], rewrite);
    } else {
      throw new UnrewritableUpdate(`unknown diff section ${key}`);
    }
  }
}

function rewriteArrayDiff(
  diff: Record<string, unknown>,
  prefix: readonly PathStep[],
  rewrite: AssignmentRewrite,
): void {
  for (const key of Object.keys(diff)) {
    if (key === 'a' || key === 'l') continue;
    const index = key.slice(1);
    if (!/^\d+$/.test(index)) throw new UnrewritableUpdate(`unknown array diff section ${key}`);
    const steps = [...prefix, { key: index, array: true }];
    if (key.startsWith('u')) {
      const out = rewrite(steps, diff[key]);
      if (out === UNSET)
        throw new UnrewritableUpdate('a rule unsets an array element that the update writes');
      diff[key] = out;
    } else if (key.startsWith('s')) {
      const sub = diff[key];
      if (!isDocument(sub)) throw new UnrewritableUpdate(`array diff section ${key} is not a document`);
      rewriteDiff(sub, steps, rewrite);
    } else {
      throw new UnrewritableUpdate(`unknown array diff section ${key}`);
    }
  }
}
