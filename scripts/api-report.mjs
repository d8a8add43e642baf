#!/usr/bin/env node
// The public API report: every name `src/index.ts` exports, with its kind, sorted, as JSON. The
// committed copy is `etc/public-api.json`; `test/unit/api/public-api.test.ts` regenerates it and fails
// when the exports changed without it, so an accidental export (or a lost one) is seen in review.
//
//   node scripts/api-report.mjs           write etc/public-api.json
//   node scripts/api-report.mjs --stdout  print the report (what the test compares)
//
// It also lists exported functions, classes and constants that have no TSDoc comment in
// `undocumented` (the test requires that list to be empty).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const REPORT_PATH = 'etc/public-api.json';

function kindOf(symbol) {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

export function apiReport() {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const entry = join(root, 'src', 'index.ts');
  const program = ts.createProgram({ rootNames: [entry], options: { ...options, noEmit: true } });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read the exports of ${entry}`);
  const exports = [];
  const undocumented = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const kind = kindOf(symbol);
    exports.push({ name: exported.name, kind });
    if (['class', 'function', 'const'].includes(kind) && symbol.getDocumentationComment(checker).length === 0)
      undocumented.push(exported.name);
  }
  exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  undocumented.sort();
  return { exports, undocumented };
}

/** The report as committed: `{ entry, exports: { name: kind } }`, names sorted. */
export function apiReportText(report = apiReport()) {
  const exports = Object.fromEntries(report.exports.map((e) => [e.name, e.kind]));
  return `${JSON.stringify({ entry: 'src/index.ts', exports }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = apiReport();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(JSON.stringify({ text: apiReportText(report), undocumented: report.undocumented }));
  } else {
    writeFileSync(join(root, REPORT_PATH), apiReportText(report));
    console.log(`${REPORT_PATH}: ${report.exports.length} exports`);
    if (report.undocumented.length) console.log(`undocumented: ${report.undocumented.join(', ')}`);
  }
}
