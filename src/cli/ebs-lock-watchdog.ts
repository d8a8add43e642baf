#!/usr/bin/env node
/**
 * The lock watchdog's entry point, started detached by `ebs.lock` (see ebs-watchdog-process.ts): it
 * outlives a killed dbfork and unlocks the hidden member once the lock's deadline passes or its
 * parent is gone.
 */
import { openMemberAdmin } from '../mongodb/member-admin.js';
import { runWatchdogProcess } from './ebs-watchdog-process.js';

await runWatchdogProcess((uri) => openMemberAdmin(uri)).catch(() => {
  process.exitCode = 1;
});
