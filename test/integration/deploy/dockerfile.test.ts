import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeployValues } from '../../../src/deploy/load-deploy-values.js';
import { renderManifests } from '../../../src/deploy/render-manifests.js';
import { REPO_ROOT, testTool } from '../../helpers/servers.js';

interface Instruction {
  instruction: string;
  value: string;
}
const parsed = JSON.parse(
  execFileSync(
    testTool('KUBERNETES_VALIDATE_PYTHON'),
    [join(REPO_ROOT, 'test/helpers/parse-dockerfile.py'), join(REPO_ROOT, 'Dockerfile')],
    { encoding: 'utf8' },
  ),
) as { parentImages: string[]; instructions: Instruction[] };

/** The instructions of the last stage (the image that runs). */
const finalStage = parsed.instructions.slice(
  parsed.instructions.findLastIndex((i) => i.instruction === 'FROM'),
);
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('the Dockerfile (parsed with dockerfile-parse; no Docker engine here)', () => {
  it('pins every base image to an exact version or a digest', () => {
    expect(parsed.parentImages.length).toBeGreaterThan(0);
    for (const image of parsed.parentImages)
      expect(image).toMatch(/(@sha256:[0-9a-f]{64}$)|(:\d+\.\d+\.\d+(-[a-z0-9.-]+)?$)/);
  });

  it('runs as a numeric non-root user, the one the Jobs pods require', () => {
    const users = finalStage.filter((i) => i.instruction === 'USER').map((i) => i.value);
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    const values = parseDeployValues([], { pr: { number: 1 } });
    for (const o of renderManifests(values).filter((x) => x.kind === 'Job')) {
      const ctx = (o.spec as { template: { spec: { securityContext: Record<string, unknown> } } }).template
        .spec.securityContext;
      expect(ctx).toMatchObject({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid });
    }
  });

  it('has ENTRYPOINT ["dbfork"], and copies only paths that exist', () => {
    const entry = finalStage.filter((i) => i.instruction === 'ENTRYPOINT');
    expect(entry.map((i) => JSON.parse(i.value) as unknown)).toEqual([['dbfork']]);
    const copies = parsed.instructions.filter(
      (i) => i.instruction === 'COPY' && !i.value.startsWith('--from'),
    );
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.value.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
    }
  });

  it('the entry command runs from the packed npm tarball under the image Node (24): dbfork --version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', dir], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const tarball = join(dir, packed[0]?.filename ?? '');
    expect(packed[0]?.files.map((f) => f.path)).toContain(pkg.bin.dbfork?.replace(/^\.\//, ''));
    // As `npm install --global <tarball>` lays it out: lib/node_modules/dbfork and bin/dbfork.
    const home = join(dir, 'prefix', 'lib', 'node_modules', 'dbfork');
    mkdirSync(home, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', home, '--strip-components=1']);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(home, 'node_modules')); // no registry here: the same deps
    mkdirSync(join(dir, 'prefix', 'bin'));
    const bin = join(home, pkg.bin.dbfork ?? '');
    chmodSync(bin, 0o755); // npm makes a bin target executable when it links it
    symlinkSync(bin, join(dir, 'prefix', 'bin', 'dbfork'));
    const node24 = testTool('NODE24_BIN');
    const env = {
      ...process.env,
      PATH: `${join(dir, 'prefix', 'bin')}:${dirname(node24)}:${process.env.PATH}`,
    };
    const version = spawnSync('dbfork', ['--version'], { env, encoding: 'utf8', cwd: dir });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    const nodeUsed = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
    expect(nodeUsed).toMatch(/^v24\./);
    // A Job's command from the packed files: the cleanup Job's manifests render from the tarball too.
    const manifests = spawnSync('dbfork', ['preview', 'manifests', '--pr', '5'], {
      env,
      encoding: 'utf8',
      cwd: dir,
    });
    expect(manifests.status).toBe(0);
    expect(manifests.stdout).toContain('name: dbfork-restore-pr-5');
  });
});
