import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadDeployValues } from '../../deploy/load-deploy-values.js';
import { manifestFileName, manifestsYaml } from '../../deploy/manifests-yaml.js';
import { renderManifests } from '../../deploy/render-manifests.js';
import { UsageError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { collect, parseCount } from '../option-groups.js';

interface ManifestsOptions {
  pr: string;
  values: string[];
  output?: string;
  source?: string;
  snapshot?: string;
  locked?: boolean;
}

/**
 * `dbfork preview manifests --pr <n>`: render the Kubernetes manifests of a pull request's preview
 * database from a values file (the Helm chart's shape), to stdout as one YAML stream or, with
 * `--output <dir>`, one file per object. Writes nothing else.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--pr <number>', 'pull request number')
    .option(
      '--values <file>',
      'values file in the shape of deploy/helm/dbfork/values.yaml (repeatable; later files win, as with helm)',
      collect,
      [],
    )
    .option('--source <source>', 'data source of the PR database: seed or snapshot (default: the values)')
    .option(
      '--snapshot <ref>',
      'snapshot to restore: latest, an id or a UTC day YYYY-MM-DD (default: the values)',
    )
    .option('--locked', 'the database is locked (persist-db): render no restore Job')
    .option('--output <dir>', 'write one <kind>-<name>.yaml file per object into this folder')
    .action(async (options: ManifestsOptions) => {
      const ctx = context();
      const values = await loadDeployValues(options.values, { pr: prOverrides(options) });
      const objects = renderManifests(values);
      if (options.output === undefined) {
        if (ctx.json) ctx.output.result({ manifests: objects });
        else process.stdout.write(manifestsYaml(objects));
        return;
      }
      const dir = resolve(options.output);
      await mkdir(dir, { recursive: true });
      const files = [];
      for (const object of objects) {
        const file = join(dir, manifestFileName(object));
        await writeFile(file, manifestsYaml([object]));
        files.push(file);
      }
      ctx.output.result({ files });
      ctx.output.line(files.join('\n'));
    });
}

function prOverrides(options: ManifestsOptions): Record<string, unknown> {
  if (options.source !== undefined && options.source !== 'seed' && options.source !== 'snapshot')
    throw new UsageError('CONFIG_BAD_OPTION', `--source must be seed or snapshot, got ${options.source}`);
  return {
    number: parseCount(options.pr, '--pr'),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
    ...(options.locked ? { locked: true } : {}),
  };
}
