import type { DeployValues } from './deploy-values.js';
import { jobPodTemplate, secretEnv } from './job-pod.js';
import { argoHook, labelsOf, type KubeObject } from './kube-object.js';
import type { PreviewNames } from './preview-names.js';

/**
 * The cleanup Job: an Argo CD PreDelete hook, so it runs when the pull request's application is
 * deleted and before the PR user (and its credentials) go. It runs `dbfork preview cleanup`, which
 * drops the PR database with the PR user's own credentials, and refuses to when the database holds the
 * `persist-db` lock record: deleting a locked PR's application never drops its database. With
 * `--if-unlocked` that refusal keeps the database and succeeds, since a failing PreDelete hook would
 * block the application's deletion.
 */
export function cleanupJob(values: DeployValues, names: PreviewNames): KubeObject {
  const c = values.cleanup;
  const labels = labelsOf('database-cleanup', names.pr);
  const args = [
    ...['--json', 'preview', 'cleanup', '--pr', String(names.pr), '--target-uri-env', 'MONGODB_URI'],
    ...['--db-template', values.names.database, '--if-unlocked'],
    ...['--protect-db', values.databases.production, '--protect-db', values.databases.snapshot],
    ...['--ephemeral-pattern', values.databases.ephemeralPattern],
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `dbfork-cleanup-pr-${names.pr}`,
      namespace: names.namespace,
      labels,
      annotations: argoHook('PreDelete', c.hookDeletePolicy),
    },
    spec: {
      backoffLimit: c.backoffLimit,
      activeDeadlineSeconds: c.activeDeadlineSeconds,
      template: jobPodTemplate(
        values,
        {
          container: 'cleanup',
          args,
          env: [secretEnv('MONGODB_URI', names.connectionSecret, values.atlas.connectionSecret.key)],
          envFromSecret: values.secrets.preview,
          resources: c.resources,
        },
        labels,
      ),
    },
  };
}
