import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerSnapshotCreate } from './snapshot-create.js';
import { registerSnapshotDelete } from './snapshot-delete.js';
import { registerSnapshotList } from './snapshot-list.js';
import { registerSnapshotPrune } from './snapshot-prune.js';
import { registerSnapshotShow } from './snapshot-show.js';
import { registerSnapshotVerify } from './snapshot-verify.js';

/** `dbfork snapshot …`: the snapshot store's commands. */
export function registerSnapshot(program: Command, context: () => CommandContext): void {
  const group = program.command('snapshot').description('capture, list, inspect, verify and prune snapshots');
  registerSnapshotCreate(group, context);
  registerSnapshotList(group, context);
  registerSnapshotShow(group, context);
  registerSnapshotVerify(group, context);
  registerSnapshotDelete(group, context);
  registerSnapshotPrune(group, context);
}
