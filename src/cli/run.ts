import { CommanderError } from 'commander';
import { EXIT_CODES, InternalError, isDbforkError, type DbforkError } from '../errors/index.js';
import { scrub } from '../core/redact.js';
import { buildProgram } from './program.js';
import { RunLifecycle } from './run-lifecycle.js';

/**
 * Run the CLI and return the exit code. This is the one place where errors become exit codes
 * (see errors/error-codes.ts) and where they are printed: one line with the code and message, one
 * with the hint, never a stack trace unless `--log-level debug`. The run's lifecycle (audit end
 * record, notifications) ends here too, with the outcome: failed for a thrown error or a non-zero
 * exit code.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.some(
    (a, i) =>
      (a === '--log-level' && ['debug', 'trace'].includes(argv[i + 1] ?? '')) ||
      /^--log-level=(debug|trace)$/.test(a),
  );
  const lifecycle = new RunLifecycle();
  try {
    await (await buildProgram(argv, lifecycle)).parseAsync(argv as string[]);
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    await lifecycle.finish({ outcome: code === 0 ? 'succeeded' : 'failed' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; usage mistakes exit as usage errors
      return error.exitCode === 0 ? 0 : EXIT_CODES.usage;
    }
    const failure: DbforkError = isDbforkError(error)
      ? error
      : new InternalError(error instanceof Error ? error.message : String(error), { cause: error });
    report(failure, json, debug);
    await lifecycle.finish({ outcome: 'failed', error: failure });
    return failure.exitCode;
  }
}

function report(error: DbforkError, json: boolean, debug: boolean): void {
  if (json) {
    process.stdout.write(
      scrub(JSON.stringify({ type: 'error', schemaVersion: 1, error: error.toJSON() })) + '\n',
    );
  }
  const subject = Object.entries(error.subject)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  process.stderr.write(
    scrub(`dbfork: error ${error.code}: ${error.message}${subject ? ` [${subject}]` : ''}`) + '\n',
  );
  if (error.hint) process.stderr.write(scrub(`  hint: ${error.hint}`) + '\n');
  if (debug) {
    const cause = error.cause instanceof Error ? error.cause : error;
    process.stderr.write(scrub(cause.stack ?? '') + '\n');
  }
}
