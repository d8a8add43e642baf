#!/usr/bin/env node
import { exitOnInterrupt, runCli } from './run.js';

exitOnInterrupt();
process.exitCode = await runCli(process.argv);
