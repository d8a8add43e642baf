import { spawn } from 'node:child_process';
import { z } from 'zod';
import { scrub } from '../core/redact.js';
import { DbforkError } from '../errors/index.js';
import type { OperationKind } from './operation-kind.js';
import { OperationFailure } from './operation-failure.js';
import { SecretRefSchema } from './secret-ref.js';

/** Bytes of a command's output kept in the result (the end of it). */
const TAIL_BYTES = 4096;

const ShellParamsSchema = z.strictObject({
  /** Program and arguments; no shell parses them. */
  argv: z.array(z.string()).min(1),
  cwd: z.string().optional(),
  /** Extra environment, each value by reference (resolved at apply time). */
  env: z.record(z.string(), SecretRefSchema).optional(),
});

export type ShellParams = z.infer<typeof ShellParamsSchema>;

/** What a finished command leaves in the result. Output tails are scrubbed of secrets. */
export interface ShellOutput {
  readonly exitCode: number | null;
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

/**
 * `shell.run`: run a program (argv, no shell) and fail unless it exits 0. A plan holding one runs on
 * `apply` only with `--allow-commands`: a plan file is data someone else may have written.
 *
 * @throws OperationFailure with DbforkError `PLAN_COMMAND_FAILED` (target) on a non-zero exit or
 *   a program that cannot start
 */
export const shellOperation: OperationKind<ShellParams> = {
  kind: 'shell.run',
  params: ShellParamsSchema,
  runsCommands: true,
  async run(params, ctx) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, ref] of Object.entries(params.env ?? {}))
      env[name] = (await ctx.secrets.resolve(ref)).reveal();
    const [program, ...args] = params.argv as [string, ...string[]];
    const output = await new Promise<ShellOutput & { startError?: Error }>((resolve) => {
      const child = spawn(program, args, { cwd: params.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString('utf8')).slice(-TAIL_BYTES)));
      child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-TAIL_BYTES)));
      child.on('error', (startError) =>
        resolve({ exitCode: null, stdoutTail: '', stderrTail: '', startError }),
      );
      child.on('close', (exitCode) =>
        resolve({ exitCode, stdoutTail: scrub(stdout), stderrTail: scrub(stderr) }),
      );
    });
    const { startError, ...result } = output;
    if (result.exitCode === 0) return result;
    const why = startError ? `cannot start: ${startError.message}` : `exited with ${String(result.exitCode)}`;
    throw new OperationFailure(
      new DbforkError('target', 'PLAN_COMMAND_FAILED', `command ${program} ${why}`, {
        subject: { program },
        hint: result.stderrTail.trim().split('\n').at(-1) ?? 'see the command output',
      }),
      result,
    );
  },
};
