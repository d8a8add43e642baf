#!/usr/bin/env node
import { exitOnInterrupt } from './interrupts.js';
import { runCli } from './run.js';

exitOnInterrupt();
process.exitCode = await runCli(process.argv);
