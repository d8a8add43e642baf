import type { Namespace } from '../core/namespace.js';

/**
 * A collection key of the rules file as a matcher. `*` matches any run of characters (dots
 * included), `?` one character. A pattern matches a namespace when it matches the collection name
 * alone (`pmInvestigator`, `system.sessions`, `audit_*`) or the full `db.collection`
 * (`prod.users`, `*.users`).
 */
export function namespacePattern(pattern: string): (ns: Namespace) => boolean {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$+.()|{}[\]]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${body}$`, 's');
  return (ns) => re.test(ns.collection) || re.test(`${ns.db}.${ns.collection}`);
}
