import { getBooleanInput, getInput } from '@actions/core';
import type { PreviewDatabaseState } from '../preview/preview-input.js';
import { previewSettings, type PreviewSettings, type PreviewSource } from '../preview/preview-settings.js';

/** The Action's inputs (action.yml), read and checked. */
export interface ActionInputs {
  readonly token: string;
  /** A decision from `dbfork preview decide --json` to carry out instead of deciding here. */
  readonly decision: string | null;
  readonly settings: PreviewSettings;
  /** The database state given by the workflow; each null field is taken from the labels. */
  readonly database: { readonly [K in keyof PreviewDatabaseState]: PreviewDatabaseState[K] | null };
  readonly prDatabases: number | null;
  readonly snapshotTakenAt: string | null;
  readonly eventId: string | null;
  readonly dryRun: boolean;
}

const SOURCES: readonly PreviewSource[] = ['seed', 'snapshot', 'staging'];

/**
 * Read the inputs. Empty means "not given" (the default of action.yml).
 * @throws Error naming the input for a value it does not take
 */
export function readActionInputs(): ActionInputs {
  const text = (name: string): string | null => getInput(name).trim() || null;
  const flag = (name: string): boolean | null => (text(name) === null ? null : getBooleanInput(name));
  const count = (name: string): number | null => {
    const value = text(name);
    if (value === null) return null;
    if (!/^\d+$/.test(value)) throw new Error(`input ${name} takes a whole number, got ${value}`);
    return Number(value);
  };
  const source = (name: string): PreviewSource | null => {
    const value = text(name);
    if (value === null) return null;
    const found = SOURCES.find((s) => s === value);
    if (found === undefined) throw new Error(`input ${name} takes seed, snapshot or staging, got ${value}`);
    return found;
  };
  const template = text('db-template');
  if (template !== null && !template.includes('{number}'))
    throw new Error(`input db-template must hold {number}, got ${template}`);
  const labels = {
    ...(text('label-preview') ? { preview: text('label-preview') ?? '' } : {}),
    ...(text('label-use-snapshot') ? { useSnapshot: text('label-use-snapshot') ?? '' } : {}),
    ...(text('label-persist-db') ? { persistDb: text('label-persist-db') ?? '' } : {}),
  };
  const defaultSource = source('default-source');
  const staging = text('staging-db');
  const max = count('max-databases');
  return {
    token: getInput('github-token', { required: true }),
    decision: text('decision'),
    settings: previewSettings({
      labels,
      ...(template === null ? {} : { databaseTemplate: template }),
      ...(defaultSource === null ? {} : { defaultSource }),
      ...(staging === null ? {} : { stagingDatabase: staging }),
      allowRawSnapshots: flag('allow-raw-snapshots') ?? false,
      maxDatabases: max,
      requirePreviewLabel: !(flag('preview-label-optional') ?? false),
    }),
    database: {
      exists: flag('database-exists'),
      locked: flag('database-locked'),
      source: source('database-source'),
    },
    prDatabases: count('pr-databases'),
    snapshotTakenAt: text('snapshot-taken-at'),
    eventId: text('event-id'),
    dryRun: flag('dry-run') ?? false,
  };
}
