import { manifestsYaml } from '../../deploy/manifests-yaml.js';
import type { KubeObject } from '../../deploy/kube-object.js';
import type { AccessPlan } from '../../policy/access-plan.js';

/** Where an Atlas user lives, for the Admin API body and the operator manifest. */
export interface AtlasTarget {
  /** The Atlas cluster the user is scoped to (`scopes`), or '' for every cluster of the project. */
  readonly cluster: string;
  /** The AtlasProject resource the operator manifest refers to. */
  readonly projectRef: string;
  /** Kubernetes namespace of the manifest. */
  readonly namespace: string;
}

/**
 * The plan as a mongosh script: one `createUser` on `admin` with the built-in database roles (no
 * custom role is needed: `read`, `readWrite` and `dbAdmin` are the least privileged roles that cover
 * the commands). The password is prompted for, never printed.
 */
export function createUserScript(plan: AccessPlan): string {
  const roles = plan.grants
    .map((g) => `    { role: '${g.role}', db: '${g.db}' }, // ${reasonOf(plan, g)}`)
    .join('\n');
  return [
    `// ${plan.role}: least-privilege user (never beyond read on ${plan.protectedDbs[0] ?? 'production'}, no cluster-wide role)`,
    `db.getSiblingDB('admin').runCommand({`,
    `  createUser: '${plan.user}',`,
    `  pwd: passwordPrompt(),`,
    `  roles: [`,
    roles,
    `  ],`,
    `});`,
    '',
  ].join('\n');
}

function reasonOf(plan: AccessPlan, grant: AccessPlan['grants'][number]): string {
  return plan.reasons[plan.grants.indexOf(grant)] ?? '';
}

/**
 * The Atlas Admin API body of `POST /api/atlas/v2/groups/{groupId}/databaseUsers` (SCRAM user on
 * `admin`). `password` is left for the caller to add from its secret store.
 */
export function atlasApiBody(plan: AccessPlan, atlas: AtlasTarget): Record<string, unknown> {
  return {
    databaseName: 'admin',
    username: plan.user,
    roles: plan.grants.map((g) => ({ databaseName: g.db, roleName: g.role })),
    ...(atlas.cluster === '' ? {} : { scopes: [{ name: atlas.cluster, type: 'CLUSTER' }] }),
  };
}

/** The Atlas Operator `AtlasDatabaseUser` (the Atlas Operator's CRD shape); the password comes from a Secret. */
export function atlasDatabaseUser(plan: AccessPlan, atlas: AtlasTarget): KubeObject {
  // Kubernetes names are DNS labels: lower case, digits and '-'
  const kubeName = plan.user.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDatabaseUser',
    metadata: {
      name: kubeName,
      namespace: atlas.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'dbfork' },
    },
    spec: {
      username: plan.user,
      databaseName: 'admin',
      projectRef: { name: atlas.projectRef },
      passwordSecretRef: { name: `${kubeName}-password` },
      roles: plan.grants.map((g) => ({ roleName: g.role, databaseName: g.db })),
      ...(atlas.cluster === '' ? {} : { scopes: [{ name: atlas.cluster, type: 'CLUSTER' }] }),
    },
  };
}

/** All three renderings, as `access plan` prints them. */
export function renderAccessPlan(plan: AccessPlan, atlas: AtlasTarget): string {
  return [
    '# MongoDB (mongosh)',
    createUserScript(plan),
    '# Atlas Admin API: POST /api/atlas/v2/groups/{groupId}/databaseUsers (add "password")',
    JSON.stringify(atlasApiBody(plan, atlas), null, 2),
    '',
    '# Atlas Operator',
    manifestsYaml([atlasDatabaseUser(plan, atlas)]),
  ].join('\n');
}
