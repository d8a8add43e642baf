/** One grant that lets someone outside the account read (or list) the store. */
export interface ExposureFinding {
  /** Where the grant is: `bucket policy statement "PublicRead"`, `bucket ACL`, `IAM binding roles/storage.objectViewer`. */
  readonly source: string;
  /** Who gets what: `"*" s3:GetObject on arn:aws:s3:::b/prod/*`, `allUsers READER`. */
  readonly grant: string;
  /** False when a protection in force neutralizes it (public access block, public access prevention). */
  readonly effective: boolean;
  /** Why it is (not) effective, or what was not evaluated. */
  readonly note?: string;
}

/** A part of the configuration that could not be read, and why (permissions, an emulator). */
export interface Unavailable {
  readonly what: string;
  readonly reason: string;
}

/**
 * What `dbfork store check` found: the grants that make the bucket or the store's prefix publicly
 * readable, the protections in force, versioning and default encryption, and what could not be read.
 * `verdict` is `public` when a finding is effective, `unknown` when none is but part of the access
 * configuration could not be read (never claimed private), else `private`.
 */
export interface StoreCheckReport {
  readonly store: string;
  readonly provider: 's3' | 'gcs';
  readonly bucket: string;
  readonly prefix: string;
  readonly verdict: 'private' | 'public' | 'unknown';
  readonly findings: readonly ExposureFinding[];
  /** Settings that block public access, as read (`BlockPublicPolicy: true`, `publicAccessPrevention: enforced`). */
  readonly protections: Readonly<Record<string, string | boolean>>;
  readonly versioning: 'enabled' | 'suspended' | 'disabled' | 'unknown';
  /** The bucket's default encryption: `AES256`, `aws:kms <key>`, `Google-managed`, `CMEK <key>`, `none`, `unknown`. */
  readonly encryption: string;
  readonly unavailable: readonly Unavailable[];
}

/** The verdict of findings and unreadable access settings (see {@link StoreCheckReport}). Pure. */
export function verdictOf(
  findings: readonly ExposureFinding[],
  accessUnreadable: boolean,
): StoreCheckReport['verdict'] {
  if (findings.some((f) => f.effective)) return 'public';
  return accessUnreadable ? 'unknown' : 'private';
}
