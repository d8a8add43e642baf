import type { ExpectedCollection } from './expected-manifest.js';

/** What was counted and hashed for one collection, from stream to server. */
export interface VerificationInput {
  readonly expected: ExpectedCollection | null;
  /** Documents and digests of the stream as the restore received it (before any restore-time transform). */
  readonly streamDocuments: number;
  readonly sha256: string;
  readonly crc64: string | null;
  /** The archive's own CRC-64 from the namespace's end event, when it has one. */
  readonly archiveCrc64: bigint | undefined;
  /** Documents sent to the temporary collection (after any transform). */
  readonly sentDocuments: number;
  /** Documents the server counts in the temporary collection. */
  readonly serverDocuments: number;
}

/** The verdict for one collection: printed in the summary table, decides the swap. */
export interface Verification {
  readonly ok: boolean;
  readonly expectedDocuments: number | null;
  readonly actualDocuments: number;
  /** `ok`: every checksum available matched; `mismatch`: one did not; `not-checked`: none to compare. */
  readonly checksum: 'ok' | 'mismatch' | 'not-checked';
  /** Which checksums were compared (`sha256`, `crc64`, `archive-crc64`). */
  readonly checked: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Compare counts and checksums. Pure. Counts: the manifest's count (if any) against the stream's, and
 * the documents sent against the server's count of the temporary collection. Checksums: the manifest's
 * sha256/crc64 and the archive's end-of-namespace CRC against the stream's, where present.
 */
export function verifyCollection(input: VerificationInput): Verification {
  const problems: string[] = [];
  const checked: string[] = [];
  let mismatch = false;
  const e = input.expected;
  if (e && e.documents !== input.streamDocuments) {
    problems.push(`the manifest says ${e.documents} documents, the stream held ${input.streamDocuments}`);
  }
  if (input.serverDocuments !== input.sentDocuments) {
    problems.push(
      `${input.sentDocuments} documents were written, the server counts ${input.serverDocuments}`,
    );
  }
  if (e?.sha256) {
    checked.push('sha256');
    if (e.sha256.toLowerCase() !== input.sha256) {
      mismatch = true;
      problems.push(`sha256 ${input.sha256} differs from the manifest's ${e.sha256}`);
    }
  }
  if (e?.crc64 && input.crc64 !== null) {
    checked.push('crc64');
    if (e.crc64.toLowerCase() !== input.crc64) {
      mismatch = true;
      problems.push(`crc64 ${input.crc64} differs from the manifest's ${e.crc64}`);
    }
  }
  if (input.archiveCrc64 !== undefined && input.crc64 !== null) {
    checked.push('archive-crc64');
    const archive = input.archiveCrc64.toString(16).padStart(16, '0');
    if (archive !== input.crc64) {
      mismatch = true;
      problems.push(`crc64 ${input.crc64} differs from the archive's ${archive}`);
    }
  }
  return {
    ok: problems.length === 0,
    expectedDocuments: e ? e.documents : null,
    actualDocuments: input.serverDocuments,
    checksum: checked.length === 0 ? 'not-checked' : mismatch ? 'mismatch' : 'ok',
    checked,
    problems,
  };
}
