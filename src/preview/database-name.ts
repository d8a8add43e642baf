import type { PreviewSettings } from './preview-settings.js';

/** The PR database of pull request `number`: the template with `{number}` replaced (`app_pr_12`). */
export function previewDatabaseName(
  settings: Pick<PreviewSettings, 'databaseTemplate'>,
  number: number,
): string {
  return settings.databaseTemplate.replaceAll('{number}', String(number));
}

/**
 * The pull request number a database name stands for under the template, or null when the name is
 * not a PR database (`app_pr_12` → 12 for `app_pr_{number}`).
 */
export function pullRequestOfDatabase(
  settings: Pick<PreviewSettings, 'databaseTemplate'>,
  name: string,
): number | null {
  const parts = settings.databaseTemplate.split('{number}').map(escapeRegex);
  const match = new RegExp(`^${parts.join('([1-9][0-9]*)')}$`).exec(name);
  const n = match?.[1];
  return n === undefined ? null : Number(n);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
