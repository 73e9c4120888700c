/**
 * Bearer API key check. The key is compared as fixed-length SHA-256 digests with a timing-safe
 * equality, and a client that keeps failing is throttled before its key is even looked at.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { EdgeError } from '../errors';
import { RateLimiter, rateLimitedError } from './rate-limit';

const BEARER = /^Bearer +([^\s]+) *$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `presented` is the key; takes the same time whatever is presented. */
export function keyMatches(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(presented), expectedDigest);
}

export interface AuthOptions {
  apiKey: string;
  client: (ctx: Context) => string;
  /** Failed attempts allowed per client per minute before 429 (api.md: more than 10 a minute). */
  failuresPerMinute?: number;
  clock?: () => number;
}

export function bearerAuth(opts: AuthOptions): Middleware {
  const expected = digest(opts.apiKey);
  const failures = new RateLimiter({ limit: opts.failuresPerMinute ?? 10, clock: opts.clock });
  return async (ctx, next) => {
    const client = opts.client(ctx);
    const wait = failures.peek(client);
    if (wait > 0) {
      throw rateLimitedError(wait, `Too many failed authentication attempts. Wait ${wait} seconds, then try again.`);
    }
    const match = BEARER.exec(ctx.get('authorization'));
    if (!match || !keyMatches(match[1], expected)) {
      failures.take(client);
      throw new EdgeError(
        'UNAUTHORIZED',
        'Missing or wrong API key. Send the key as "Authorization: Bearer <API key>"; in a Custom GPT, set it as the Action\'s API key with the Bearer auth type.',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    await next();
  };
}
