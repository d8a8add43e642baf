import type { Command } from 'commander';
import { prDatabaseName, previewSettings } from '../../config/preview-settings.js';
import { UsageError } from '../../errors/index.js';
import {
  atlasApiBody,
  atlasDatabaseUser,
  createUserScript,
  renderAccessPlan,
} from '../../pipeline/access/render-access-plan.js';
import { accessPlan, type AccessRole } from '../../policy/access-plan.js';
import type { CommandContext } from '../context.js';
import { parseCount } from '../option-groups.js';

interface AccessPlanFlags {
  role: string;
  prodDb: string;
  snapshotDb?: string;
  pr?: string;
  prDb?: string;
  user?: string;
  dbTemplate?: string;
  atlasCluster: string;
  atlasProject: string;
  namespace: string;
}

const ROLES: readonly AccessRole[] = ['producer', 'restore', 'cleanup'];

/**
 * `dbfork access plan`: print the least-privilege grants of an in-cluster role as a mongosh
 * `createUser`, an Atlas Admin API database-user body and an `AtlasDatabaseUser` manifest (with
 * `--json`: all three as data). Connects to nothing, changes nothing.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .requiredOption('--role <role>', 'producer, restore or cleanup')
    .requiredOption('--prod-db <db>', 'the production database (read only, and only for the producer)')
    .option('--snapshot-db <db>', 'the snapshot database (producer, restore)')
    .option('--pr <number>', 'the pull request (restore, cleanup): its database from the name template')
    .option('--pr-db <db>', 'or the PR database by name')
    .option(
      '--db-template <template>',
      'PR database name template (default: databases.pr_template of dbfork.yaml, else app_pr_{number})',
    )
    .option('--user <name>', 'the user name (default from the role and databases)')
    .option('--atlas-cluster <name>', 'scope the Atlas user to this cluster', '')
    .option('--atlas-project <name>', 'the AtlasProject resource of the operator manifest', 'atlas-project')
    .option('--namespace <ns>', 'Kubernetes namespace of the operator manifest', 'default')
    .action((flags: AccessPlanFlags) => {
      const ctx = context();
      if (!ROLES.includes(flags.role as AccessRole))
        throw new UsageError(
          'ACCESS_BAD_REQUEST',
          `--role must be one of ${ROLES.join(', ')}, got ${flags.role}`,
        );
      const template = flags.dbTemplate ?? previewSettings(ctx.config).prTemplate;
      const prDb =
        flags.prDb ??
        (flags.pr === undefined ? undefined : prDatabaseName(template, parseCount(flags.pr, '--pr')));
      const plan = accessPlan({
        role: flags.role as AccessRole,
        prodDb: flags.prodDb,
        snapshotDb: flags.snapshotDb ?? '',
        ...(prDb ? { prDb } : {}),
        ...(flags.user ? { user: flags.user } : {}),
      });
      const atlas = {
        cluster: flags.atlasCluster,
        projectRef: flags.atlasProject,
        namespace: flags.namespace,
      };
      ctx.output.result({
        plan,
        mongosh: createUserScript(plan),
        atlasApi: atlasApiBody(plan, atlas),
        atlasDatabaseUser: atlasDatabaseUser(plan, atlas),
      });
      ctx.output.line(renderAccessPlan(plan, atlas).trimEnd());
    });
}
