import type { DeployValues } from './deploy-values.js';
import { jobPodTemplate, secretEnv } from './job-pod.js';
import { argoHook, labelsOf, type KubeObject } from './kube-object.js';
import type { PreviewNames } from './preview-names.js';

/** Where a seed volume is mounted in the restore Job. */
const SEED_MOUNT = '/seed';

/**
 * The restore Job of a pull request's database: an Argo CD PreSync hook in a sync wave after the
 * database user's, so the PR user exists before it runs. It restores with that user's credentials
 * (read on the snapshot database, write on its own database only) into the PR database, behind the
 * target guard (production and the snapshot database protected, the ephemeral pattern required):
 * - source `snapshot`: `dbfork restore --snapshot <name>@<snapshot>` from the store, waiting up to
 *   `restore.wait` for it. It gets the store's read credentials and no anonymization key: an
 *   anonymized snapshot restores as it is, and a raw one is refused.
 * - source `seed`: `dbfork restore --in <seed.path> --no-anonymize` (seed data is not production's).
 * Its init container first removes the database's lock record (`dbfork preview lock --unlock`): the
 * restore Job is rendered only while `persist-db` is absent.
 */
export function restoreJob(values: DeployValues, names: PreviewNames): KubeObject {
  const r = values.restore;
  const labels = labelsOf('snapshot-restore', names.pr);
  const input =
    values.pr.source === 'snapshot'
      ? ['--snapshot', `${values.store.snapshotName}@${values.pr.snapshot}`, '--store', values.store.url]
      : ['--in', values.seed.path, '--no-anonymize'];
  const wait = values.pr.source === 'snapshot' ? ['--wait', r.wait] : [];
  const args = [
    ...['--json', 'restore', ...input, ...wait, '--to-env', 'MONGODB_URI', '--db', names.database],
    ...['--protect-db', values.databases.production, '--protect-db', values.databases.snapshot],
    ...['--ephemeral-pattern', values.databases.ephemeralPattern],
  ];
  const seedVolume =
    values.pr.source === 'seed' && values.seed.volume !== null
      ? [{ name: 'seed', mountPath: SEED_MOUNT, source: values.seed.volume }]
      : [];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `dbfork-restore-pr-${names.pr}`,
      namespace: names.namespace,
      labels,
      annotations: argoHook('PreSync', r.hookDeletePolicy, r.syncWave),
    },
    spec: {
      backoffLimit: r.backoffLimit,
      activeDeadlineSeconds: r.activeDeadlineSeconds,
      ttlSecondsAfterFinished: r.ttlSecondsAfterFinished,
      template: jobPodTemplate(
        values,
        {
          container: 'restore',
          args,
          env: [secretEnv('MONGODB_URI', names.connectionSecret, values.atlas.connectionSecret.key)],
          envFromSecret: values.secrets.preview,
          resources: r.resources,
          volumes: seedVolume,
          initArgs: lockArgs(values, names, true),
        },
        labels,
      ),
    },
  };
}

/**
 * The Job rendered instead of the restore while the database is locked: a PreSync hook in the same
 * wave that writes the lock record (`dbfork preview lock`), so the PreDelete cleanup, `gc` and
 * `apply` refuse to drop the database, and nothing restores over it.
 */
export function lockJob(values: DeployValues, names: PreviewNames): KubeObject {
  const r = values.restore;
  const labels = labelsOf('database-lock', names.pr);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `dbfork-lock-pr-${names.pr}`,
      namespace: names.namespace,
      labels,
      annotations: argoHook('PreSync', r.hookDeletePolicy, r.syncWave),
    },
    spec: {
      backoffLimit: r.backoffLimit,
      activeDeadlineSeconds: values.cleanup.activeDeadlineSeconds,
      ttlSecondsAfterFinished: r.ttlSecondsAfterFinished,
      template: jobPodTemplate(
        values,
        {
          container: 'lock',
          args: lockArgs(values, names, false),
          env: [secretEnv('MONGODB_URI', names.connectionSecret, values.atlas.connectionSecret.key)],
          envFromSecret: values.secrets.preview,
          resources: values.cleanup.resources,
        },
        labels,
      ),
    },
  };
}

/** `dbfork preview lock` for the PR database, `--unlock` to remove the record. */
function lockArgs(values: DeployValues, names: PreviewNames, unlock: boolean): string[] {
  return [
    ...['--json', 'preview', 'lock', '--pr', String(names.pr), ...(unlock ? ['--unlock'] : [])],
    ...['--target-uri-env', 'MONGODB_URI', '--db-template', values.names.database],
    ...['--protect-db', values.databases.production, '--protect-db', values.databases.snapshot],
    ...['--ephemeral-pattern', values.databases.ephemeralPattern],
  ];
}
