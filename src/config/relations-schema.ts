import { z } from 'zod';

/** `collection.path`: the collection is the first segment, the rest a dot path (arrays are looked into). */
const fieldRef = z
  .string()
  .regex(/^[^.$\s][^.\s]*\.[^.\s$][^\s]*$/, { message: 'a relation end is <collection>.<field path>' })
  .describe('<collection>.<dot.path>; arrays and arrays of subdocuments on the path are looked into');

/** One reference between collections, as the application means it (MongoDB has no foreign keys). */
export const RelationSchema = z
  .strictObject({
    from: fieldRef.describe(
      'the referencing field: a scalar, an array of values, or a path into subdocuments',
    ),
    to: fieldRef.describe('the referenced field (any field, not only _id)'),
  })
  .describe(
    'values of `from` equal values of `to`, compared as BSON values (an ObjectId never equals its hex string)',
  );

/** The `relations:` section of a rules file or a relations file. */
export const RelationsSchema = z.array(RelationSchema).nullable().optional();

export type RelationEntry = z.infer<typeof RelationSchema>;

/** A relations file: `relations:` alone, or a rules file holding one (other keys are left to it). */
export const RelationsFileSchema = z.looseObject({ relations: RelationsSchema });
