import type { Grant } from '@aws-sdk/client-s3';
import type { ExposureFinding } from '../exposure/store-check-report.js';

const PUBLIC_GROUPS: Readonly<Record<string, string>> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers (any AWS account)',
};

/**
 * The grants of an S3 ACL (bucket or object) to everyone (`AllUsers`) or to any AWS account
 * (`AuthenticatedUsers`), whatever the permission. Pure.
 */
export function publicAclGrants(source: string, grants: readonly Grant[]): ExposureFinding[] {
  return grants.flatMap((g) => {
    const group = PUBLIC_GROUPS[g.Grantee?.URI ?? ''];
    return group ? [{ source, grant: `${group} ${g.Permission ?? '?'}`, effective: true }] : [];
  });
}
