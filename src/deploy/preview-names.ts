import type { DeployValues } from './deploy-values.js';

/** A pull request's names, with `{number}` in the values' templates replaced. */
export interface PreviewNames {
  readonly pr: number;
  readonly namespace: string;
  readonly database: string;
  readonly user: string;
  readonly passwordSecret: string;
  readonly connectionSecret: string;
  readonly passwordKey: string;
}

/** Replace every `{number}` in a template by the pull request number. */
function expandName(template: string, pr: number): string {
  return template.replaceAll('{number}', String(pr));
}

/** The names of pull request `pr`'s namespace, database, user and secrets. */
export function previewNames(values: DeployValues, pr: number): PreviewNames {
  return {
    pr,
    namespace: expandName(values.names.namespace, pr),
    database: expandName(values.names.database, pr),
    user: expandName(values.names.user, pr),
    passwordSecret: expandName(values.atlas.passwordSecret, pr),
    connectionSecret: expandName(values.atlas.connectionSecret.name, pr),
    passwordKey: expandName(values.secrets.externalSecret.passwordKey, pr),
  };
}
