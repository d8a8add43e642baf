import type { SnapshotManifest } from '../store/snapshot-manifest.js';

/**
 * One line saying whether a snapshot is encrypted, and to which age recipients (public keys; the
 * manifest never holds an identity): `age, to age1…, age1…` or `no`.
 */
export function encryptionOf(manifest: SnapshotManifest): string {
  if (!manifest.codecs.includes('age')) return 'no';
  const recipients = manifest.encryption?.recipients ?? [];
  return recipients.length > 0 ? `age, to ${recipients.join(', ')}` : 'age';
}
