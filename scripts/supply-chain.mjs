#!/usr/bin/env node
/**
 * Offline supply-chain checks of the installed dependency tree (the registry here serves no audit
 * endpoint). Exit 0 when every check passes, 1 otherwise, listing each finding:
 *
 * 1. `npm ls --all`: no missing, invalid or extraneous package (the tree is exactly the lockfile's,
 *    as `npm ci` installs it);
 * 2. licenses of the runtime (production) dependencies, read by license-checker-rseidelsohn, are in
 *    etc/supply-chain/allowed-licenses.json (an SPDX expression passes when it can be satisfied with
 *    allowed licenses: `MIT OR GPL-3.0` yes, `MIT AND GPL-3.0` no);
 * 3. every package with an install script (`npm install-scripts ls`) is reviewed in
 *    etc/supply-chain/install-scripts.json with the same phase and command.
 *
 * Usage: node scripts/supply-chain.mjs [--json]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const json = process.argv.includes('--json');

/** Runs a command and returns its stdout, also when it exits non-zero (npm ls does on problems). */
async function output(command, args) {
  try {
    const { stdout } = await run(command, args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if (typeof error.stdout === 'string' && error.stdout !== '') return error.stdout;
    throw error;
  }
}

async function treeFindings() {
  const tree = JSON.parse(await output('npm', ['ls', '--all', '--json']));
  return (tree.problems ?? []).map((p) => `npm ls: ${p}`);
}

/** True when the SPDX expression can be satisfied with `allowed` licenses (OR: one side; AND: both). */
export function satisfiable(expression, allowed) {
  const text = expression.replace(/[()]/g, ' ').trim();
  if (/\sOR\s/i.test(text)) return text.split(/\s+OR\s+/i).some((part) => satisfiable(part, allowed));
  if (/\sAND\s/i.test(text)) return text.split(/\s+AND\s+/i).every((part) => satisfiable(part, allowed));
  return allowed.has(text.replace(/\*$/, ''));
}

async function licenseFindings() {
  const policy = JSON.parse(readFileSync(join(ROOT, 'etc/supply-chain/allowed-licenses.json'), 'utf8'));
  const allowed = new Set(policy.licenses);
  const exceptions = new Map(policy.exceptions.map((e) => [e.name, e.license]));
  const bin = join(ROOT, 'node_modules/.bin/license-checker-rseidelsohn');
  const packages = JSON.parse(await output(bin, ['--production', '--json', '--excludePrivatePackages']));
  const findings = [];
  for (const [id, info] of Object.entries(packages)) {
    const licenses = Array.isArray(info.licenses)
      ? info.licenses.join(' AND ')
      : String(info.licenses ?? 'UNKNOWN');
    const name = id.slice(0, id.lastIndexOf('@'));
    if (satisfiable(licenses, allowed) || exceptions.get(name) === licenses) continue;
    findings.push(`license: ${id} is ${licenses}, not in etc/supply-chain/allowed-licenses.json`);
  }
  return { findings, checked: Object.keys(packages).length };
}

/** Lines of `npm install-scripts ls`: `  name@version (phase: command)`. */
export function parseInstallScripts(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^\s+(@?[^@\s]+)@(\S+) \((\w+): (.*)\)$/.exec(line);
    if (m) out.push({ name: m[1], version: m[2], phase: m[3], command: m[4] });
  }
  return out;
}

async function installScriptFindings() {
  const policy = JSON.parse(readFileSync(join(ROOT, 'etc/supply-chain/install-scripts.json'), 'utf8'));
  const listed = parseInstallScripts(await output('npm', ['install-scripts', 'ls']));
  const findings = [];
  for (const s of listed) {
    const ok = policy.reviewed.some(
      (r) => r.name === s.name && r.phase === s.phase && r.command === s.command,
    );
    if (!ok)
      findings.push(
        `install script: ${s.name}@${s.version} runs \`${s.command}\` at ${s.phase}, not reviewed in etc/supply-chain/install-scripts.json`,
      );
  }
  return { findings, listed: listed.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [tree, licenses, scripts] = await Promise.all([
    treeFindings(),
    licenseFindings(),
    installScriptFindings(),
  ]);
  const findings = [...tree, ...licenses.findings, ...scripts.findings];
  const summary = {
    ok: findings.length === 0,
    runtimePackagesLicenseChecked: licenses.checked,
    installScriptsListed: scripts.listed,
    findings,
  };
  if (json) console.log(JSON.stringify(summary));
  else {
    for (const f of findings) console.log(f);
    console.log(
      `supply chain: ${findings.length === 0 ? 'ok' : `${findings.length} finding(s)`} (${licenses.checked} runtime packages' licenses, ${scripts.listed} install scripts, npm ls --all)`,
    );
  }
  process.exitCode = findings.length === 0 ? 0 : 1;
}
