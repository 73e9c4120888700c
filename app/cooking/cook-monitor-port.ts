/**
 * What the cook service needs from the live food-safety monitor (./monitor.ts): one per
 * running cook, fed every observation of the cooker, asked for the `food_safety` object and
 * the alerts it raises. The service creates it through a factory, so it can be tested with a
 * fake and the monitor without the service.
 */
import type { FoodCategory } from './food-safety/classify';

export interface MonitorPlan {
  categories: FoodCategory[];
  thicknessMm: number;
  targetTempC: number;
  timeMinutes: number;
  foodType: string | null;
}

/** One look at the cooker: a state push, a journal sample replayed, or "offline" from the client. */
export interface MonitorObservation {
  at: number;
  mode: 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown' | 'offline';
  waterC: number | null;
  targetC: number | null;
  timerRemainingSeconds: number | null;
}

export interface MonitorEvent {
  at: number;
  type: 'temperature_reached' | 'pasteurised' | 'alert_raised' | 'alert_cleared';
  /** For alerts: {alert, message, ...}. */
  detail: Record<string, unknown>;
}

export interface CookMonitorLike {
  observe(obs: MonitorObservation): MonitorEvent[];
  /** No new observation: time passes (alerts must still fire while the cooker is silent). */
  advance(now: number): MonitorEvent[];
  /** The `food_safety` object of GET /status. */
  view(now: number): Record<string, unknown>;
  /** Alerts the monitor holds active now (e.g. temperature_drop, cook_interrupted). */
  alerts(): string[];
  /** The estimated temperature at the slowest-heating point, for the journal's samples. */
  coreTempC(): number | null;
}

export type MonitorFactory = (plan: MonitorPlan) => CookMonitorLike;
