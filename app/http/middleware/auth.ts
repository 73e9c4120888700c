/**
 * Bearer API key check. The key is compared as fixed-length SHA-256 digests with a timing-safe
 * equality, and a client that keeps failing is throttled before its key is even looked at.
 *
 * The failed-auth throttle is one per app (docs/api.md, Authentication): the HTTP routes, /mcp
 * and the OAuth approval page all count toward the instance createHttpApp makes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { EdgeError } from '../errors';
import { RateLimiter, rateLimitedError } from './rate-limit';

export const BEARER = /^Bearer +([^\s]+) *$/i;

/** docs/api.md: more than 10 failed attempts a minute from one client are answered 429. */
export const FAILED_AUTH_PER_MINUTE = 10;

export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `presented` is the key; takes the same time whatever is presented. */
export function keyMatches(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(presented), expectedDigest);
}

/** The failed-auth throttle: every failed attempt takes a token from the client's bucket. */
export function createFailedAuthThrottle(clock?: () => number): RateLimiter {
  return new RateLimiter({ limit: FAILED_AUTH_PER_MINUTE, clock });
}

/** Throws 429 when `client` failed too often lately; called before any credential is looked at. */
export function refuseWhenThrottled(failures: RateLimiter, client: string): void {
  const wait = failures.peek(client);
  if (wait > 0) {
    throw rateLimitedError(wait, `Too many failed authentication attempts. Wait ${wait} seconds, then try again.`);
  }
}

export interface AuthOptions {
  apiKey: string;
  client: (ctx: Context) => string;
  /** The app's shared failed-auth throttle; without one, this middleware keeps its own. */
  failures?: RateLimiter;
  /** Failed attempts allowed per client per minute before 429 (docs/api.md: more than 10 a minute). */
  failuresPerMinute?: number;
  clock?: () => number;
}

export function bearerAuth(opts: AuthOptions): Middleware {
  const expected = digest(opts.apiKey);
  const failures =
    opts.failures ?? new RateLimiter({ limit: opts.failuresPerMinute ?? FAILED_AUTH_PER_MINUTE, clock: opts.clock });
  return async (ctx, next) => {
    const client = opts.client(ctx);
    refuseWhenThrottled(failures, client);
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
