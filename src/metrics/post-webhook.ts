import { withRetry } from '../core/retry.js';

export interface PostWebhookOptions {
  /** Attempts in all (default 3). */
  readonly attempts?: number;
  /** Time allowed for one attempt, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** First backoff in ms (default 500), doubling. */
  readonly baseDelayMs?: number;
}

/**
 * POST `body` as JSON to a webhook, with bounded retries: a network error, a timeout, HTTP 429 or a
 * 5xx is tried again (3 attempts, 5 s each, 0.5 s then 1 s apart by default: under 17 s in all); any
 * other status fails at once.
 *
 * @throws Error naming the last status or network error (the URL is not in the message: a webhook
 *   URL is a secret)
 */
export async function postWebhook(
  url: string,
  body: unknown,
  options: PostWebhookOptions = {},
): Promise<void> {
  await withRetry(
    async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch (error) {
        throw new WebhookFailure(`${(error as Error).name}: ${(error as Error).message}`, true);
      }
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) {
        const again = response.status === 429 || response.status >= 500;
        throw new WebhookFailure(`HTTP ${response.status}`, again);
      }
    },
    {
      attempts: options.attempts ?? 3,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: 4000,
      isRetryable: (error) => error instanceof WebhookFailure && error.retryable,
    },
  );
}

class WebhookFailure extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}
