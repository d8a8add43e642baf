import type { DeployValues } from './deploy-values.js';
import { argoHook, labelsOf, type KubeObject } from './kube-object.js';
import type { PreviewNames } from './preview-names.js';

/**
 * ExternalSecrets (External Secrets Operator, `secrets.externalSecret.apiVersion`) that make the
 * Secrets the manifests read, from a secret manager behind `secretStoreRef`: the producer's Secret
 * (with the anonymization key, in the producer's namespace), and for a pull request the preview Jobs'
 * Secret (store credentials only) and the PR user's password Secret (key `password`, labelled for
 * the Atlas Operator). Each copies every property of one remote key (`dataFrom.extract`). A pull
 * request's ExternalSecrets are PreSync hooks one wave before the database user, which needs them.
 */
export function externalSecrets(values: DeployValues, names: PreviewNames | undefined): KubeObject[] {
  const out: KubeObject[] = [];
  const e = values.secrets.externalSecret;
  if (values.producer.enabled)
    out.push(externalSecret(values, values.secrets.producer, values.producer.namespace, e.producerKey));
  if (names !== undefined) {
    out.push(externalSecret(values, values.secrets.preview, names.namespace, e.previewKey, names.pr));
    out.push(
      externalSecret(values, names.passwordSecret, names.namespace, names.passwordKey, names.pr, {
        'atlas.mongodb.com/type': 'credentials',
      }),
    );
  }
  return out;
}

function externalSecret(
  values: DeployValues,
  secret: string,
  namespace: string,
  remoteKey: string,
  pr?: number,
  targetLabels?: Record<string, string>,
): KubeObject {
  const e = values.secrets.externalSecret;
  return {
    apiVersion: e.apiVersion,
    kind: 'ExternalSecret',
    metadata: {
      name: secret,
      namespace,
      labels: labelsOf('secrets', pr),
      ...(pr === undefined
        ? {}
        : { annotations: argoHook('PreSync', 'BeforeHookCreation', values.atlas.syncWave - 1) }),
    },
    spec: {
      refreshInterval: e.refreshInterval,
      secretStoreRef: { name: e.secretStoreRef.name, kind: e.secretStoreRef.kind },
      target: {
        name: secret,
        creationPolicy: 'Owner',
        ...(targetLabels === undefined ? {} : { template: { metadata: { labels: targetLabels } } }),
      },
      dataFrom: [{ extract: { key: remoteKey } }],
    },
  };
}
