#!/usr/bin/env node
// Exports of src/ that no other src/ file uses, found with the TypeScript compiler (tsconfig.json, so
// tests and benches count as users too). One line per export: `file<TAB>name<TAB>verdict`, where the
// verdict is
//   unused         nothing references it: dead code, remove it;
//   own-file-only  only its own file uses it: drop the `export`;
//   tests-only: …  only tests or benches use it (a test seam; fine when deliberate).
// A name `src/index.ts` exports counts as used (public API); a re-export elsewhere does not, and
// `const { x } = await import('./m.js')` counts as a use of `x`.
//
//   node scripts/unused-exports.mjs [--unused-only]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const rel = (file) => relative(root, file);
const parsed = ts.getParsedCommandLineOfConfigFile(
  ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
);
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const checker = program.getTypeChecker();
const files = program
  .getSourceFiles()
  .filter((f) => !f.isDeclarationFile && !f.fileName.includes('node_modules'));

/** Follow import/export aliases to the declared symbol. */
function resolve(symbol) {
  let s = symbol;
  for (let hops = 0; s && s.flags & ts.SymbolFlags.Alias && hops < 20; hops++) {
    try {
      s = checker.getAliasedSymbol(s);
    } catch {
      break;
    }
  }
  return s;
}

/** Declared symbol → the files that reference it. */
const uses = new Map();
function use(symbol, file) {
  for (const s of new Set([symbol, resolve(symbol)])) {
    if (!uses.has(s)) uses.set(s, new Set());
    uses.get(s).add(file);
  }
}

for (const sf of files) {
  const file = rel(sf.fileName);
  const visit = (node) => {
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const key = node.propertyName ?? node.name;
      const prop = ts.isIdentifier(key) && checker.getTypeAtLocation(node.parent).getProperty(key.text);
      if (prop) use(prop, file);
    }
    const ownName =
      node.parent?.name === node &&
      !ts.isPropertyAccessExpression(node.parent) &&
      !(ts.isExportSpecifier(node.parent) && file === 'src/index.ts');
    if (ts.isIdentifier(node) && !ownName) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol) use(symbol, file);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const unusedOnly = process.argv.includes('--unused-only');
const lines = [];
for (const sf of files) {
  const file = rel(sf.fileName);
  const moduleSymbol = file.startsWith('src/') && checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = resolve(exported);
    const declared = target.declarations?.[0];
    if (!declared || rel(declared.getSourceFile().fileName) !== file) continue; // a re-export
    const users = new Set([...(uses.get(target) ?? []), ...(uses.get(exported) ?? [])]);
    const ownUse = users.delete(file);
    if ([...users].some((u) => u.startsWith('src/'))) continue;
    const verdict = users.size ? `tests-only: ${[...users].join(', ')}` : ownUse ? 'own-file-only' : 'unused';
    if (!unusedOnly || verdict === 'unused') lines.push(`${file}\t${exported.name}\t${verdict}`);
  }
}
console.log(lines.sort().join('\n'));
