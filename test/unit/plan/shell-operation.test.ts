import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import { createSecretResolver } from '../../../src/plan/secret-resolver.js';
import { shellOperation } from '../../../src/plan/shell-operation.js';
import { plan } from './plan-kit.js';

const registry = new OperationRegistry().register(shellOperation);
const shell = (argv: string[]) => ({
  id: 'hook',
  kind: 'shell.run',
  description: `run ${argv.join(' ')}`,
  aspects: [],
  params: { argv, env: { HOOK_TOKEN: { env: 'SOURCE_TOKEN' } } },
});
const node = (code: string) => [process.execPath, '-e', code];

describe('shell.run', () => {
  it('is refused without allowCommands, and nothing runs', async () => {
    const result = await executePlan(plan([shell(node('process.exit(0)'))]), { registry });
    expect(result.error?.code).toBe('PLAN_COMMANDS_NOT_ALLOWED');
    expect(result.operations[0]).toMatchObject({ status: 'skipped', attempts: 0 });
  });

  it('runs with allowCommands, env values by reference, output scrubbed', async () => {
    const result = await executePlan(plan([shell(node('console.log("token=" + process.env.HOOK_TOKEN)'))]), {
      registry,
      allowCommands: true,
      secrets: createSecretResolver({ env: { SOURCE_TOKEN: 'tok-9f8e7d6c' } }),
    });
    expect(result.ok).toBe(true);
    expect(result.operations[0]?.output).toEqual({ exitCode: 0, stdoutTail: 'token=***\n', stderrTail: '' });
  });

  it('fails on a non-zero exit, keeping the output', async () => {
    const result = await executePlan(plan([shell(node('console.error("boom"); process.exit(3)'))]), {
      registry,
      allowCommands: true,
      secrets: createSecretResolver({ env: { SOURCE_TOKEN: 'x' } }),
    });
    expect(result.error?.code).toBe('PLAN_COMMAND_FAILED');
    expect(result.error?.message).toMatch(/exited with 3/);
    expect(result.operations[0]?.output).toMatchObject({ exitCode: 3, stderrTail: 'boom\n' });
  });
});
