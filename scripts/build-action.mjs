#!/usr/bin/env node
// Bundle the GitHub Action (src/action/main.ts, the decision engine, @actions/core and @actions/github)
// into action/dist/index.js with esbuild: one ES module for action.yml's node24 runtime, no
// node_modules needed at run time. The bundle is committed (an Action runs from the repository as it is);
// test/unit/action/bundle-fresh.test.ts rebuilds it and fails when the committed copy is stale.
//
//   node scripts/build-action.mjs            write action/dist/index.js
//   node scripts/build-action.mjs --stdout   print the bundle instead (what the test compares)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_PATH = 'action/dist/index.js';

const result = await build({
  entryPoints: [join(root, 'src/action/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  write: false,
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  absWorkingDir: root,
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __dbforkRequire } from 'node:module'; const require = __dbforkRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const text = result.outputFiles[0].text;
if (process.argv.includes('--stdout')) process.stdout.write(text);
else {
  mkdirSync(join(root, 'action/dist'), { recursive: true });
  writeFileSync(join(root, BUNDLE_PATH), text);
  console.log(`${BUNDLE_PATH}: ${(text.length / 1024).toFixed(0)} KiB`);
}
