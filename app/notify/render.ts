/**
 * A notification rendered once, when it is published: title, message and the webhook body,
 * whose bytes are then persisted and sent (and signed) unchanged on every attempt.
 *
 * Webhook body (docs/api.md, "Notifications"), plus `event_id` (the X-Anova-Event-Id header
 * again: Home Assistant's webhook trigger shows the body but not the headers):
 *   {"event":"cook_done","event_id":"<uuid>","cook_id":"<uuid or null>","at":"<ISO>",
 *    "title":"...","message":"...","status":{...the /status body...}}
 */
import { renderMessage } from './messages';
import {
  isNotifyEventName,
  TEST_EVENT,
  type NotificationEvent,
  type NotificationInput,
  type RenderedNotification,
} from './types';

/** A /status body is about 1 KB; anything far bigger is not a status body and is left out. */
const MAX_STATUS_JSON = 16 * 1024;

function statusJson(status: Record<string, unknown> | null): unknown {
  if (status === null || typeof status !== 'object') return null;
  try {
    const text = JSON.stringify(status);
    return text.length <= MAX_STATUS_JSON ? JSON.parse(text) : null;
  } catch {
    return null; // a cycle or a BigInt: not a /status body
  }
}

export type RenderInput = Omit<NotificationInput, 'event'> & { event: NotificationEvent };

export function renderNotification(input: RenderInput, eventId: string): RenderedNotification {
  const { title, message } = renderMessage(input);
  const at = Number.isFinite(input.at) ? input.at : Date.now();
  const cookId = typeof input.cookId === 'string' ? input.cookId : null;
  const body = JSON.stringify({
    event: input.event,
    event_id: eventId,
    cook_id: cookId,
    at: new Date(at).toISOString(),
    title,
    message,
    status: statusJson(input.status),
  });
  return { eventId, event: input.event, cookId, at, title, message, body };
}

/** Back from the persisted body (the outbox stores only the body). Null when it is not ours. */
export function parseRendered(body: string): RenderedNotification | null {
  try {
    const b = JSON.parse(body) as Record<string, unknown>;
    const known = isNotifyEventName(b.event) || b.event === TEST_EVENT;
    if (!known || typeof b.event_id !== 'string' || typeof b.title !== 'string' || typeof b.message !== 'string') {
      return null;
    }
    const at = Date.parse(String(b.at));
    return {
      eventId: b.event_id,
      event: b.event as NotificationEvent,
      cookId: typeof b.cook_id === 'string' ? b.cook_id : null,
      at: Number.isNaN(at) ? 0 : at,
      title: b.title,
      message: b.message,
      body,
    };
  } catch {
    return null;
  }
}
