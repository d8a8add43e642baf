import type { NormalizedCollectionRules } from '../config/normalized-rules.js';
import { parseFieldPath } from '../transform/field-path.js';
import type { ConcreteStep } from '../transform/path-coverage.js';

/** How the rules classify one field path: rewritten by a rule, kept as safe, or neither. */
export type FieldClass = 'transformed' | 'kept' | 'unclassified';

/** One node of the rule-path trie: a mark when a rule path ends here, children by segment. */
export interface ClassifierNode {
  mark: 'transformed' | 'kept' | null;
  /** The node of a `**` segment: it matches any further key or position too. */
  anyDepth?: boolean;
  readonly children: Map<string, ClassifierNode>;
}

/**
 * The field classification of one namespace, compiled once from every rules key that matches it:
 * a trie of the transformed and kept paths (`*` segments included). The single implementation
 * behind `scan --strict` and the fail-closed gate in the stream, so both always agree.
 *
 * Semantics are those of the rewrite (see transform/path-coverage.ts): a path is covered when a rule
 * path reaches it or one of its ancestors; array positions are transparent unless a rule names them
 * (a number) or matches them with `*`. A transformed rule wins over a kept one on the same path.
 */
export class FieldClassifier {
  readonly root: ClassifierNode = node();

  /** @param collections the rules keys matching the namespace (any order) */
  constructor(collections: readonly NormalizedCollectionRules[]) {
    for (const c of collections) {
      if (c.keepWhole) this.root.mark = mergeMark(this.root.mark, 'kept');
      for (const f of c.fields) this.#add(f.path, 'transformed');
      for (const k of c.keep) this.#add(k, 'kept');
    }
  }

  /** True when the whole namespace is classified without looking at fields (kept whole). */
  get coversEverything(): boolean {
    return this.root.mark !== null;
  }

  /** Classify one concrete path (keys and array positions, as met while walking a document). */
  classify(steps: readonly ConcreteStep[]): FieldClass {
    let best: FieldClass = markOf([this.root]);
    let nodes: ClassifierNode[] = [this.root];
    for (const step of steps) {
      if (best === 'transformed' || nodes.length === 0) break;
      nodes = 'key' in step ? stepKey(nodes, step.key) : stepIndex(nodes, step.index);
      const mark = markOf(nodes);
      if (mark === 'transformed' || (mark === 'kept' && best === 'unclassified')) best = mark;
    }
    return best;
  }

  #add(path: string, mark: 'transformed' | 'kept'): void {
    let at = this.root;
    for (const segment of parseFieldPath(path)) {
      let next = at.children.get(segment);
      if (!next) at.children.set(segment, (next = node()));
      if (segment === '**') next.anyDepth = true;
      at = next;
    }
    at.mark = mergeMark(at.mark, mark);
  }
}

/**
 * `nodes` plus, for a `**` segment (any run of keys), the node after it: `**` may match no key.
 * A `**` node stays reachable by any further key or position (it matches that step too).
 */
function withAnyDepth(nodes: readonly ClassifierNode[]): readonly ClassifierNode[] {
  if (!nodes.some((n) => n.children.has('**'))) return nodes;
  const out = [...nodes];
  for (let i = 0; i < out.length; i++) {
    const deep = out[i]?.children.get('**');
    if (deep && !out.includes(deep)) out.push(deep);
  }
  return out;
}

/** The trie nodes reached from `nodes` by a document key. */
export function stepKey(nodes: readonly ClassifierNode[], key: string): ClassifierNode[] {
  const out: ClassifierNode[] = [];
  const all = withAnyDepth(nodes);
  for (const n of all) if (n.anyDepth) out.push(n);
  for (const n of all) {
    const exact = n.children.get(key);
    if (exact) out.push(exact);
    const any = key === '*' ? undefined : n.children.get('*');
    if (any) out.push(any);
  }
  return out;
}

/** The trie nodes reached from `nodes` by an array position: the position is transparent too. */
export function stepIndex(nodes: readonly ClassifierNode[], index: number): ClassifierNode[] {
  const all = withAnyDepth(nodes);
  const out: ClassifierNode[] = [...nodes];
  for (const n of all) if (n.anyDepth && !out.includes(n)) out.push(n);
  for (const n of all) {
    const any = n.children.get('*');
    if (any) out.push(any);
    const exact = n.children.get(String(index));
    if (exact) out.push(exact);
  }
  return out;
}

/** The strongest mark among `nodes`: transformed, kept, or unclassified. */
export function markOf(nodes: readonly ClassifierNode[]): FieldClass {
  let kept = false;
  for (const n of nodes) {
    if (n.mark === 'transformed') return 'transformed';
    if (n.mark === 'kept') kept = true;
  }
  return kept ? 'kept' : 'unclassified';
}

function node(): ClassifierNode {
  return { mark: null, children: new Map() };
}

function mergeMark(a: ClassifierNode['mark'], b: 'transformed' | 'kept'): 'transformed' | 'kept' {
  return a === 'transformed' || b === 'transformed' ? 'transformed' : 'kept';
}
