/**
 * Progress events every long-running stage reports. Units are in the field names. The CLI turns them
 * into bars on a TTY or NDJSON lines with `--json`.
 */
export type ProgressEvent =
  | {
      readonly type: 'collection-start';
      readonly namespace: string;
      readonly estimatedDocuments: number | null;
    }
  | {
      readonly type: 'collection-progress';
      readonly namespace: string;
      readonly documents: number;
      readonly bytes: number;
    }
  | {
      readonly type: 'collection-done';
      readonly namespace: string;
      readonly documents: number;
      readonly bytes: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'retry';
      readonly namespace?: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly type: 'warning'; readonly namespace?: string; readonly code: string; readonly message: string }
  | { readonly type: 'phase'; readonly phase: string; readonly detail?: string }
  /** A decision worth one log line (how data moves, and why). */
  | { readonly type: 'info'; readonly code: string; readonly message: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** A listener that drops everything. */
export const NO_PROGRESS: ProgressListener = () => undefined;
