/** Outbound notifications: what the composition root and the CLI use (docs/notifications.md). */
export {
  describeNotifyConfig,
  isPrivateOrLoopbackHost,
  loadNotifyConfig,
  notificationsEnabled,
  notifyConfigFromEnv,
  notifyConfigWarnings,
  NotifyConfigError,
  notifySecrets,
  notifySpec,
  NOTIFY_VARIABLES,
  type NotifyConfig,
  type NotifyEnv,
} from './config';
export { Notifier, DEFAULT_RETRY, realTimers, type NotifierOptions, type RetryPolicy, type Timers } from './notifier';
export { createOutbox, MemoryOutbox, SqliteOutbox, type Outbox, type OutboxRecord } from './outbox';
export { runNotifyTest } from './notify-test';
export { CRITICAL_EVENTS, NOTIFY_EVENT_NAMES, type NotificationInput, type NotifyEventName } from './types';
