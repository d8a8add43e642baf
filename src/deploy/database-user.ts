import { previewAccessRoles } from '../policy/preview-access-roles.js';
import type { DeployValues } from './deploy-values.js';
import { argoHook, labelsOf, type KubeObject } from './kube-object.js';
import type { PreviewNames } from './preview-names.js';

/**
 * The pull request's MongoDB Atlas user (Atlas Operator, `atlas.mongodb.com/v1` AtlasDatabaseUser),
 * with the roles of {@link previewAccessRoles}: read on the snapshot database only when the PR's
 * source is a snapshot. It is a PreSync hook in an earlier sync wave than the restore Job, so the
 * user and its connection Secret exist before the restore runs. Its password comes from
 * `atlas.passwordSecret` (a Secret, or the ExternalSecret rendered for it).
 */
export function databaseUser(values: DeployValues, names: PreviewNames): KubeObject {
  const a = values.atlas;
  const roles = previewAccessRoles({
    prDatabase: names.database,
    snapshotDatabase: values.pr.source === 'snapshot' ? values.databases.snapshot : undefined,
  });
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDatabaseUser',
    metadata: {
      name: names.user,
      namespace: names.namespace,
      labels: labelsOf('database-user', names.pr),
      annotations: argoHook('PreSync', 'BeforeHookCreation', a.syncWave),
    },
    spec: {
      username: names.user,
      databaseName: 'admin',
      projectRef: {
        name: a.projectRef.name,
        ...(a.projectRef.namespace === '' ? {} : { namespace: a.projectRef.namespace }),
      },
      passwordSecretRef: { name: names.passwordSecret },
      roles,
      ...(a.clusterName === '' ? {} : { scopes: [{ name: a.clusterName, type: 'CLUSTER' }] }),
    },
  };
}
