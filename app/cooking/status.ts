/**
 * Pure: the selected cooker's state (plus our cook record) → the body of GET /status.
 */
import { celsiusToFahrenheit, projectTimer, type CookerSnapshot } from './cooker';
import type { CookRecord } from './service';

/**
 * Assumed heating rate for estimates. An 1100 W circulator heats a 6 L bath by about 2.6 °C a
 * minute; 2 °C keeps the estimate on the safe (later) side for bigger baths.
 */
export const HEATING_RATE_C_PER_MIN = 2;

export type ApiCookState = 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown';

/** The /status body, exactly the keys of docs/api.md. */
export interface StatusView {
  device_online: boolean;
  state: ApiCookState;
  current_temp_celsius: number | null;
  target_temp_celsius: number | null;
  time_remaining_minutes: number | null;
  time_elapsed_minutes: number | null;
  is_running: boolean;
  current_temp_fahrenheit: number | null;
  target_temp_fahrenheit: number | null;
  cook_id: string | null;
  food_type: string | null;
  estimated_completion: string | null;
  alerts: string[];
  device_name: string;
  last_update_seconds_ago: number | null;
  /** v1.1: the live food-safety view of the cook this server follows, or null. */
  food_safety: Record<string, unknown> | null;
}

/** Seconds to bring the water from `currentC` to `targetC` (0 when already there or hotter). */
export function heatUpSeconds(currentC: number | null, targetC: number): number {
  const from = currentC ?? 20; // unknown: assume cold tap water
  return Math.max(0, Math.round(((targetC - from) / HEATING_RATE_C_PER_MIN) * 60));
}

function round1(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}

function fahrenheit(c: number | null): number | null {
  return c === null ? null : round1(celsiusToFahrenheit(c));
}

/** What the cook service adds for the cook it follows (its monitor, and whether it already ended). */
export interface CookExtras {
  /** The cook ended (stopped on the device, or interrupted) but its food still needs watching. */
  lingering: boolean;
  /** The monitor's `food_safety` object, or null. */
  foodSafety: Record<string, unknown> | null;
  /** Alerts the server computed (temperature_drop, cook_interrupted, food_safety_at_risk, discard_food). */
  alerts: string[];
}

const NO_EXTRAS: CookExtras = { lingering: false, foodSafety: null, alerts: [] };

export function buildStatusView(
  snapshot: CookerSnapshot,
  record: CookRecord | null,
  now: number,
  extras: CookExtras = NO_EXTRAS,
): StatusView {
  const device = snapshot.state;
  // The cloud acked our start but the cooker has not shown it yet: report the transition, not "idle".
  const pendingStart =
    record !== null && record.phase === 'acked' && !record.seenOnDevice && (device === null || device.mode === 'idle');

  const state: ApiCookState = pendingStart ? 'preheating' : (device?.mode ?? 'unknown');
  const current = round1(device?.currentTempC ?? null);
  const running = state === 'preheating' || state === 'cooking' || state === 'done';
  // An idle cooker remembers its last setpoint; it is not a target while nothing runs.
  const target = pendingStart ? record.targetTempC : running ? round1(device?.targetTempC ?? null) : null;

  let remainingMin: number | null = null;
  let elapsedMin: number | null = null;
  let completionAt: number | null = null;
  if (pendingStart) {
    remainingMin = record.timeMinutes;
    elapsedMin = 0;
    completionAt =
      now + (heatUpSeconds(device?.currentTempC ?? null, record.targetTempC) + record.timeMinutes * 60) * 1000;
  } else if (device && device.timerTotalSeconds !== null && running) {
    const t = projectTimer(device, now);
    const remaining = state === 'done' ? 0 : (t.remainingSeconds ?? device.timerTotalSeconds);
    remainingMin = Math.ceil(remaining / 60);
    elapsedMin = Math.floor((t.elapsedSeconds ?? 0) / 60);
    if (state === 'cooking') completionAt = now + remaining * 1000;
    if (state === 'preheating') {
      completionAt = now + (heatUpSeconds(device.currentTempC, target ?? 0) + remaining) * 1000;
    }
  }

  const ours = record !== null && record.phase !== 'sending' && (running || extras.lingering);
  return {
    device_online: snapshot.online,
    state,
    current_temp_celsius: current,
    target_temp_celsius: target,
    time_remaining_minutes: remainingMin,
    time_elapsed_minutes: elapsedMin,
    is_running: running,
    current_temp_fahrenheit: fahrenheit(current),
    target_temp_fahrenheit: fahrenheit(target),
    cook_id: ours ? record.cookId : null,
    food_type: ours ? record.foodType : null,
    estimated_completion: completionAt === null ? null : new Date(completionAt).toISOString(),
    alerts: [...new Set([...(device?.alerts ?? []), ...(ours ? extras.alerts : [])])],
    device_name: snapshot.info.name,
    last_update_seconds_ago:
      snapshot.lastStateAt === null ? null : Math.max(0, Math.floor((now - snapshot.lastStateAt) / 1000)),
    food_safety: ours ? extras.foodSafety : null,
  };
}
