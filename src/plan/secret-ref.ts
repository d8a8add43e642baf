import { z } from 'zod';

/**
 * Where a secret comes from, by name, never by value: an environment variable, a file (its content,
 * one trailing newline dropped), a key of the config file (`--config`, dotted path), or a value given
 * on the command line of the run that built the plan (`arg`, only ever resolvable in that run: a saved
 * plan naming one cannot be applied). Resolved at apply time by a {@link SecretResolver}.
 */
export const SecretRefSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }),
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({ config: z.string().min(1) }),
  z.strictObject({ arg: z.string().regex(/^--[a-z][a-z0-9-]*$/, 'a command-line flag') }),
]);

/** A connection string holding a password (`user:pass@`) or a secret option. */
export function uriHoldsCredential(uri: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\/[^@/\s]*:[^@/\s]*@/i.test(uri) ||
    /[?&](password|authMechanismProperties|tlsCertificateKeyFilePassword|sslPEMKeyPassword)=/i.test(uri)
  );
}

/**
 * A connection: a reference to where its connection string lives, or the string itself when it holds
 * no credential (`{ uri: 'mongodb://10.0.0.5:27017/' }`). A literal with a password fails to parse.
 */
export const ConnectionRefSchema = z.union([
  z.strictObject({
    uri: z.string().refine((uri) => !uriHoldsCredential(uri), {
      message: 'a literal connection string in a plan must hold no password; reference it by env or file',
    }),
  }),
  SecretRefSchema,
]);

export type ConnectionRef = z.infer<typeof ConnectionRefSchema>;

/** How a reference reads in a plan's text: `$DBFORK_TARGET_URI`, `file /run/secrets/uri`, … */
export function describeRef(ref: ConnectionRef): string {
  if ('uri' in ref) return ref.uri;
  if ('env' in ref) return `$${ref.env}`;
  if ('file' in ref) return `file ${ref.file}`;
  if ('config' in ref) return `config ${ref.config}`;
  return `the value of ${ref.arg}`;
}
