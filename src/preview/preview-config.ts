import { z } from 'zod';
import { parseRulesSource, type RulesSource } from '../config/rules-source.js';
import { isDbforkError } from '../errors/index.js';
import { findConfigBlock, type ConfigBlock } from './find-config-block.js';
import type { SnapshotSelector } from './preview-action.js';
import type { PreviewSource } from './preview-settings.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

const SnapshotIdSchema = z
  .string()
  .refine((s) => s === 'latest' || (DAY.test(s) ? isRealDay(s) : SNAPSHOT_ID.test(s)), {
    message: 'snapshotId must be latest, a snapshot id, or a UTC date YYYY-MM-DD',
  });

/** The `database:` part of a `#preview-config` block in a pull request description; other top-level keys (`web:`) are not dbfork's. */
export const PreviewConfigSchema = z.looseObject({
  database: z
    .strictObject({
      source: z.enum(['seed', 'snapshot', 'staging']).optional(),
      snapshotId: z
        .union([SnapshotIdSchema, z.date().transform((d) => d.toISOString().slice(0, 10))])
        .optional(),
      anonymize: z.boolean().optional(),
      collections: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});

/** A valid block's settings, defaults filled in. */
export interface PreviewConfig {
  /** Absent when the block names no source. */
  readonly source?: PreviewSource;
  readonly snapshotId: string;
  readonly select: SnapshotSelector;
  readonly anonymize: boolean;
  readonly collections: readonly string[];
}

/** Why a block was refused: the message, the description's line (1-based) and that line's text. */
export interface PreviewConfigError {
  readonly message: string;
  readonly line: number;
  readonly quote: string;
  readonly fieldPath: string;
}

export type PreviewConfigResult =
  | { readonly ok: true; readonly config: PreviewConfig; readonly found: boolean }
  | { readonly ok: false; readonly error: PreviewConfigError };

/** What validation needs beyond the block. */
export interface PreviewConfigOptions {
  /** The source in effect is a snapshot whatever the block says (the `use-snapshot` label). */
  readonly snapshotByLabel: boolean;
  /** `anonymize: false` with a snapshot source is allowed. */
  readonly allowRawSnapshots: boolean;
}

const DEFAULTS: PreviewConfig = { snapshotId: 'latest', select: 'latest', anonymize: true, collections: [] };

/**
 * Read the `#preview-config` block of a pull request description (see {@link findConfigBlock}):
 * YAML, validated with {@link PreviewConfigSchema}. `anonymize: false` with a snapshot source (by the
 * block or the label) is refused unless `allowRawSnapshots`. Pure.
 *
 * @returns the config (defaults when there is no block), or the first error with its line
 */
export function parsePreviewConfig(body: string | null, options: PreviewConfigOptions): PreviewConfigResult {
  const block = findConfigBlock(body);
  if (!block) return { ok: true, config: DEFAULTS, found: false };
  let source: RulesSource;
  try {
    source = parseRulesSource(block.yaml, '#preview-config');
  } catch (error) {
    if (!isDbforkError(error)) throw error;
    const line = typeof error.subject.line === 'number' ? error.subject.line : 1;
    return refuse(block, line, error.message.replace(/^#preview-config:\d+:\d+: /, ''), '');
  }
  const parsed = PreviewConfigSchema.safeParse(source.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const message =
      issue?.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue?.message;
    const at = issue?.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path;
    return refuse(block, source.locate(at).line, message ?? 'invalid block', at.join('.'));
  }
  const db = parsed.data.database ?? {};
  const snapshotId = db.snapshotId ?? 'latest';
  const config: PreviewConfig = {
    ...(db.source ? { source: db.source } : {}),
    snapshotId,
    select: snapshotId === 'latest' ? 'latest' : DAY.test(snapshotId) ? 'date' : 'id',
    anonymize: db.anonymize ?? true,
    collections: db.collections ?? [],
  };
  const snapshot = options.snapshotByLabel || config.source === 'snapshot';
  if (snapshot && !config.anonymize && !options.allowRawSnapshots) {
    return refuse(
      block,
      source.locate(['database', 'anonymize']).line,
      'anonymize: false with a snapshot source is refused: raw production data is not allowed in previews by this configuration',
      'database.anonymize',
    );
  }
  return { ok: true, config, found: true };
}

function refuse(
  block: ConfigBlock,
  yamlLine: number,
  message: string,
  fieldPath: string,
): PreviewConfigResult {
  const line = block.firstLine + yamlLine - 1;
  return { ok: false, error: { message, line, quote: block.lines[line - 1] ?? '', fieldPath } };
}

function isRealDay(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
