/**
 * Outbound notifications (docs/api.md, "Notifications"): the events, what the server hands the
 * notifier, and the per-event facts every target shares (ntfy priority, critical or not).
 */

/** The events of the contract, in the order docs/notifications.md lists them. */
export const NOTIFY_EVENT_NAMES = [
  'temperature_reached',
  'pasteurised',
  'cook_done',
  'cook_stopped_on_device',
  'cook_interrupted',
  'temperature_drop',
  'low_water',
  'water_empty',
  'heater_fault',
  // Beyond the v1.1 list (additive): the cooker's other alarms must reach the phone too.
  'water_leak',
  'water_too_hot',
  'motor_stuck',
  'device_alarm',
  'device_offline',
  'device_online',
  'food_safety_at_risk',
  'discard_food',
  'anova_auth_failed',
] as const;

export type NotifyEventName = (typeof NOTIFY_EVENT_NAMES)[number];

/** `notify-test` sends this one; it is not a contract event and NOTIFY_EVENTS does not filter it. */
export const TEST_EVENT = 'test';
export type NotificationEvent = NotifyEventName | typeof TEST_EVENT;

export function isNotifyEventName(value: unknown): value is NotifyEventName {
  return typeof value === 'string' && (NOTIFY_EVENT_NAMES as readonly string[]).includes(value);
}

/** What the server hands the notifier when something worth telling happened. */
export interface NotificationInput {
  event: NotifyEventName;
  cookId: string | null;
  /** Epoch ms when it happened. */
  at: number;
  /** The /status body at that moment, or null when unavailable (e.g. the cooker is offline). */
  status: Record<string, unknown> | null;
  /** Extra facts: {message} from the food-safety monitor (used as is), {alert}, {food_type}... */
  detail?: Record<string, unknown>;
}

export type TargetName = 'webhook' | 'ntfy';
export const TARGET_NAMES: readonly TargetName[] = ['webhook', 'ntfy'];

/** A notification as rendered once, persisted in the outbox and sent (unchanged) on every attempt. */
export interface RenderedNotification {
  /** uuid; X-Anova-Event-Id and `event_id` in the webhook body; stable across retries and restarts. */
  eventId: string;
  event: NotificationEvent;
  cookId: string | null;
  /** Epoch ms. */
  at: number;
  title: string;
  message: string;
  /** The webhook body, exactly the bytes that are sent and signed. */
  body: string;
}

/** ntfy priorities (docs/api.md): 5 urgent, 4 high, 3 default. */
export const NTFY_PRIORITY: Record<NotificationEvent, 3 | 4 | 5> = {
  temperature_reached: 3,
  pasteurised: 4,
  cook_done: 4,
  cook_stopped_on_device: 3,
  cook_interrupted: 5,
  temperature_drop: 3,
  low_water: 3,
  water_empty: 5,
  heater_fault: 5,
  water_leak: 5,
  water_too_hot: 5,
  motor_stuck: 5,
  device_alarm: 4,
  device_offline: 3,
  device_online: 3,
  food_safety_at_risk: 3,
  discard_food: 5,
  anova_auth_failed: 3,
  test: 3,
};

/** ntfy tags: emoji short codes shown beside the title on the phone. */
export const NTFY_TAGS: Record<NotificationEvent, readonly string[]> = {
  temperature_reached: ['thermometer'],
  pasteurised: ['white_check_mark'],
  cook_done: ['bell'],
  cook_stopped_on_device: ['stop_button'],
  cook_interrupted: ['rotating_light'],
  temperature_drop: ['chart_with_downwards_trend'],
  low_water: ['droplet'],
  water_empty: ['rotating_light', 'droplet'],
  heater_fault: ['rotating_light'],
  water_leak: ['rotating_light', 'droplet'],
  water_too_hot: ['rotating_light', 'fire'],
  motor_stuck: ['rotating_light', 'gear'],
  device_alarm: ['warning'],
  device_offline: ['electric_plug'],
  device_online: ['electric_plug'],
  food_safety_at_risk: ['warning'],
  discard_food: ['rotating_light', 'wastebasket'],
  anova_auth_failed: ['key'],
  test: ['test_tube'],
};

/** Never dropped when the queue is full: the person must hear about these. */
export const CRITICAL_EVENTS: ReadonlySet<NotificationEvent> = new Set<NotificationEvent>([
  'discard_food',
  'cook_interrupted',
]);
