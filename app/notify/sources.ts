/**
 * Which moments reach the person (docs/api.md, "Notifications"): derived from what the server
 * records (the cook service's events, which are also the journal's) and from the cloud link.
 * Each is published once per occurrence, when it is first recorded: a monitor rebuilt from the
 * journal after a restart replays nothing here.
 */
import type { CloudStatus } from '../cooking/cooker';
import type { CookEvent } from '../cooking/journal-port';
import type { CookService } from '../cooking/service';
import { isNotifyEventName, type NotificationInput, type NotifyEventName } from './types';

export interface NotificationSources {
  service: Pick<CookService, 'on' | 'off' | 'statusOrNull'>;
  /** The cloud link's status changes (the Anova client's 'status' event). */
  onCloudStatus(listener: (status: CloudStatus) => void): () => void;
  /** The cook being followed, if any (for auth failures, which belong to no cook event). */
  currentCookId(): string | null;
  publish(input: NotificationInput): void;
}

/** Subscribes; returns the unsubscribe. */
export function connectNotifications(src: NotificationSources): () => void {
  /** How each cook ended, so an interruption is told once, in its most precise words. */
  const endReasons = new Map<string, string>();

  const send = (event: NotifyEventName, cookId: string | null, at: number, detail: Record<string, unknown> = {}) =>
    src.publish({ event, cookId, at, status: src.service.statusOrNull() as Record<string, unknown> | null, detail });

  const onCookEvent = ({ cookId, event }: { cookId: string; event: CookEvent }) => {
    const { type, at, detail } = event;
    switch (type) {
      case 'started':
        endReasons.clear(); // only the cook being followed can still raise alerts
        return;
      case 'temperature_reached':
      case 'pasteurised':
        return send(type, cookId, at, detail);
      case 'done':
        return send('cook_done', cookId, at, detail);
      case 'stopped':
        endReasons.set(cookId, String(detail.end_reason));
        if (detail.end_reason === 'stopped_on_device') send('cook_stopped_on_device', cookId, at, detail);
        return;
      case 'interrupted':
        endReasons.set(cookId, 'interrupted');
        return;
      case 'device_offline':
        // Offline before the timer ran out is an interruption, told by its own alert.
        if (detail.interrupted !== true) send('device_offline', cookId, at, detail);
        return;
      case 'device_online':
        return send('device_online', cookId, at, detail);
      case 'alert_raised': {
        const alert = String(detail.alert);
        // An alert is told when an event of its name exists (temperature_drop, low_water, discard_food...).
        if (!isNotifyEventName(alert)) return;
        // A stop on the cooker itself was already told as cook_stopped_on_device.
        if (alert === 'cook_interrupted' && endReasons.get(cookId) === 'stopped_on_device') return;
        return send(alert, cookId, at, detail);
      }
      default:
        return;
    }
  };

  let authFailed = false;
  const offCloud = src.onCloudStatus((status) => {
    const failed = status.state === 'auth_failed';
    if (failed && !authFailed) send('anova_auth_failed', src.currentCookId(), status.since);
    authFailed = failed;
  });

  src.service.on('cookEvent', onCookEvent);
  return () => {
    src.service.off('cookEvent', onCookEvent);
    offCloud();
  };
}
