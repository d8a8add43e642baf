import { EJSON } from 'bson';
import type { Command } from 'commander';
import { loadRelations } from '../config/load-relations.js';
import { UsageError } from '../errors/index.js';
import type { SnapshotCaptureParams } from '../pipeline/operations/snapshot-capture-operation.js';
import { FOLLOW_MODES, type FollowMode } from '../subset/subset-spec.js';
import { collect, parseCount } from './option-groups.js';

/** The flags of a referentially complete subset. */
export interface SubsetFlags {
  subset: string[];
  subsetLimit?: string;
  follow: string;
  relations?: string;
  subsetOthers: string;
  subsetSpillAfter?: string;
  rules?: string;
}

/** Add `--subset`, `--subset-limit`, `--follow`, `--relations`, `--subset-others` and `--subset-spill-after`. */
export function addSubsetOptions(command: Command): Command {
  return command
    .option(
      '--subset <coll=json>',
      'subset roots: documents of a collection matching an Extended JSON filter (repeatable)',
      collect,
      [],
    )
    .option('--subset-limit <n>', 'root documents per root collection (default: every match)')
    .option(
      '--follow <mode>',
      'parents (what the roots reference), children (what references them) or both',
      'parents',
    )
    .option('--relations <file>', 'relations file (default: the relations: of --rules)')
    .option('--subset-others <mode>', 'collections no relation names: whole or exclude', 'whole')
    .option(
      '--subset-spill-after <entries>',
      'closure entries (selected ids, values asked) kept in memory before spilling to an on-disk index in TMPDIR (default 100000)',
    );
}

/**
 * The subset part of a capture plan, from the flags; absent without `--subset`. Relations come from
 * `--relations`, else from the rules file; `size_limits` there bound the closure per collection.
 *
 * @throws UsageError `CONFIG_BAD_OPTION` for a bad flag, `RELATIONS_MISSING` without relations
 */
export async function subsetParam(flags: SubsetFlags): Promise<SnapshotCaptureParams['subset']> {
  if (flags.subset.length === 0) return undefined;
  const file = flags.relations ?? flags.rules;
  if (file === undefined)
    throw new UsageError('RELATIONS_MISSING', '--subset needs relations', {
      hint: 'give --relations <file> (or a --rules file with a relations: section)',
    });
  if (!(FOLLOW_MODES as readonly string[]).includes(flags.follow))
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--follow takes parents, children or both, got ${flags.follow}`,
    );
  if (flags.subsetOthers !== 'whole' && flags.subsetOthers !== 'exclude')
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--subset-others takes whole or exclude, got ${flags.subsetOthers}`,
    );
  const loaded = await loadRelations(file);
  return {
    roots: flags.subset.map(parseRoot),
    rootLimit: flags.subsetLimit === undefined ? 0 : parseCount(flags.subsetLimit, '--subset-limit'),
    follow: flags.follow as FollowMode,
    relations: loaded.relations,
    maxDocuments: loaded.maxDocuments,
    others: flags.subsetOthers,
    ...(flags.subsetSpillAfter === undefined
      ? {}
      : { spillAfter: parseCount(flags.subsetSpillAfter, '--subset-spill-after') }),
  };
}

function parseRoot(spec: string): { collection: string; query: Record<string, never> } {
  const eq = spec.indexOf('=');
  const collection = eq < 0 ? spec : spec.slice(0, eq);
  if (collection === '')
    throw new UsageError('CONFIG_BAD_OPTION', `--subset takes <collection>[=<json>], got ${spec}`);
  try {
    const query =
      eq < 0 ? {} : (EJSON.parse(spec.slice(eq + 1), { relaxed: false }) as Record<string, unknown>);
    return { collection, query: EJSON.serialize(query, { relaxed: false }) as Record<string, never> };
  } catch (cause) {
    throw new UsageError('CONFIG_BAD_OPTION', `--subset for ${collection} is not valid Extended JSON`, {
      hint: `e.g. --subset '${collection}={"status":"active"}'`,
      cause,
    });
  }
}
