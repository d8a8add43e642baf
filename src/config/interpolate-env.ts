/**
 * `${NAME}` and `${NAME:-default}` in a configuration value, filled in from the environment, in the
 * manner of POSIX shell parameter expansion and Docker Compose: `${NAME}` is the variable's value;
 * `${NAME:-default}` is the default when the variable is unset or empty; `$$` is a literal `$`. A
 * `$` followed by anything else is itself. Names: letters, digits and `_`, not starting with a digit.
 */

/** The value with its variables filled in, or the first variable that has no value. */
export type Interpolation = { readonly value: string } | { readonly missing: string };

const TOKEN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Fill in `text`'s variables from `env`. Pure. */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv): Interpolation {
  let missing: string | undefined;
  const value = text.replace(TOKEN, (token, name: string | undefined, fallback: string | undefined) => {
    if (token === '$$' || name === undefined) return '$';
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    missing ??= name;
    return '';
  });
  return missing === undefined ? { value } : { missing };
}

/** The variable a value is made of, when it is exactly `${NAME}` (then a plan may name the variable). */
export function soleVariable(text: string): string | undefined {
  return /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text)?.[1];
}
