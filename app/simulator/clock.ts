/**
 * The simulator's clock. Simulated time runs `scale` times faster than the real clock, so a
 * 90-minute cook can play in 90 seconds. Every timestamp the fake cloud shows a client comes
 * from here, which keeps `initial − (updatedTimestamp − startedAtTimestamp)` right at any scale.
 */
import { assertNumberInRange } from './errors';

export class SimClock {
  private anchorReal: number;
  private anchorSim: number;
  private currentScale: number;

  /** `realNow` is injected so tests of time-dependent code can drive it by hand. */
  constructor(
    scale: number,
    private readonly realNow: () => number = Date.now,
  ) {
    assertTimeScale(scale);
    this.anchorReal = realNow();
    this.anchorSim = this.anchorReal;
    this.currentScale = scale;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.anchorSim + (this.realNow() - this.anchorReal) * this.currentScale;
  }

  get scale(): number {
    return this.currentScale;
  }

  /** Changes speed from now on; simulated time stays continuous (no jump at the change). */
  setScale(scale: number): void {
    assertTimeScale(scale);
    const real = this.realNow();
    this.anchorSim = this.anchorSim + (real - this.anchorReal) * this.currentScale;
    this.anchorReal = real;
    this.currentScale = scale;
  }
}

/** A sane range: below 0.01 nothing visibly happens; above 100,000 a push interval spans days. */
export const MAX_TIME_SCALE = 100_000;
export const MIN_TIME_SCALE = 0.01;

export function assertTimeScale(scale: number): void {
  assertNumberInRange('time scale', scale, MIN_TIME_SCALE, MAX_TIME_SCALE);
}
