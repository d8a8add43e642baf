/** The `#preview-config` YAML found in a pull request description. */
export interface ConfigBlock {
  /** The YAML text (the marker line excluded). */
  readonly yaml: string;
  /** Line of the description (1-based) where the YAML's first line is. */
  readonly firstLine: number;
  /** The description's lines, to quote a line of it. */
  readonly lines: readonly string[];
}

const MARKER = /^\s*#\s*preview-config\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Find the `#preview-config` block in a pull request description. Two forms:
 * - fenced: the marker is the first line inside a ``` (or ~~~) fence, the block runs to the closing fence;
 * - unfenced: the marker is a line of its own, the block runs to the first blank line, fence or the end.
 * Only the first marker counts. Pure.
 *
 * @returns null when the description holds no marker
 */
export function findConfigBlock(body: string | null): ConfigBlock | null {
  if (!body) return null;
  const lines = body.split(/\r?\n/);
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!MARKER.test(line)) continue;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] ?? '';
      if (FENCE.test(next) || (!fenced && next.trim() === '')) break;
      block.push(next);
    }
    return { yaml: block.join('\n'), firstLine: i + 2, lines };
  }
  return null;
}
