/**
 * In-memory token buckets per client. A bucket holds `limit` tokens and refills at limit/minute;
 * every request to the endpoint takes one, whatever its outcome.
 */
import type { Middleware } from 'koa';
import { EdgeError } from '../errors';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateLimiterOptions {
  /** Requests per minute per client. */
  limit: number;
  clock?: () => number;
  /**
   * Most clients remembered; the least recently seen are forgotten first. Behind cloudflared the
   * real callers are a handful (ChatGPT's egress, a monitor, you), so 1,000 bounds memory without
   * forgetting anyone who matters.
   */
  maxClients?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limit: number;
  private readonly perMs: number;
  private readonly clock: () => number;
  private readonly maxClients: number;

  constructor(opts: RateLimiterOptions) {
    this.limit = opts.limit;
    this.perMs = opts.limit / 60_000;
    this.clock = opts.clock ?? Date.now;
    this.maxClients = opts.maxClients ?? 1_000;
  }

  /** Takes a token; returns 0 when allowed, else the whole seconds to wait. */
  take(client: string): number {
    const now = this.clock();
    let bucket = this.buckets.get(client);
    if (bucket) {
      this.buckets.delete(client); // re-inserted below: Map order = least recently seen first
      bucket.tokens = Math.min(this.limit, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
      bucket.updatedAt = now;
    } else {
      bucket = { tokens: this.limit, updatedAt: now };
      if (this.buckets.size >= this.maxClients) this.evictOldest();
    }
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Would a request be refused now (without taking a token)? Returns the wait in seconds or 0. */
  peek(client: string): number {
    const bucket = this.buckets.get(client);
    if (!bucket) return 0;
    const tokens = Math.min(this.limit, bucket.tokens + (this.clock() - bucket.updatedAt) * this.perMs);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }

  private evictOldest(): void {
    // Full buckets carry no information; drop the oldest entries in one pass of a few.
    let n = 0;
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (++n >= 16) break;
    }
  }
}

export function rateLimitedError(retryAfterSeconds: number, message: string): EdgeError {
  return new EdgeError(
    'RATE_LIMITED',
    message,
    { 'Retry-After': String(retryAfterSeconds) },
    { retry_after_seconds: retryAfterSeconds },
  );
}

export function rateLimit(limiter: RateLimiter, client: (ctx: Parameters<Middleware>[0]) => string): Middleware {
  return async (ctx, next) => {
    const wait = limiter.take(client(ctx));
    if (wait > 0) {
      throw rateLimitedError(wait, `Too many requests. Wait ${wait} seconds, then try again.`);
    }
    await next();
  };
}
