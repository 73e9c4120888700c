/**
 * A synthetic cooker for monitor tests: an injected clock, a simple bath (heats at 2 °C a minute
 * to the set point, then holds it exactly; cools toward the room when the heater is off), the
 * Anova timer, and the service's side (an 'offline' state once the staleness limit passed, the
 * periodic advance() while nothing arrives). No sleeps: time is a number.
 */
import {
  CookMonitor,
  type MonitorEvent,
  type MonitorPlan,
  type Observation,
  type ObservedMode,
} from '../../app/cooking/monitor';
import { parseStartCookBody } from '../../app/cooking/request';

export const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const MONITOR_OPTIONS = { dropAlertSeconds: 300, maxGapMs: 2 * MINUTE };

/** A monitor plan exactly as start-cook accepted it (throws if start-cook refuses). */
export function acceptedPlan(body: {
  temperature_celsius: number;
  time_minutes: number;
  food_type?: string;
  thickness_mm?: number;
}): MonitorPlan {
  const request = parseStartCookBody(body, true);
  return {
    categories: request.categories,
    thicknessMm: request.thicknessMm,
    targetTempC: request.temperatureC,
    timeMinutes: request.timeMinutes,
    foodType: request.foodType,
  };
}

export class CookRig {
  readonly monitor: CookMonitor;
  readonly events: MonitorEvent[] = [];
  now = T0;
  waterC = 20;
  mode: ObservedMode = 'preheating';
  /** Seconds left on the device timer once it runs; null before. */
  timerSeconds: number | null = null;
  foodInAt: number | null = null;
  /** The heater is on (false: power cut or stopped on the device; the water drifts to the room). */
  heating = true;
  /** Added to the held set point (a lid off, cold water): the water sits this much off target. */
  offsetC = 0;
  roomC = 20;

  constructor(
    readonly plan: MonitorPlan,
    readonly options = MONITOR_OPTIONS,
  ) {
    this.monitor = new CookMonitor(plan, options);
  }

  private record(events: MonitorEvent[]): void {
    this.events.push(...events);
  }

  private obs(): Observation {
    return {
      at: this.now,
      mode: this.mode,
      waterC: this.waterC,
      targetC: this.plan.targetTempC,
      timerRemainingSeconds: this.timerSeconds,
    };
  }

  /** One step of the bath and the timer, `ms` long. */
  private tick(ms: number): void {
    const target = this.plan.targetTempC;
    if (this.heating) {
      const setPoint = target + this.offsetC;
      this.waterC = this.waterC < setPoint ? Math.min(setPoint, this.waterC + (2 * ms) / MINUTE) : setPoint;
    } else {
      // Newton cooling of an uninsulated 6 L bath: about 10 °C the first hour from 60 °C in a 20 °C room.
      this.waterC = this.roomC + (this.waterC - this.roomC) * Math.exp(-ms / (4 * HOUR));
    }
    if (this.heating && this.mode === 'preheating' && this.waterC >= target - 0.3) {
      this.waterC = target + this.offsetC; // the Anova starts its timer here; the food goes in
      this.mode = 'cooking';
      this.timerSeconds = this.plan.timeMinutes * 60;
      this.foodInAt = this.now;
    } else if (this.heating && this.mode === 'cooking' && this.timerSeconds !== null) {
      this.timerSeconds = Math.max(0, this.timerSeconds - ms / 1000);
      if (this.timerSeconds === 0) this.mode = 'done';
    }
  }

  /** Runs the cooker for `ms`, pushing a state every `pushMs`. */
  run(ms: number, pushMs = 2 * SECOND): this {
    const end = this.now + ms;
    while (this.now < end) {
      const step = Math.min(pushMs, end - this.now);
      this.now += step;
      this.tick(step);
      this.record(this.monitor.observe(this.obs()));
    }
    return this;
  }

  /** Preheats and runs until the device timer runs out (ends on the 'done' state). */
  runAsPlanned(pushMs = 2 * SECOND): this {
    while (this.mode === 'preheating') this.run(pushMs, pushMs);
    while (this.mode === 'cooking') this.run(Math.min(pushMs, (this.timerSeconds as number) * 1000), pushMs);
    return this;
  }

  /**
   * The cooker falls silent for `ms` (a power cut): the service sends one 'offline' state after the
   * staleness limit, then calls advance() every minute. The bath cools meanwhile.
   */
  powerCut(ms: number, stalenessMs = 30 * SECOND): this {
    this.heating = false;
    const end = this.now + ms;
    let offlineSent = false;
    const cutAt = this.now;
    while (this.now < end) {
      const step = Math.min(offlineSent ? MINUTE : stalenessMs, end - this.now);
      this.now += step;
      this.tick(step);
      if (!offlineSent && this.now - cutAt >= stalenessMs) {
        offlineSent = true;
        this.record(
          this.monitor.observe({ ...this.obs(), mode: 'offline', waterC: null, timerRemainingSeconds: null }),
        );
      } else {
        this.record(this.monitor.advance(this.now));
      }
    }
    return this;
  }

  /** Nothing at all arrives for `ms` (the server itself was down): no states, no advance(). */
  serverDown(ms: number): this {
    const end = this.now + ms;
    while (this.now < end) {
      const step = Math.min(MINUTE, end - this.now);
      this.now += step;
      this.tick(step);
    }
    return this;
  }

  /** Adds time to the device timer (a person pressing + on the cooker). */
  addTimer(seconds: number): this {
    if (this.timerSeconds !== null) this.timerSeconds += seconds;
    return this;
  }

  raised(alert: string): MonitorEvent | undefined {
    return this.events.find((e) => e.type === 'alert_raised' && e.detail.alert === alert);
  }

  raisedAlerts(): string[] {
    return [...new Set(this.events.filter((e) => e.type === 'alert_raised').map((e) => String(e.detail.alert)))];
  }

  /** Milliseconds from `from` (default: food-in) to when `alert` was raised. */
  after(alert: string, from = this.foodInAt as number): number {
    const event = this.raised(alert);
    if (!event) throw new Error(`${alert} was never raised; raised: ${this.raisedAlerts().join(', ') || 'nothing'}`);
    return event.at - from;
  }
}
