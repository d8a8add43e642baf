import { UsageError } from '../errors/index.js';

/** One `--ns-from`/`--ns-to` pair, compiled. */
interface Rule {
  readonly from: RegExp;
  readonly vars: readonly string[];
  readonly to: string;
}

const VAR = /\$([A-Za-z0-9_]*)\$/g;

/**
 * Namespace renaming as mongorestore's `--nsFrom`/`--nsTo`: each `$name$` in a from-pattern matches any
 * run of characters (dots included) and is substituted where `$name$` appears in the matching
 * to-pattern; every other character is literal (`$$` is not supported: `$` cannot start a name part
 * anyway). Pairs are tried in order; the first whole-namespace match wins. Without pairs, nothing is
 * renamed.
 *
 * @returns a function mapping `db.coll` to the renamed namespace, or undefined when no pair matched
 * @throws UsageError `CONFIG_BAD_OPTION` when the lists differ in length or a to-pattern uses a
 *   variable its from-pattern does not define
 */
export function namespaceRenamer(
  from: readonly string[],
  to: readonly string[],
): (ns: string) => string | undefined {
  if (from.length !== to.length) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--ns-from is given ${from.length} times and --ns-to ${to.length} times`,
      {
        hint: 'give one --ns-to for each --ns-from, in the same order',
      },
    );
  }
  const rules: Rule[] = from.map((pattern, i) => compile(pattern, to[i] ?? ''));
  return (ns) => {
    for (const rule of rules) {
      const m = rule.from.exec(ns);
      if (!m) continue;
      const values = new Map(rule.vars.map((v, j) => [v, m[j + 1] ?? '']));
      return rule.to.replace(VAR, (_all, name: string) => values.get(name) ?? '');
    }
    return undefined;
  };
}

function compile(from: string, to: string): Rule {
  const vars: string[] = [];
  let source = '';
  let last = 0;
  for (const m of from.matchAll(VAR)) {
    source += escape(from.slice(last, m.index));
    const name = m[1] ?? '';
    if (vars.includes(name)) {
      throw new UsageError('CONFIG_BAD_OPTION', `--ns-from ${from} uses $${name}$ twice`);
    }
    vars.push(name);
    source += '(.*?)';
    last = m.index + m[0].length;
  }
  source += escape(from.slice(last));
  for (const m of to.matchAll(VAR)) {
    if (!vars.includes(m[1] ?? '')) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `--ns-to ${to} uses $${m[1] ?? ''}$, which --ns-from ${from} does not define`,
      );
    }
  }
  return { from: new RegExp(`^${source}$`, 's'), vars, to };
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
