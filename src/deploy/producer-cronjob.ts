import type { DeployValues } from './deploy-values.js';
import { jobPodTemplate } from './job-pod.js';
import { labelsOf, type KubeObject } from './kube-object.js';

/** Where the producer's anonymization rules are mounted (from `producer.rulesConfigMap`, key rules.yaml). */
const PRODUCER_RULES_PATH = '/etc/dbfork/rules/rules.yaml';

/**
 * The snapshot producer: a CronJob that captures production, anonymized with the rules and the key
 * of the producer's Secret, into the store (`dbfork snapshot create`; the manifest is written last,
 * then `latest` moves). One run at a time (`concurrencyPolicy: Forbid`); a run missed by more than
 * `startingDeadlineSeconds` is skipped, and a run is stopped after `activeDeadlineSeconds`.
 * The producer's Secret holds `SOURCE_URI` (a read-only production user), `DBFORK_ANONYMIZATION_KEY`
 * and the store's credentials; it is the only Secret that holds the key.
 */
export function producerCronJob(values: DeployValues): KubeObject {
  const p = values.producer;
  const labels = labelsOf('snapshot-producer');
  const args = [
    ...['--json', 'snapshot', 'create', '--uri-env', 'SOURCE_URI', '--db', values.databases.production],
    ...['--name', values.store.snapshotName, '--store', values.store.url, '--rules', PRODUCER_RULES_PATH],
    ...(values.operations.pushgateway ? ['--pushgateway', values.operations.pushgateway] : []),
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'dbfork-snapshot-producer', namespace: p.namespace, labels },
    spec: {
      schedule: p.schedule,
      timeZone: p.timeZone,
      concurrencyPolicy: p.concurrencyPolicy,
      startingDeadlineSeconds: p.startingDeadlineSeconds,
      successfulJobsHistoryLimit: p.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: p.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: p.backoffLimit,
          activeDeadlineSeconds: p.activeDeadlineSeconds,
          template: jobPodTemplate(
            values,
            {
              container: 'snapshot',
              args,
              env: [],
              envFromSecret: values.secrets.producer,
              resources: p.resources,
              volumes: [
                {
                  name: 'rules',
                  mountPath: '/etc/dbfork/rules',
                  source: { configMap: { name: p.rulesConfigMap } },
                },
              ],
            },
            labels,
          ),
        },
      },
    },
  };
}
