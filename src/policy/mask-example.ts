/**
 * A masked example of a detected value, safe to print: at most the first 2 and last 2 characters
 * survive (fewer for short values), everything else becomes `*`, and the whole is capped at 24
 * characters. Email addresses keep their `@` and the domain's last label: `an***@*.org`.
 */
export function maskExample(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0) {
    const domain = value.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    return `${maskPart(value.slice(0, at))}@*${dot >= 0 ? domain.slice(dot) : ''}`;
  }
  return maskPart(value);
}

function maskPart(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  const keep = chars.length >= 8 ? 2 : chars.length >= 4 ? 1 : 0;
  const middle = Math.min(chars.length - 2 * keep, 20);
  return (
    chars.slice(0, keep).join('') +
    '*'.repeat(Math.max(middle, 0)) +
    (keep ? chars.slice(-keep).join('') : '')
  );
}
