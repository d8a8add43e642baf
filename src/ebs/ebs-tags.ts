/** Tag keys dbfork puts on what an EBS sync creates (and finds it by). */
export const TAG_RUN = 'dbfork:run';
/** `snapshot` (of the hidden member) or `staging-data` (a staging instance's restored volume). */
export const TAG_ROLE = 'dbfork:role';
/** The hidden member's volume a snapshot was taken of: retention groups snapshots by it. */
export const TAG_SYNC_OF = 'dbfork:sync-of';
/** The staging instance a data volume belongs to. */
export const TAG_STAGING = 'dbfork:staging-instance';
/** `true` or `false`: whether the staging copy is anonymized. */
export const TAG_ANONYMIZED = 'dbfork:anonymized';
export const TAG_MANAGED = 'dbfork:managed-by';

/** The tags of the snapshot of one run. */
export function snapshotTags(runId: string, volumeId: string): Record<string, string> {
  return {
    [TAG_MANAGED]: 'dbfork',
    [TAG_RUN]: runId,
    [TAG_ROLE]: 'snapshot',
    [TAG_SYNC_OF]: volumeId,
    // the snapshot holds production's raw data, whatever the staging copy made from it becomes
    [TAG_ANONYMIZED]: 'false',
    Name: `dbfork-${runId}`,
  };
}

/** The tags of the staging data volume of one run. */
export function volumeTags(
  runId: string,
  stagingInstance: string,
  anonymized: boolean,
): Record<string, string> {
  return {
    [TAG_MANAGED]: 'dbfork',
    [TAG_RUN]: runId,
    [TAG_ROLE]: 'staging-data',
    [TAG_STAGING]: stagingInstance,
    [TAG_ANONYMIZED]: String(anonymized),
    Name: `dbfork-staging-${runId}`,
  };
}
