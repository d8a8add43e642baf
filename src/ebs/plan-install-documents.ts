import { createHash } from 'node:crypto';
import { newPlan } from '../plan/new-plan.js';
import type { Plan } from '../plan/plan-schema.js';
import type { EbsConnection } from './ebs-connection.js';
import type { InstallDocumentParams } from './sync-params.js';

/** One document to install: its name and YAML. */
export interface DocumentSource {
  readonly name: string;
  readonly content: string;
}

/**
 * Plan `ebs install-documents`: one `ebs.install-document` per document (created, or updated when its
 * SHA-256 differs from the installed one). `account` locks the IAM policy's ARNs. Pure.
 */
export function planInstallDocuments(
  connection: EbsConnection,
  account: string,
  documents: readonly DocumentSource[],
  now?: Date,
): Plan {
  return newPlan({
    command: 'ebs install-documents',
    summary: `create or update ${documents.map((d) => d.name).join(', ')} in ${connection.region}`,
    operations: documents.map((d) => {
      const params: InstallDocumentParams = {
        connection,
        name: d.name,
        content: d.content,
        sha256: createHash('sha256').update(d.content).digest('hex'),
      };
      return {
        id: `install.${d.name}`,
        kind: 'ebs.install-document',
        description: `create or update the SSM document ${d.name}`,
        aspects: ['idempotent', 'retryable'],
        params,
      };
    }),
    preview: { region: connection.region, account, documents: documents.map((d) => d.name) },
    ...(now ? { now } : {}),
  });
}
