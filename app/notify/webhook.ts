/**
 * The generic JSON webhook (docs/api.md, "Notifications"): POST application/json with
 * X-Anova-Event, X-Anova-Event-Id and, with a secret, X-Anova-Signature: sha256=<hex HMAC-SHA256
 * of the raw body>. The body is rendered once (see render.ts); every attempt sends and signs
 * exactly those bytes, so a retry carries the same id and the same signature.
 */
import { createHmac } from 'node:crypto';
import type { WebhookTargetConfig } from './config';
import { ATTEMPT_TIMEOUT_MS, attempt, createHttpClient, type AttemptOutcome, type NotifyTarget } from './http';
import type { RenderedNotification } from './types';

/** `sha256=<hex>` over exactly these bytes. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookTarget implements NotifyTarget {
  readonly name = 'webhook' as const;
  readonly host: string;
  private readonly client = createHttpClient();

  constructor(
    private readonly config: WebhookTargetConfig,
    private readonly timeoutMs: number = ATTEMPT_TIMEOUT_MS,
  ) {
    this.host = config.host;
  }

  /** The headers of one request (exported for tests and docs; no Authorization: that is in the URL's credentials). */
  headers(n: RenderedNotification, body: Buffer): Record<string, string> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'X-Anova-Event': n.event,
      'X-Anova-Event-Id': n.eventId,
    };
    if (this.config.secret) headers['X-Anova-Signature'] = signBody(this.config.secret, body);
    return headers;
  }

  send(n: RenderedNotification, signal?: AbortSignal): Promise<AttemptOutcome> {
    const body = Buffer.from(n.body, 'utf8');
    return attempt(this.client, {
      url: this.config.url,
      headers: this.headers(n, body),
      body,
      auth: this.config.auth,
      signal,
      timeoutMs: this.timeoutMs,
    });
  }
}
