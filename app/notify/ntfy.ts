/**
 * ntfy (https://docs.ntfy.sh/publish/): POST to the topic URL, the message as a plain-text UTF-8
 * body, `Title`, `Priority` (1-5) and `Tags` (comma list of emoji short codes) headers, and
 * `Authorization: Bearer <token>` for a protected topic. A header value that is not ASCII (a
 * food name, "°C") is sent as an RFC 2047 encoded word, which ntfy decodes; raw UTF-8 in a
 * header is not reliable across HTTP stacks.
 */
import type { NtfyTargetConfig } from './config';
import { ATTEMPT_TIMEOUT_MS, attempt, createHttpClient, type AttemptOutcome, type NotifyTarget } from './http';
import { NTFY_PRIORITY, NTFY_TAGS, type RenderedNotification } from './types';

/** ASCII as is; anything else as `=?UTF-8?B?<base64>?=`. */
export function encodeHeaderValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export class NtfyTarget implements NotifyTarget {
  readonly name = 'ntfy' as const;
  readonly host: string;
  private readonly client = createHttpClient();

  constructor(
    private readonly config: NtfyTargetConfig,
    private readonly timeoutMs: number = ATTEMPT_TIMEOUT_MS,
  ) {
    this.host = config.host;
  }

  headers(n: RenderedNotification): Record<string, string> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/plain; charset=utf-8',
      Title: encodeHeaderValue(n.title),
      Priority: String(NTFY_PRIORITY[n.event]),
      Tags: NTFY_TAGS[n.event].join(','),
      // Not read by ntfy; lets a proxy or a log on the receiving side correlate with the webhook.
      'X-Anova-Event-Id': n.eventId,
    };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    return headers;
  }

  send(n: RenderedNotification, signal?: AbortSignal): Promise<AttemptOutcome> {
    return attempt(this.client, {
      url: this.config.url,
      headers: this.headers(n),
      body: Buffer.from(n.message, 'utf8'),
      // A token wins over user:pass in the URL (config warns when both are set).
      auth: this.config.token ? null : this.config.auth,
      signal,
      timeoutMs: this.timeoutMs,
    });
  }
}
