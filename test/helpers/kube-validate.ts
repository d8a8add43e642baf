import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, testTool } from './servers.js';

/** `kubernetes-validate --strict` on YAML files: built-in kinds against Kubernetes' own schemas. */
export function kubernetesValidate(files: readonly string[]): { code: number | null; output: string } {
  const r = spawnSync(testTool('KUBERNETES_VALIDATE_BIN'), ['--strict', ...files], { encoding: 'utf8' });
  return { code: r.status, output: r.stdout + r.stderr };
}

/**
 * Validate objects with Python's jsonschema against the `version` schema of a vendored CRD
 * (`deploy/schemas/<file>`): one list of error strings per object (empty: valid).
 */
export function validateAgainstCrd(file: string, version: string, objects: readonly unknown[]): string[][] {
  const crd = parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy/schemas', file), 'utf8'))
    .map(
      (d) =>
        d.toJS() as {
          kind?: string;
          spec?: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] };
        },
    )
    .find((d) => d.kind === 'CustomResourceDefinition');
  const schema = crd?.spec?.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  if (schema === undefined) throw new Error(`${file} has no version ${version}`);
  const r = spawnSync(
    testTool('KUBERNETES_VALIDATE_PYTHON'),
    [join(REPO_ROOT, 'test/helpers/validate-crd.py')],
    { input: JSON.stringify({ schema, objects }), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`validate-crd.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}
