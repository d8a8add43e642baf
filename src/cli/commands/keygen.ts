import type { Command } from 'commander';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { UsageError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

/**
 * `dbfork keygen [-o <file>]`: a new age X25519 identity and its `age1…` recipient, in age-keygen's
 * format (`# created:`, `# public key:`, the `AGE-SECRET-KEY-1…` line). With `-o` the file is created
 * with mode 0600 (never over an existing one) and only the public key is printed, on stderr.
 * Producers get the recipient (`--recipient`); the identity stays with whoever restores.
 */
export function define(command: Command, _context: () => CommandContext): void {
  command
    .option('-o, --output <file>', 'write the identity to this file (mode 0600, must not exist)')
    .action(async (options: { output?: string }) => {
      const identity = await generateX25519Identity();
      const recipient = await identityToRecipient(identity);
      const text = `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`;
      if (options.output === undefined) {
        process.stdout.write(text);
        return;
      }
      await writeFileAtomic(options.output, text, { exclusive: true, mode: 0o600 }).catch(
        (cause: unknown) => {
          throw new UsageError('CONFIG_BAD_OPTION', `cannot create ${options.output}`, {
            subject: { file: options.output },
            hint:
              (cause as NodeJS.ErrnoException).code === 'EEXIST'
                ? 'the file exists: choose another name'
                : 'check the folder',
            cause,
          });
        },
      );
      process.stderr.write(`Public key: ${recipient}\n`);
    });
}
