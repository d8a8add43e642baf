import type { InstanceMap } from './db-instance.js';
import { targetTree } from './clone-state.js';
import { treeIds } from './replication-tree.js';

/** Default production marker: a target instance tagged so is never replaced. */
export const DEFAULT_PRODUCTION_TAG = 'environment=production';

/** The infrastructure target guard's settings. */
export interface InfraGuardConfig {
  readonly source: string;
  readonly target: string;
  /** `key=value`; the value is compared case-insensitively. */
  readonly productionTag: string;
  /** Globs (`*` any run of characters, `?` one) of ids never replaced, e.g. `*-prod*`. */
  readonly protectedIds: readonly string[];
  /** `--confirm <id>`: must equal the target root id. */
  readonly confirm?: string;
  /** `--no-anonymize`: the caller accepts a raw storage-level copy of the source's data. */
  readonly rawCopyAccepted: boolean;
}

export type InfraGuardRule =
  | 'target-is-source'
  | 'target-in-source-tree'
  | 'target-is-replica'
  | 'production-tag'
  | 'protected-id'
  | 'raw-copy'
  | 'confirm-required'
  | 'confirmed';

const CODES: Readonly<Record<Exclude<InfraGuardRule, 'confirmed'>, string>> = {
  'target-is-source': 'TARGET_IS_SOURCE',
  'target-in-source-tree': 'TARGET_IN_SOURCE_TREE',
  'target-is-replica': 'TARGET_IS_REPLICA',
  'production-tag': 'TARGET_PRODUCTION',
  'protected-id': 'TARGET_PROTECTED',
  'raw-copy': 'RAW_COPY_NOT_ACCEPTED',
  'confirm-required': 'TARGET_CONFIRM_REQUIRED',
};

/** The verdict, shaped as a plan's `guard`. */
export interface InfraGuardVerdict {
  readonly allowed: boolean;
  readonly rule: InfraGuardRule;
  readonly code: string | null;
  readonly reason: string;
}

/**
 * Decide whether the target tree may be replaced, from live state only, before any change. Refuses,
 * in order: the target is the source; a target-tree instance is the source or one of its replicas
 * (at any depth); the target root is itself a replica; a target-tree instance carries the production
 * tag or matches a protected id; the raw copy was not accepted; `confirm` is not the target id.
 * The target tree is the one before run `runId` began (its `old-*` names count too).
 */
export function checkInfraTarget(
  state: InstanceMap,
  config: InfraGuardConfig,
  runId: string | undefined,
): InfraGuardVerdict {
  const refuse = (rule: Exclude<InfraGuardRule, 'confirmed'>, reason: string): InfraGuardVerdict => ({
    allowed: false,
    rule,
    code: CODES[rule],
    reason,
  });
  const { source, target } = config;
  if (source === target) return refuse('target-is-source', `the target ${target} is the source`);
  const sourceTree = new Set(treeIds(state, source));
  const nodes = targetTree(state, target, runId);
  for (const node of nodes) {
    const inSource = [node.logical, node.instance.id].find((id) => sourceTree.has(id));
    if (inSource)
      return refuse(
        'target-in-source-tree',
        `${inSource} is ${inSource === source ? 'the source' : `a replica of ${source}`}`,
      );
  }
  const root = nodes[0]?.instance;
  if (root?.sourceId !== undefined && !sourceTree.has(root.sourceId))
    return refuse(
      'target-is-replica',
      `the target ${target} is a replica of ${root.sourceId}, not a primary`,
    );
  if (root?.sourceId !== undefined)
    return refuse('target-in-source-tree', `the target ${target} is a replica of ${root.sourceId}`);
  const [key, value = ''] = splitTag(config.productionTag);
  for (const node of nodes) {
    if (node.instance.tags[key]?.toLowerCase() === value.toLowerCase())
      return refuse('production-tag', `${node.instance.id} is tagged ${key}=${node.instance.tags[key]}`);
    const pattern = config.protectedIds.find((p) => globMatches(p, node.logical));
    if (pattern !== undefined)
      return refuse('protected-id', `${node.logical} matches the protected id pattern ${pattern}`);
  }
  if (!config.rawCopyAccepted)
    return refuse(
      'raw-copy',
      `an RDS clone copies ${source}'s data at the storage level, which dbfork cannot anonymize`,
    );
  if (config.confirm !== target)
    return refuse(
      'confirm-required',
      config.confirm === undefined
        ? `replacing ${target} needs --confirm ${target}`
        : `--confirm ${config.confirm} does not name the target ${target}`,
    );
  return {
    allowed: true,
    rule: 'confirmed',
    code: null,
    reason: `${target} is confirmed and not production`,
  };
}

/** `key=value` → [key, value]. */
export function splitTag(tag: string): [string, string] {
  const at = tag.indexOf('=');
  return at < 0 ? [tag, ''] : [tag.slice(0, at), tag.slice(at + 1)];
}

/** Whole-id glob match: `*` any run, `?` one character, everything else literal. */
export function globMatches(glob: string, id: string): boolean {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i').test(id);
}
