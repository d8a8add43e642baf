import type { PreviewAction, PreviewDecision } from '../preview/preview-action.js';
import type { CommandContext } from './context.js';

/** Print a decision as text: the database, source, lock and one line per action. */
export function printDecision(ctx: CommandContext, decision: PreviewDecision): void {
  ctx.output.line(`database  ${decision.database}`);
  ctx.output.line(`source    ${decision.source}`);
  ctx.output.line(`locked    ${decision.locked ? 'yes' : 'no'}`);
  for (const action of decision.actions) ctx.output.line(`- ${describe(action)}: ${action.reason}`);
}

function describe(a: PreviewAction): string {
  switch (a.type) {
    case 'comment':
      return `comment (${a.kind})`;
    case 'revert-label':
      return `revert-label (${a.operation} ${a.label})`;
    case 'restore-snapshot':
      return `restore-snapshot (${a.snapshot}${a.collections.length ? `, ${a.collections.join(',')}` : ''})`;
    case 'clone-staging':
      return `clone-staging (${a.from})`;
    default:
      return a.type;
  }
}
