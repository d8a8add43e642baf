import { scrub } from '../core/redact.js';
import { postWebhook, type PostWebhookOptions } from '../metrics/post-webhook.js';
import { notificationBody, webhookOf, type RunNotice } from '../metrics/run-notification.js';
import type { Logger } from './logger.js';

/**
 * Post a run's notice to every `--notify` URL, all at once, each with bounded retries (see
 * {@link postWebhook}). Never throws and never changes the run's outcome: a webhook that stays down
 * gives one warning (`NOTIFY_FAILED`, naming the URL's host only: the URL itself is a secret).
 */
export async function notifyRun(
  logger: Logger,
  urls: readonly string[],
  notice: RunNotice,
  options: PostWebhookOptions = {},
): Promise<void> {
  await Promise.all(
    urls.map(async (given) => {
      const { url, shape } = webhookOf(given);
      try {
        await postWebhook(url, JSON.parse(scrub(JSON.stringify(notificationBody(notice, shape)))), options);
        logger.debug({ host: hostOf(url), shape }, 'notification sent');
      } catch (error) {
        logger.warn(
          { code: 'NOTIFY_FAILED', host: hostOf(url), error: scrub((error as Error).message) },
          'notification not sent; the run is not affected',
        );
      }
    }),
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
