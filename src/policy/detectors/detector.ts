/** The kinds of personal data `dbfork scan` looks for. */
export type DetectorName = 'email' | 'phone' | 'ip' | 'card' | 'iban' | 'street_address' | 'person_name';

/** A personal-data detector over text: returns the matching substrings (possibly inside free text). */
export interface Detector {
  readonly name: DetectorName;
  find(text: string): string[];
}

/** All matches of a global regular expression, optionally filtered. */
export function matchesOf(
  regex: RegExp,
  text: string,
  accept: (match: string) => boolean = () => true,
): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(regex)) if (accept(m[0])) out.push(m[0]);
  return out;
}
