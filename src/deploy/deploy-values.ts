import { z } from 'zod';

/**
 * The settings the Kubernetes manifests are rendered from: the same shape as the Helm chart's
 * `deploy/helm/dbfork/values.yaml`, so one values file drives `helm template` and
 * `dbfork preview manifests` alike. Names may hold `{number}`, replaced by the pull request number.
 * Durations of the Jobs are whole seconds; `restore.wait` is a dbfork duration (`6m`).
 */

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a lowercase DNS-1123 name');
const templated = z.string().min(1);
const seconds = z.number().int().positive();
const quantity = z.union([z.string().min(1), z.number()]);

const Resources = z.strictObject({
  requests: z.record(z.string(), quantity).optional(),
  limits: z.record(z.string(), quantity).optional(),
});

const SecretKeyRef = z.strictObject({ name: templated, key: z.string().min(1) });

const JobSettings = {
  activeDeadlineSeconds: seconds,
  backoffLimit: z.number().int().min(0),
  resources: Resources,
};

export const DeployValuesSchema = z.strictObject({
  pr: z.strictObject({
    /** The pull request; without it only the producer CronJob is rendered. */
    number: z.number().int().positive().nullable(),
    /** Where the PR database's data comes from. */
    source: z.enum(['seed', 'snapshot']),
    /** `latest`, a snapshot id, or a UTC day (`2026-01-09`). */
    snapshot: z.string().min(1),
    /** `persist-db`: the database is locked, so no restore Job is rendered. */
    locked: z.boolean(),
  }),
  names: z.strictObject({ namespace: templated, database: templated, user: templated }),
  databases: z.strictObject({
    /** Production: never a target (the guard's protected list). */
    production: z.string().min(1),
    /** The snapshot database, read by PR users whose preview uses a snapshot; also protected. */
    snapshot: z.string().min(1),
    ephemeralPattern: z.string().min(1),
  }),
  image: z.strictObject({
    repository: z.string().min(1),
    tag: z.string().min(1),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
  }),
  serviceAccountName: z.string(),
  store: z.strictObject({ url: z.string().min(1), snapshotName: z.string().min(1) }),
  producer: z.strictObject({
    enabled: z.boolean(),
    namespace: name,
    schedule: z.string().min(9),
    timeZone: z.string().min(1),
    concurrencyPolicy: z.literal('Forbid'),
    startingDeadlineSeconds: seconds,
    successfulJobsHistoryLimit: z.number().int().min(0),
    failedJobsHistoryLimit: z.number().int().min(0),
    rulesConfigMap: name,
    ...JobSettings,
  }),
  restore: z.strictObject({
    syncWave: z.number().int(),
    hookDeletePolicy: z.enum(['BeforeHookCreation', 'HookSucceeded', 'HookFailed']),
    ttlSecondsAfterFinished: seconds,
    wait: z.string().regex(/^\d+(ms|s|m|h)$/),
    ...JobSettings,
  }),
  cleanup: z.strictObject({
    hookDeletePolicy: z.enum(['BeforeHookCreation', 'HookSucceeded', 'HookFailed']),
    ...JobSettings,
  }),
  seed: z.strictObject({
    /** The seed dump (archive or folder) inside the image or the seed volume. */
    path: z.string().min(1),
    /** A Kubernetes volume source mounted read-only at /seed (e.g. `{configMap: {name: …}}`), or null. */
    volume: z.record(z.string(), z.unknown()).nullable(),
  }),
  atlas: z.strictObject({
    syncWave: z.number().int(),
    projectRef: z.strictObject({ name: z.string().min(1), namespace: z.string() }),
    clusterName: z.string(),
    passwordSecret: templated,
    connectionSecret: SecretKeyRef,
  }),
  secrets: z.strictObject({
    /** Secret of the producer: SOURCE_URI, DBFORK_ANONYMIZATION_KEY and the store's credentials. */
    producer: name,
    /** Secret of the preview Jobs: the store's credentials only (never the anonymization key). */
    preview: name,
    externalSecret: z.strictObject({
      enabled: z.boolean(),
      apiVersion: z.enum(['external-secrets.io/v1', 'external-secrets.io/v1beta1']),
      refreshInterval: z.string().min(1),
      secretStoreRef: z.strictObject({
        name: z.string().min(1),
        kind: z.enum(['SecretStore', 'ClusterSecretStore']),
      }),
      producerKey: z.string().min(1),
      previewKey: z.string().min(1),
      passwordKey: templated,
    }),
  }),
  /** Alert rules, the staging refresh and retention (docs/runbook.md); none is rendered by default. */
  operations: z.strictObject({
    /** Pushgateway the producer, staging refresh and retention push their run metrics to ('' for none). */
    pushgateway: z.string(),
    prometheusRule: z.strictObject({
      enabled: z.boolean(),
      namespace: name,
      /** Labels the Prometheus Operator selects rules by, e.g. {release: kube-prometheus-stack}. */
      labels: z.record(z.string(), z.string()),
    }),
    staging: z.strictObject({
      enabled: z.boolean(),
      database: z.string().min(1),
      snapshot: z.string().min(1),
      schedule: z.string().min(9),
      /** While true the CronJob never runs on its own: jobs are created from it on demand. */
      suspend: z.boolean(),
      /** Secret with TARGET_URI (the staging user) and the store's read credentials. */
      secret: name,
      ...JobSettings,
    }),
    retention: z.strictObject({
      enabled: z.boolean(),
      schedule: z.string().min(9),
      keepLast: z.number().int().min(0).nullable(),
      keepDaily: z.number().int().min(0).nullable(),
      keepWeekly: z.number().int().min(0).nullable(),
      keepMonthly: z.number().int().min(0).nullable(),
      /** Secret with the store's delete credentials. */
      secret: name,
      ...JobSettings,
    }),
  }),
});

/** The validated settings. */
export type DeployValues = z.infer<typeof DeployValuesSchema>;

/** The chart's defaults (`deploy/helm/dbfork/values.yaml` holds the same; a test compares them). */
export const DEFAULT_DEPLOY_VALUES: DeployValues = {
  pr: { number: null, source: 'seed', snapshot: 'latest', locked: false },
  names: { namespace: 'pr-{number}', database: 'app_pr_{number}', user: 'app-pr-{number}' },
  databases: { production: 'app', snapshot: 'app_snapshot', ephemeralPattern: '_pr_[0-9]+$' },
  image: { repository: 'ghcr.io/dbfork/dbfork', tag: '0.1.0', pullPolicy: 'IfNotPresent' },
  serviceAccountName: '',
  store: { url: 's3://dbfork-snapshots/app', snapshotName: 'app' },
  producer: {
    enabled: true,
    namespace: 'dbfork-system',
    schedule: '0 3 * * 0',
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 3600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    rulesConfigMap: 'dbfork-rules',
    activeDeadlineSeconds: 3600,
    backoffLimit: 2,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  },
  restore: {
    syncWave: 3,
    hookDeletePolicy: 'BeforeHookCreation',
    ttlSecondsAfterFinished: 600,
    wait: '6m',
    activeDeadlineSeconds: 900,
    backoffLimit: 3,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  },
  cleanup: {
    hookDeletePolicy: 'HookSucceeded',
    activeDeadlineSeconds: 300,
    backoffLimit: 2,
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  },
  seed: { path: '/seed/seed.archive', volume: null },
  atlas: {
    syncWave: 1,
    projectRef: { name: 'app-project', namespace: '' },
    clusterName: '',
    passwordSecret: 'app-pr-{number}-password',
    connectionSecret: { name: 'app-project-app-cluster-app-pr-{number}', key: 'connectionStringStandardSrv' },
  },
  secrets: {
    producer: 'dbfork-producer',
    preview: 'dbfork-preview',
    externalSecret: {
      enabled: false,
      apiVersion: 'external-secrets.io/v1',
      refreshInterval: '1h',
      secretStoreRef: { name: 'dbfork', kind: 'ClusterSecretStore' },
      producerKey: 'dbfork-producer',
      previewKey: 'dbfork-preview',
      passwordKey: 'app-pr-{number}-password',
    },
  },
  operations: {
    pushgateway: '',
    prometheusRule: { enabled: false, namespace: 'dbfork-system', labels: {} },
    staging: {
      enabled: false,
      database: 'app_staging',
      snapshot: 'latest',
      schedule: '0 5 * * 1',
      suspend: true,
      secret: 'dbfork-staging',
      activeDeadlineSeconds: 1800,
      backoffLimit: 0,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
    retention: {
      enabled: false,
      schedule: '30 4 * * *',
      keepLast: null,
      keepDaily: 7,
      keepWeekly: 4,
      keepMonthly: 3,
      secret: 'dbfork-retention',
      activeDeadlineSeconds: 600,
      backoffLimit: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
  },
};
