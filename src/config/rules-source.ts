import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { UsageError } from '../errors/index.js';

/** A position in a rules file, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed rules file: the plain value plus a way back from a value path to a file position. */
export interface RulesSource {
  readonly file: string;
  readonly value: unknown;
  /**
   * The position of the deepest node on `path` that exists: a map key's position for a key, a
   * sequence item's for an index.
   */
  locate(path: readonly PropertyKey[]): SourcePosition;
}

/**
 * Parse rules text. YAML 1.2 via the `yaml` package (JSON is accepted as the YAML subset it is),
 * with a `LineCounter` so every node maps back to a line. Duplicate keys are errors.
 *
 * @param syntaxCode the error code of a syntax error (`RULES_SYNTAX`; `CONFIG_SYNTAX` for dbfork.yaml)
 * @throws UsageError `syntaxCode` with subject `{file, line}` for the first syntax error
 */
export function parseRulesSource(text: string, file: string, syntaxCode = 'RULES_SYNTAX'): RulesSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0] ?? first.message;
    throw new UsageError(syntaxCode, `${file}:${pos.line}:${pos.col}: ${reason}`, {
      subject: { file, line: pos.line, column: pos.col },
      hint: 'fix the YAML (or JSON) syntax at that line; nothing was read or written',
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // an alias without its anchor, or too many aliases: reported at the first alias
    const pos = lineCounter.linePos(firstAliasOffset(doc));
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new UsageError(syntaxCode, `${file}:${pos.line}:${pos.col}: ${reason}`, {
      subject: { file, line: pos.line, column: pos.col },
      hint: 'fix the YAML anchors and aliases (&name, *name) at that line; nothing was read or written',
    });
  }
  const at = (offset: number): SourcePosition => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    file,
    value,
    locate(path) {
      let node: unknown = doc.contents;
      let best: SourcePosition = node && hasRange(node) ? at(node.range[0]) : { line: 1, column: 1 };
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
          );
          if (!pair) return best;
          if (hasRange(pair.key)) best = at(pair.key.range[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment];
          if (item === undefined) return best;
          if (hasRange(item)) best = at(item.range[0]);
          node = item;
        } else {
          return best;
        }
      }
      return best;
    },
  };
}

function hasRange(node: unknown): node is Node & { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

/** Offset of the first alias (`*name`) of a document, 0 when it has none. */
function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
