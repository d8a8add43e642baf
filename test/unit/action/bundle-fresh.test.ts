import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/servers.js';

describe('the GitHub Action bundle', () => {
  it('action/dist/index.js is what `npm run build:action` builds from the sources now', () => {
    const fresh = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-action.mjs'), '--stdout'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const committed = readFileSync(join(REPO_ROOT, 'action/dist/index.js'), 'utf8');
    expect(fresh.length).toBeGreaterThan(10_000);
    // On a mismatch: run `npm run build:action` and commit action/dist/index.js.
    expect(committed === fresh).toBe(true);
  });

  it('action.yml runs the bundle on node24 and declares the outputs the bundle sets', () => {
    const spec = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      outputs: Record<string, unknown>;
    };
    expect(spec.runs).toEqual({ using: 'node24', main: 'action/dist/index.js' });
    expect(Object.keys(spec.outputs).sort()).toEqual([
      'actions',
      'database',
      'db_source',
      'persist_db',
      'snapshot_id',
    ]);
  });
});
