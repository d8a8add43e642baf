import { stringify } from 'yaml';
import type { KubeObject } from './kube-object.js';

/** One YAML document per object, `---`-separated, keys in the order they were built. */
export function manifestsYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}

/**
 * The file name of an object when manifests are written one per file: `<kind>-<name>.yaml`, lower
 * case (`job-dbfork-restore-pr-12.yaml`).
 */
export function manifestFileName(object: KubeObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}
