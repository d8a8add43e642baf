import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcsPublicGrants, type GcsIamPolicy } from '../../../src/store/gcs/gcs-iam-exposure.js';
import { verdictOf } from '../../../src/store/exposure/store-check-report.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const recorded = (file: string): GcsIamPolicy =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/gcs-iam', file), 'utf8')) as GcsIamPolicy;
const OPEN = { uniformAccess: false };

// fake-gcs-server has no bucket IAM (getIamPolicy answers 404): the analysis runs at its seam, on
// policy documents shaped like storage.buckets.getIamPolicy responses
describe('GCS public access analysis (seam: recorded getIamPolicy responses, no IAM in fake-gcs-server)', () => {
  it('flags allUsers holding a role on the bucket', () => {
    const findings = gcsPublicGrants(OPEN, recorded('public-object-viewer.json'), [], []);
    expect(findings).toEqual([
      {
        source: 'IAM binding roles/storage.objectViewer',
        grant: 'allUsers roles/storage.objectViewer',
        effective: true,
      },
    ]);
    expect(verdictOf(findings, false)).toBe('public');
  });

  it('passes a policy of project roles and a service account only', () => {
    const findings = gcsPublicGrants(OPEN, recorded('private.json'), [], []);
    expect(findings).toEqual([]);
    expect(verdictOf(findings, false)).toBe('private');
  });

  it('flags allAuthenticatedUsers under a condition, noting the condition is not evaluated', () => {
    const [finding] = gcsPublicGrants(OPEN, recorded('conditional-authenticated.json'), [], []);
    expect(finding).toMatchObject({
      effective: true,
      grant: 'allAuthenticatedUsers roles/storage.objectViewer',
    });
    expect(finding?.note).toContain('not evaluated');
  });

  it('public access prevention enforced makes every public grant ineffective', () => {
    const findings = gcsPublicGrants(
      { publicAccessPrevention: 'enforced', uniformAccess: false },
      recorded('public-object-viewer.json'),
      [{ entity: 'allUsers', role: 'READER' }],
      [],
    );
    expect(findings.map((f) => f.effective)).toEqual([false, false]);
    expect(verdictOf(findings, false)).toBe('private');
  });

  it('flags public bucket and default object ACL entries unless uniform bucket-level access disables ACLs', () => {
    const acl = [
      { entity: 'project-owners-1', role: 'OWNER' },
      { entity: 'allUsers', role: 'READER' },
    ];
    const defaults = [{ entity: 'allAuthenticatedUsers', role: 'READER' }];
    expect(gcsPublicGrants(OPEN, null, acl, defaults).map((f) => [f.source, f.grant, f.effective])).toEqual([
      ['bucket ACL', 'allUsers READER', true],
      ['default object ACL', 'allAuthenticatedUsers READER', true],
    ]);
    expect(gcsPublicGrants({ uniformAccess: true }, null, acl, defaults).every((f) => !f.effective)).toBe(
      true,
    );
  });

  it('an IAM policy that could not be read gives unknown, never private', () => {
    expect(verdictOf(gcsPublicGrants(OPEN, null, [], []), true)).toBe('unknown');
  });
});
