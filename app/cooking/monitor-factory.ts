/**
 * Builds the live food-safety monitor of a cook (TEMPORARY: a passive monitor until
 * ./monitor.ts lands; it observes nothing and raises nothing).
 */
import type { CookMonitorLike, MonitorFactory } from './cook-monitor-port';

export function monitorFactory(_opts: { dropAlertSeconds: number; maxGapMs: number }): MonitorFactory {
  return (): CookMonitorLike => ({
    observe: () => [],
    advance: () => [],
    view: () => ({}),
    alerts: () => [],
    coreTempC: () => null,
  });
}
