import type { DeployValues } from './deploy-values.js';

/** An environment variable of a Job's container: a value, or a key of a Secret. */
export type EnvVar =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
    };

/** What differs between the Jobs' pods. */
export interface JobPodSpec {
  readonly container: string;
  /** dbfork's arguments (the image's entrypoint is `dbfork`). */
  readonly args: readonly string[];
  readonly env: readonly EnvVar[];
  /** A Secret whose every key becomes an environment variable (the store's credentials). */
  readonly envFromSecret: string;
  readonly resources: DeployValues['producer']['resources'];
  /** dbfork's arguments for an init container run first, with the same environment. */
  readonly initArgs?: readonly string[];
  /** Extra read-only volumes, mounted at their `mountPath`. */
  readonly volumes?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly source: unknown;
  }[];
}

/** A value taken from a Secret's key. */
export function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * A Job's pod template: one dbfork container, run as a non-root user with a read-only root file
 * system, no privilege escalation and no capabilities; `/tmp` (also `HOME`) is a scratch volume. With
 * `initArgs`, an init container runs dbfork with those arguments first.
 */
export function jobPodTemplate(
  values: DeployValues,
  spec: JobPodSpec,
  labels: Record<string, string>,
): unknown {
  const volumes = spec.volumes ?? [];
  return {
    metadata: { labels },
    spec: {
      restartPolicy: 'Never',
      ...(values.serviceAccountName === '' ? {} : { serviceAccountName: values.serviceAccountName }),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(spec.initArgs === undefined
        ? {}
        : { initContainers: [container(values, spec, `${spec.container}-init`, spec.initArgs, [])] }),
      containers: [container(values, spec, spec.container, spec.args, volumes)],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        ...volumes.map((v) => ({ name: v.name, ...(v.source as Record<string, unknown>) })),
      ],
    },
  };
}

function container(
  values: DeployValues,
  spec: JobPodSpec,
  name: string,
  args: readonly string[],
  volumes: NonNullable<JobPodSpec['volumes']>,
): unknown {
  return {
    name,
    image: `${values.image.repository}:${values.image.tag}`,
    imagePullPolicy: values.image.pullPolicy,
    args: [...args],
    env: [{ name: 'HOME', value: '/tmp' }, ...spec.env],
    envFrom: [{ secretRef: { name: spec.envFromSecret } }],
    resources: spec.resources,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...volumes.map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true })),
    ],
  };
}
