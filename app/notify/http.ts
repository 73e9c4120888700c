/**
 * One HTTP attempt to a notification target, over axios, and what its outcome means for the
 * retry policy (docs/notifications.md, "Delivery"):
 *   2xx                      delivered
 *   408, 429, 5xx            retried (429 and 503 honour Retry-After)
 *   other 3xx/4xx            rejected: not retried (a redirect, a wrong URL or credentials)
 *   network error, timeout   retried
 * Axios never retries, follows no redirect, reads no proxy from the environment and does not
 * judge the status itself (validateStatus). Nothing here logs; errors carry no URL or header.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { VERSION } from '../version';
import type { BasicAuth } from './config';
import type { RenderedNotification, TargetName } from './types';

/** docs/api.md: each delivery attempt times out after 10 s. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; code: string | null; retryAfterMs: number | null }
  | { kind: 'rejected'; status: number }
  /** Cancelled by the caller (shutdown): says nothing about the receiver. */
  | { kind: 'aborted' };

/** A configured receiver. `send` never throws and never logs. */
export interface NotifyTarget {
  readonly name: TargetName;
  /** host[:port]: the only part of the URL that may be logged. */
  readonly host: string;
  send(notification: RenderedNotification, signal?: AbortSignal): Promise<AttemptOutcome>;
}

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  auth: BasicAuth | null;
  signal?: AbortSignal;
  timeoutMs: number;
}

export const USER_AGENT = `anova-control-server/${VERSION}`;

/** One client per target: its own agents without keep-alive (a few requests an hour; no idle sockets). */
export function createHttpClient(): AxiosInstance {
  return axios.create({
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: 'stream', // the body is never read: a huge or endless answer costs nothing
    decompress: false,
    maxBodyLength: 64 * 1024,
    httpAgent: new http.Agent({ keepAlive: false }),
    httpsAgent: new https.Agent({ keepAlive: false }),
    transformRequest: [(data: unknown) => data],
    headers: { 'User-Agent': USER_AGENT },
  });
}

/** Retry-After: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function classifyStatus(status: number, retryAfterMs: number | null): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', status, code: null, retryAfterMs: status === 429 || status === 503 ? retryAfterMs : null };
  }
  return { kind: 'rejected', status };
}

/** The error's code only (ECONNREFUSED, ETIMEDOUT...): its message and config may hold the URL. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'ERROR';
}

export async function attempt(client: AxiosInstance, req: AttemptRequest): Promise<AttemptOutcome> {
  if (req.signal?.aborted) return { kind: 'aborted' };
  // A hard deadline for the whole attempt: axios's own timeout is per socket inactivity, so a
  // receiver trickling bytes could otherwise hold an attempt forever.
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  try {
    const res = await client.request({
      method: 'POST',
      url: req.url,
      data: req.body,
      headers: { ...req.headers, 'Content-Length': String(req.body.length) },
      auth: req.auth ?? undefined,
      timeout: req.timeoutMs,
      signal,
    });
    (res.data as { destroy?: () => void } | undefined)?.destroy?.();
    const retryAfter = parseRetryAfter(res.headers['retry-after'], Date.now());
    return classifyStatus(res.status, retryAfter);
  } catch (err) {
    if (req.signal?.aborted) return { kind: 'aborted' };
    const code = deadline.aborted ? 'ETIMEDOUT' : errorCode(err);
    return { kind: 'retry', status: null, code: code === 'ECONNABORTED' ? 'ETIMEDOUT' : code, retryAfterMs: null };
  }
}
