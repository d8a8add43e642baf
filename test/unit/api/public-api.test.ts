import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const REPORT_PATH = 'etc/public-api.json';
const UPDATE = `DBFORK_UPDATE_API=1 npx vitest run --project unit test/unit/api/public-api.test.ts (or npm run api-report)`;

/** What scripts/api-report.mjs derives from src/index.ts with the TypeScript compiler. */
function generate(): { text: string; undocumented: string[] } {
  const out = execFileSync(process.execPath, ['scripts/api-report.mjs', '--stdout'], { encoding: 'utf8' });
  return JSON.parse(out) as { text: string; undocumented: string[] };
}

describe('public API (src/index.ts)', () => {
  const report = generate();

  it(`exports exactly the names in ${REPORT_PATH} (after a deliberate change: ${UPDATE})`, () => {
    if (process.env.DBFORK_UPDATE_API === '1') writeFileSync(REPORT_PATH, report.text);
    // compared as JSON values, so formatting does not matter; a name added, lost or changed in kind does
    expect(JSON.parse(report.text)).toEqual(JSON.parse(readFileSync(REPORT_PATH, 'utf8')));
  });

  it('documents every exported function, class and constant (TSDoc)', () => {
    expect(report.undocumented).toEqual([]);
  });

  it('re-exports no whole module (`export *`)', () => {
    expect(readFileSync('src/index.ts', 'utf8')).not.toMatch(/^export \*/m);
  });
});
