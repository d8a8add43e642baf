/**
 * Tags dbfork writes on the instances of an RDS clone. Tag values use only characters RDS accepts
 * (letters, digits, spaces and `_ . : / = + - @`).
 */
export const TAG_RUN = 'dbfork:run';
/** The source instance the copy was made from. */
export const TAG_CLONE_OF = 'dbfork:clone-of';
/** `false`: the copy holds the source's data as it is (`--no-anonymize`). */
export const TAG_ANONYMIZED = 'dbfork:anonymized';
/** The run lock on the target root (see run-lease.ts). */
export const TAG_LEASE = 'dbfork:lease';

/** Tags dbfork owns: never copied from an old target to its replacement. */
export function isDbforkTag(key: string): boolean {
  return key.startsWith('dbfork:');
}

/** True when `instance` is the copy made by run `runId`. */
export function isCloneOf(tags: Readonly<Record<string, string>> | undefined, runId: string): boolean {
  return tags?.[TAG_RUN] === runId;
}
