/** A Kubernetes object as rendered: plain data, serialized to YAML by {@link manifestsYaml}. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeMetadata;
  readonly [field: string]: unknown;
}

/** The metadata fields the manifests set. */
export interface KubeMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The label naming a pull request's resources (its value is the PR number). */
const PR_LABEL = 'dbfork.dev/pr';

/**
 * The labels every rendered object carries (`app.kubernetes.io/*`), plus the PR label for a
 * pull request's objects.
 */
export function labelsOf(component: string, pr?: number): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'dbfork',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'dbfork',
    ...(pr === undefined ? {} : { [PR_LABEL]: String(pr) }),
  };
}

/** Argo CD's annotations for a hook: its phase, its wave (as a string, as Argo CD reads it) and policy. */
export function argoHook(hook: string, deletePolicy: string, wave?: number): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': hook,
    'argocd.argoproj.io/hook-delete-policy': deletePolicy,
    ...(wave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': String(wave) }),
  };
}
