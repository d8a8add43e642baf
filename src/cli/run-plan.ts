import { createInterface } from 'node:readline/promises';
import { executePlan } from '../plan/execute-plan.js';
import type { PlanOperation, Plan } from '../plan/plan-schema.js';
import type { PlanResult } from '../plan/plan-result.js';
import { createSecretResolver, type SecretResolver } from '../plan/secret-resolver.js';
import type { ConfigValues } from '../plan/config-values.js';
import { planOperations } from '../pipeline/operations/plan-operations.js';
import type { CommandContext } from './context.js';
import { progressView } from './progress-view.js';

export interface RunPlanOptions {
  /** This run's command-line values for `{ arg }` references. */
  readonly args?: Readonly<Record<string, string>>;
  /** Values for `{ config }` references (default: the run's dbfork.yaml). */
  readonly config?: ConfigValues;
  readonly allowCommands?: boolean;
  /**
   * `true`: confirmed (a direct command, or `--yes`); `'ask'`: ask on a terminal, refuse elsewhere.
   */
  readonly confirm: true | 'ask';
}

/**
 * Run a plan for the CLI: progress bars or NDJSON progress, plan events as NDJSON with `--json` (and
 * waits and retries as log lines otherwise), references resolved from the environment, files, the
 * config file and this run's flags.
 *
 * @returns the result set (the caller reports it and throws `result.error`)
 */
export async function runPlan(ctx: CommandContext, plan: Plan, options: RunPlanOptions): Promise<PlanResult> {
  const view = progressView(ctx);
  try {
    return await executePlan(plan, {
      registry: planOperations(),
      secrets: secretResolver(ctx, options.args, options.config),
      allowCommands: Boolean(options.allowCommands),
      confirm: options.confirm === true ? () => true : (ops) => askOnTerminal(ops),
      onProgress: view.listener,
      onEvent: (event) => {
        if (ctx.json) ctx.output.event(event.type, event);
        else if (event.type === 'operation-wait')
          ctx.logger.warn({ operation: event.id, waitedMs: event.waitedMs }, 'not there yet; waiting');
        else if (event.type === 'operation-retry')
          ctx.logger.warn(
            { operation: event.id, attempt: event.attempt, delayMs: event.delayMs, code: event.error.code },
            'retrying',
          );
      },
    });
  } finally {
    view.stop();
  }
}

/**
 * The resolver of a run: the environment, files, `args` (this run's flags) and `{ config }` keys of
 * dbfork.yaml (or `config`), variables filled in when resolved.
 */
export function secretResolver(
  ctx: CommandContext,
  args?: Readonly<Record<string, string>>,
  config?: ConfigValues,
): SecretResolver {
  const values = config ?? (ctx.config ? (key: string) => ctx.config!.value(key) : undefined);
  return createSecretResolver({ ...(args ? { args } : {}), ...(values ? { config: values } : {}) });
}

async function askOnTerminal(operations: readonly PlanOperation[]): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(operations.map((o) => `  - ${o.description} [${o.aspects.join(', ')}]\n`).join(''));
    const answer = await rl.question(`apply ${operations.length} operation(s) above? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
