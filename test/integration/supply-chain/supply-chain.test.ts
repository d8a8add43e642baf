import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/servers.js';

const run = promisify(execFile);

interface Summary {
  ok: boolean;
  runtimePackagesLicenseChecked: number;
  installScriptsListed: number;
  findings: string[];
}

/** Package names the lockfile installs (`node_modules/<name>` keys, nested ones included). */
function lockedNames(): Set<string> {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return new Set(Object.keys(lock.packages).map((k) => k.slice(k.lastIndexOf('node_modules/') + 13)));
}

describe('supply chain (offline): npm ls, runtime licenses, install scripts, SBOM', () => {
  it('scripts/supply-chain.mjs: every runtime license allowed, every locked install script reviewed', async () => {
    const { stdout } = await run(process.execPath, ['scripts/supply-chain.mjs', '--json'], {
      cwd: REPO_ROOT,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.runtimePackagesLicenseChecked).toBeGreaterThan(100);
    expect(summary.findings.filter((f) => f.startsWith('license:'))).toEqual([]);
    // an unreviewed install script may only come from a package outside the lockfile, which npm ls
    // reports as extraneous in the same run (a tree not installed with npm ci)
    const locked = lockedNames();
    for (const finding of summary.findings.filter((f) => f.startsWith('install script:'))) {
      const name = /^install script: (@?[^@\s]+)@/.exec(finding)?.[1] ?? '';
      expect(locked.has(name), finding).toBe(false);
      expect(
        summary.findings.some((f) => f.startsWith('npm ls: extraneous:') && f.includes(`${name}@`)),
      ).toBe(true);
    }
    // whatever npm ls finds is reported one problem a line, and fails the check
    expect(summary.ok).toBe(summary.findings.length === 0);
  }, 60_000);

  it('the CycloneDX SBOM lists the runtime dependencies only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-sbom-'));
    const file = join(dir, 'sbom.cdx.json');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.sbom).toContain('--omit dev');
    // --ignore-npm-errors: this checkout's tree need not be the lockfile's; `npm run sbom` does not ignore them
    await run(
      join(REPO_ROOT, 'node_modules/.bin/cyclonedx-npm'),
      [
        '--omit',
        'dev',
        '--ignore-npm-errors',
        '--output-reproducible',
        '--output-format',
        'JSON',
        '--output-file',
        file,
      ],
      { cwd: REPO_ROOT },
    );
    const sbom = JSON.parse(readFileSync(file, 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      metadata: { component: { name: string } };
      components: { name: string; group?: string }[];
    };
    rmSync(dir, { recursive: true, force: true });
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.metadata.component.name).toBe('dbfork');
    const names = new Set(sbom.components.map((c) => (c.group ? `${c.group}/${c.name}` : c.name)));
    for (const dep of ['bson', 'mongodb', 'zod', 'yaml', 'commander']) expect(names.has(dep), dep).toBe(true);
    for (const dev of ['vitest', 'eslint', 'typescript', 'fast-check'])
      expect(names.has(dev), dev).toBe(false);
    const docker = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(docker).toMatch(/npm run build && npm run sbom && npm pack/);
  }, 60_000);
});
