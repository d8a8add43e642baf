import { cleanupJob } from './cleanup-job.js';
import { databaseUser } from './database-user.js';
import type { DeployValues } from './deploy-values.js';
import { externalSecrets } from './external-secrets.js';
import type { KubeObject } from './kube-object.js';
import { previewNames } from './preview-names.js';
import { producerCronJob } from './producer-cronjob.js';
import { lockJob, restoreJob } from './restore-job.js';

/**
 * The Kubernetes objects for the settings, in apply order: the ExternalSecrets (when enabled), the
 * producer CronJob (when enabled), then for a pull request (`pr.number` set) its database user, its
 * restore Job (while the database is locked, a Job writing the lock record instead: a locked database
 * is never restored over) and its PreDelete cleanup Job. Pure: the same values give the same objects; the Helm chart renders the same.
 */
export function renderManifests(values: DeployValues): KubeObject[] {
  const names = values.pr.number === null ? undefined : previewNames(values, values.pr.number);
  const out: KubeObject[] = [];
  if (values.secrets.externalSecret.enabled) out.push(...externalSecrets(values, names));
  if (values.producer.enabled) out.push(producerCronJob(values));
  if (names === undefined) return out;
  out.push(databaseUser(values, names));
  out.push(values.pr.locked ? lockJob(values, names) : restoreJob(values, names));
  out.push(cleanupJob(values, names));
  return out;
}
