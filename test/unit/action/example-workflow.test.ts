import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/servers.js';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
}

const doc = readFileSync(join(REPO_ROOT, 'docs/previews-deploy.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const stepsOf = (block: string): Step[] => {
  const value = parse(block) as { jobs?: Record<string, { steps: Step[] }> } | Step[];
  return Array.isArray(value) ? value : Object.values(value.jobs ?? {}).flatMap((j) => j.steps);
};

describe('the example workflows of docs/previews-deploy.md', () => {
  it('use only inputs and outputs action.yml declares', () => {
    const steps = blocks.flatMap(stepsOf);
    const uses = steps.filter((s) => s.uses?.startsWith('dbfork/dbfork@'));
    expect(uses.length).toBe(2);
    for (const s of uses)
      for (const key of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    const referenced = [...blocks.join('\n').matchAll(/steps\.dbfork\.outputs\.([a-z_]+)/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(3);
    for (const name of referenced) expect(Object.keys(action.outputs)).toContain(name);
  });

  it('runs on the pull_request events the decision reads', () => {
    const workflow = parse(blocks[0] ?? '') as { on: { pull_request: { types: string[] } } };
    expect(workflow.on.pull_request.types.sort()).toEqual(
      ['closed', 'labeled', 'opened', 'reopened', 'synchronize', 'unlabeled'].sort(),
    );
  });
});
