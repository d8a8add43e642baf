import { loadRules } from '../config/load-rules.js';
import { stripUriCredentials } from '../core/redact.js';
import { normalizeStoreUrl } from '../store/open-snapshot-store.js';
import type { AuditedCommand } from './audited-commands.js';

/** What an audit record says a run is about, from its parsed command line. Never a secret. */
export interface AuditSubject {
  readonly action: string;
  /** Command words, e.g. `snapshot create`. */
  readonly command: string;
  /**
   * The store the records go to: `$DBFORK_AUDIT_STORE` when set; else the store the run uses (its
   * `--store`, or that option's default; not a `--direct` refresh or a restore `--in` a dump); else
   * null (then only `--audit-log` holds them).
   */
  readonly storeUrl: string | null;
  readonly source: Record<string, unknown>;
  readonly target: Record<string, unknown>;
  readonly rulesDigest: string | null;
  readonly anonymized: boolean | null;
}

// connection flags by side: the value (credentials stripped) or the variable / file that holds it
const SOURCE_CONNECTIONS = ['uri', 'from'];
const TARGET_CONNECTIONS = ['to', 'targetUri'];

/**
 * The subject of a run from its options (as commander parsed them, dbfork.yaml filled in) and its
 * positional arguments. A connection given by value is recorded without user info or secret
 * options; one given as `--x-env NAME` / `--x-file PATH` is recorded by that name only. The rules'
 * digest is read from `--rules` (null when the file cannot be read: the run itself reports that).
 */
export async function auditSubject(
  command: string,
  spec: AuditedCommand,
  options: Readonly<Record<string, unknown>>,
  args: readonly string[],
  hasStoreOption: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AuditSubject> {
  const text = (key: string): string | undefined =>
    typeof options[key] === 'string' ? (options[key] as string) : undefined;
  const source: Record<string, unknown> = {};
  const target: Record<string, unknown> = {};
  connections(SOURCE_CONNECTIONS, text, source);
  connections(TARGET_CONNECTIONS, text, target);
  // the run's own store, when it uses one: --store (or its default), not a --direct refresh or an --in dump
  const ownStore =
    hasStoreOption && options.direct !== true && text('in') === undefined
      ? normalizeStoreUrl(text('store'))
      : null;
  if (ownStore) source.store = ownStore;
  const dedicated = env.DBFORK_AUDIT_STORE;
  const storeUrl =
    dedicated !== undefined && dedicated !== ''
      ? normalizeStoreUrl(dedicated)
      : spec.inStore === false
        ? null
        : ownStore;
  const snapshot = text('snapshot') ?? (command.startsWith('snapshot ') ? args[0] : undefined);
  if (snapshot !== undefined) source.snapshot = snapshot;
  if (text('name') !== undefined) source.name = text('name');
  if (text('source') !== undefined) source.instance = text('source');
  if (text('target') !== undefined) target.instance = text('target');
  if (text('targetDb') !== undefined) target.db = text('targetDb');
  if (text('db') !== undefined) (spec.db === 'target' ? target : source).db = text('db');
  if (text('pr') !== undefined) target.pr = text('pr');
  if (command === 'apply' && args[0] !== undefined) source.plan = args[0];
  const rules = text('rules');
  const rulesDigest =
    rules === undefined
      ? null
      : await loadRules(rules).then(
          (r) => r.digest,
          () => null,
        );
  const anonymized = options.anonymize === false ? false : rules !== undefined ? true : null;
  return { action: spec.action, command, storeUrl, source, target, rulesDigest, anonymized };
}

function connections(
  names: readonly string[],
  text: (key: string) => string | undefined,
  into: Record<string, unknown>,
): void {
  for (const name of names) {
    const value = text(name);
    if (value !== undefined) into.uri = stripUriCredentials(value);
    const variable = text(`${name}Env`);
    if (variable !== undefined) into.uriEnv = variable;
    const file = text(`${name}File`);
    if (file !== undefined) into.uriFile = file;
  }
}
