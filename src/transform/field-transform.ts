import type { DomainDigest } from './hasher.js';

/** Returned by a transform to remove the field. */
export const UNSET: unique symbol = Symbol('dbfork.unset');

/** What a transform sees besides the value. */
export interface ValueContext {
  /** The uniqueness attempt: 0 first, then 1, 2, … after collisions (see uniqueness-registry.ts). */
  readonly attempt: number;
  /** The keyed 32-byte digest of this rule's (or group's) domain. */
  readonly digest: DomainDigest;
  /**
   * The document being rewritten, with every non-template rule already applied (templates read it).
   * It holds at least the fields the namespace's rules reach, read or declare (FieldTransform.reads,
   * documentReads); other fields may be absent.
   */
  readonly document: Record<string, unknown>;
  /**
   * The value at a dot path (no array positions) of the document as it arrived, before any rule
   * ran; only paths the transform lists in {@link FieldTransform.reads} are available (others:
   * undefined).
   */
  readonly original: (path: string) => unknown;
}

/**
 * One transform instance: one per rule, or one per group (so a group shares state such as the
 * `sequential` counter). `apply` gets one scalar at a time (arrays are walked by the caller unless
 * {@link wholeValue}); `null` is passed through by the caller without calling it (null holds no data).
 */
export interface FieldTransform {
  /** Replace the whole field value even when it is an array or document (`constant`, `null`, `unset`). */
  readonly wholeValue: boolean;
  /** A later attempt gives a different output (the transform can resolve a collision). */
  readonly retryable: boolean;
  /** Documents that the transform needs the finished document (templates run after all other rules). */
  readonly late?: boolean;
  /** Dot paths whose original values the transform reads through {@link ValueContext.original}. */
  readonly reads?: readonly string[];
  /**
   * Dot paths of the rewritten document the transform reads through {@link ValueContext.document}
   * besides {@link reads}. A `late` transform that declares neither reads the whole document.
   */
  readonly documentReads?: readonly string[];
  /**
   * Transform one value.
   * @throws TypeMismatch when the value is of a type or shape the transform cannot handle
   */
  apply(value: unknown, context: ValueContext): unknown;
  /**
   * True when this output carries ≥ 96 bits from the keyed hash (or comes from a counter), so a
   * collision is negligible (< n²/2⁹⁷ for n values) and the uniqueness memory is not needed.
   */
  collisionFree?(output: unknown): boolean;
}

/** Thrown by a transform for a value it cannot handle; the engine applies `on_type_mismatch`. */
export class TypeMismatch extends Error {
  /** What the transform accepts, e.g. `a string with one @`. */
  readonly expected: string;
  constructor(expected: string) {
    super(`expected ${expected}`);
    this.expected = expected;
  }
}
