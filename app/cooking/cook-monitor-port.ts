/**
 * What the cook service needs from the live food-safety monitor (./monitor.ts, CookMonitor):
 * one per running cook, fed every observation of the cooker, asked for the `food_safety` object
 * and the alerts it raises. The service creates it through a factory, so either can be tested
 * without the other.
 */
import type { FoodSafetyView, MonitorEvent, MonitorPlan, Observation } from './monitor';

export interface CookMonitorLike {
  observe(obs: Observation): MonitorEvent[];
  /** No new observation: time passes (alerts must still fire while the cooker is silent). */
  advance(now: number): MonitorEvent[];
  /** The `food_safety` object of GET /status. */
  view(now: number): FoodSafetyView;
  /** Alerts the monitor holds active now (temperature_drop, cook_interrupted, ...). */
  alerts(): string[];
  /** The estimated temperature at the centre of the food, for the journal's samples (cheaper than view). */
  coreTempC(): number | null;
  /** The same alerts with their messages, least to most urgent. */
  activeAlerts(): Array<{ alert: string; message: string }>;
}

export type MonitorFactory = (plan: MonitorPlan) => CookMonitorLike;
