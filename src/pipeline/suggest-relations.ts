import { openRelationSampler } from '../mongodb/mongodb-relation-sampler.js';
import {
  suggestRelations,
  type SuggestedRelation,
  type SuggestOptions,
} from '../subset/suggest-relations.js';

/**
 * `dbfork relations suggest`: candidate relations of a live database, from a sample (read-only).
 *
 * @throws SourceError when the database cannot be read
 */
export async function suggestDatabaseRelations(
  uri: string,
  db: string,
  options: SuggestOptions,
): Promise<SuggestedRelation[]> {
  const sampler = await openRelationSampler(uri, db);
  try {
    return await suggestRelations(sampler, options);
  } finally {
    await sampler.close();
  }
}
