import type { ExposureFinding } from '../exposure/store-check-report.js';

/** A bucket IAM policy as `storage.buckets.getIamPolicy` returns it (the fields read). */
export interface GcsIamPolicy {
  readonly bindings?: readonly {
    readonly role?: string;
    readonly members?: readonly string[];
    readonly condition?: { readonly title?: string; readonly expression?: string };
  }[];
}

/** An ACL entry (bucket or default object ACL), as `bucketAccessControls` / `defaultObjectAccessControls` list them. */
export interface GcsAclEntry {
  readonly entity?: string;
  readonly role?: string;
}

/** What of a bucket's metadata decides whether public grants take effect. */
export interface GcsAccessSettings {
  /** `iamConfiguration.publicAccessPrevention`: `enforced` blocks every public grant. */
  readonly publicAccessPrevention?: string;
  /** `iamConfiguration.uniformBucketLevelAccess.enabled`: ACLs are not used. */
  readonly uniformAccess: boolean;
}

const PUBLIC = new Set(['allUsers', 'allAuthenticatedUsers']);

/**
 * The grants of a GCS bucket to `allUsers` or `allAuthenticatedUsers`: IAM bindings (any role, since
 * custom roles cannot be judged here; a binding's condition is noted, not evaluated), bucket ACL and
 * default object ACL entries (the ACL new objects get). Public access prevention `enforced` makes
 * them all ineffective; uniform bucket-level access, the ACL ones. Pure.
 *
 * @param iam the bucket's IAM policy, or null when it could not be read
 */
export function gcsPublicGrants(
  settings: GcsAccessSettings,
  iam: GcsIamPolicy | null,
  bucketAcl: readonly GcsAclEntry[],
  defaultObjectAcl: readonly GcsAclEntry[],
): ExposureFinding[] {
  const prevented = settings.publicAccessPrevention === 'enforced';
  const findings: ExposureFinding[] = [];
  for (const b of iam?.bindings ?? []) {
    const members = (b.members ?? []).filter((m) => PUBLIC.has(m));
    if (members.length === 0) continue;
    findings.push({
      source: `IAM binding ${b.role ?? '?'}`,
      grant: `${members.join(', ')} ${b.role ?? '?'}`,
      effective: !prevented,
      ...(prevented
        ? { note: 'public access prevention is enforced' }
        : b.condition
          ? {
              note: `under condition ${JSON.stringify(b.condition.expression ?? b.condition.title ?? '')}, not evaluated`,
            }
          : {}),
    });
  }
  for (const [source, entries] of [
    ['bucket ACL', bucketAcl],
    ['default object ACL', defaultObjectAcl],
  ] as const) {
    for (const e of entries) {
      if (!PUBLIC.has(e.entity ?? '')) continue;
      const blocked = prevented || settings.uniformAccess;
      findings.push({
        source,
        grant: `${e.entity ?? '?'} ${e.role ?? '?'}`,
        effective: !blocked,
        ...(blocked
          ? {
              note: prevented
                ? 'public access prevention is enforced'
                : 'uniform bucket-level access disables ACLs',
            }
          : {}),
      });
    }
  }
  return findings;
}
