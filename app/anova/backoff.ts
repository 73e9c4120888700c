/**
 * Reconnect delays: exponential growth with "decorrelated jitter" (each delay is drawn between
 * the initial delay and three times the previous one, capped). Jitter spreads reconnects out so
 * many clients do not hammer a recovering cloud in lockstep; the floor keeps a single client
 * from spinning in a tight loop. Pure: randomness is injected.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export class Backoff {
  private previousMs: number;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs)) {
      throw new RangeError('backoff needs 0 < initialMs <= maxMs');
    }
    this.previousMs = opts.initialMs;
  }

  /** The delay before the next attempt, in ms, always within [initialMs, maxMs]. */
  next(): number {
    const { initialMs, maxMs } = this.opts;
    const upper = Math.min(maxMs, this.previousMs * 3);
    const r = Math.min(1, Math.max(0, this.random()));
    const delay = Math.round(initialMs + r * (upper - initialMs));
    this.previousMs = delay;
    return delay;
  }

  /** Back to the initial delay (after a connection stayed healthy long enough). */
  reset(): void {
    this.previousMs = this.opts.initialMs;
  }
}
