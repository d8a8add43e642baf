/** The labels dbfork reads on a pull request. */
export interface PreviewLabels {
  /** Enables the preview environment (default `preview`). */
  readonly preview: string;
  /** Data source: restore from the production snapshot instead of seed data (default `use-snapshot`). */
  readonly useSnapshot: string;
  /** Lock: the database is never dropped, refreshed or recreated (default `persist-db`). */
  readonly persistDb: string;
}

/** A data source a preview database is made from. */
export type PreviewSource = 'seed' | 'snapshot' | 'staging';

/**
 * What a team sets once for its preview databases (read from `dbfork.yaml` by the caller; every
 * field has a default, see {@link DEFAULT_PREVIEW_SETTINGS}). Data only: the decision engine is pure.
 */
export interface PreviewSettings {
  readonly labels: PreviewLabels;
  /** PR database name; `{number}` is replaced by the pull request number (default `app_pr_{number}`). */
  readonly databaseTemplate: string;
  /** Source when neither the `use-snapshot` label nor the `#preview-config` block names one. */
  readonly defaultSource: PreviewSource;
  /** The staging database `source: staging` clones (default `app_staging`). */
  readonly stagingDatabase: string;
  /** Allow `anonymize: false` with a snapshot source (raw production data in a preview). Default false. */
  readonly allowRawSnapshots: boolean;
  /** The most PR databases at once; a new one past it is refused with a comment. Null: no limit. */
  readonly maxDatabases: number | null;
  /** Create databases only while the `preview` label is present (default true). */
  readonly requirePreviewLabel: boolean;
}

/** The defaults: the labels `preview`, `use-snapshot`, `persist-db` and the PR database template `app_pr_{number}`. */
export const DEFAULT_PREVIEW_SETTINGS: PreviewSettings = Object.freeze({
  labels: Object.freeze({ preview: 'preview', useSnapshot: 'use-snapshot', persistDb: 'persist-db' }),
  databaseTemplate: 'app_pr_{number}',
  defaultSource: 'seed',
  stagingDatabase: 'app_staging',
  allowRawSnapshots: false,
  maxDatabases: null,
  requirePreviewLabel: true,
});

/** Partial settings (as a configuration file gives them) over the defaults. */
export type PreviewSettingsInput = Partial<Omit<PreviewSettings, 'labels'>> & {
  readonly labels?: Partial<PreviewLabels>;
};

/** Fill `input` with {@link DEFAULT_PREVIEW_SETTINGS}. Pure. */
export function previewSettings(input: PreviewSettingsInput = {}): PreviewSettings {
  return {
    ...DEFAULT_PREVIEW_SETTINGS,
    ...input,
    labels: { ...DEFAULT_PREVIEW_SETTINGS.labels, ...input.labels },
  };
}
