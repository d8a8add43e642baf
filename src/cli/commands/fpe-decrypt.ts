import type { Command } from 'commander';
import { loadRules } from '../../config/load-rules.js';
import { UsageError } from '../../errors/index.js';
import { TypeMismatch } from '../../transform/field-transform.js';
import { loadAnonymizationKey } from '../../transform/load-anonymization-key.js';
import { domainName } from '../../transform/rule-domain.js';
import { FpeCipher } from '../../transform/transforms/fpe.js';
import type { CommandContext } from '../context.js';

interface FpeDecryptOptions {
  rules: string;
  collection: string;
  field: string;
  keyFile?: string;
}

/**
 * `dbfork fpe-decrypt --rules <file> --collection <key> --field <path> <value…>`: the originals of
 * values an `fpe` rule encrypted, one per line, for whoever holds the anonymization key (the rule's
 * key and tweak are derived from it and the rule's domain, so the rules file must be the one the
 * data was anonymized with). Reads only; prints plaintext to stdout.
 *
 * @throws UsageError `CONFIG_BAD_OPTION` when no `fpe` rule is at that collection key and path, or a
 *   value does not have the rule's number of alphabet characters
 */
export function define(command: Command, _context: () => CommandContext): void {
  command
    .argument('<value...>', 'encrypted values, as they appear in the anonymized data')
    .requiredOption('--rules <file>', 'the rules file the data was anonymized with')
    .requiredOption('--collection <key>', 'the collection key of the fpe rule, as written in the rules file')
    .requiredOption('--field <path>', 'the field path of the fpe rule, as written in the rules file')
    .option('--key-file <file>', 'file holding the anonymization key (default: $DBFORK_ANONYMIZATION_KEY)')
    .action(async (values: string[], options: FpeDecryptOptions) => {
      const { rules } = await loadRules(options.rules);
      const collection = rules.collections.find((c) => c.pattern === options.collection);
      const rule = collection?.fields.find((f) => f.path === options.field);
      if (!collection || rule?.transform !== 'fpe') {
        throw new UsageError(
          'CONFIG_BAD_OPTION',
          `${options.rules} has no fpe rule at ${options.collection} ${options.field}`,
          { hint: 'give the collection key and field path exactly as the rules file writes them' },
        );
      }
      const hasher = await loadAnonymizationKey(
        options.keyFile === undefined ? {} : { keyFile: options.keyFile },
      );
      const cipher = new FpeCipher(
        hasher.forDomain(domainName(collection.pattern, rule)),
        rule.options.alphabet ?? '',
      );
      for (const value of values) {
        try {
          process.stdout.write(`${cipher.decrypt(value)}\n`);
        } catch (error) {
          if (!(error instanceof TypeMismatch)) throw error;
          throw new UsageError('CONFIG_BAD_OPTION', `cannot decrypt a value: it has not ${error.expected}`, {
            hint: 'give the values exactly as the anonymized data holds them',
          });
        }
      }
    });
}
