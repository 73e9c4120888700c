/**
 * Every event of the contract, through a real Notifier and axios, to real HTTP receivers on
 * loopback: the documented body and headers, the signature, ntfy's publish format.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Notifier } from '../../app/notify/notifier';
import { MemoryOutbox } from '../../app/notify/outbox';
import { NOTIFY_EVENT_NAMES, type NotifyEventName } from '../../app/notify/types';
import { captureLogger } from '../helpers/logs';
import {
  collect,
  configFor,
  COOK_ID,
  decodeHeader,
  nextEvent,
  NTFY_TOKEN,
  sampleStatus,
  startReceiver,
  WEBHOOK_SECRET,
  type Receiver,
} from './support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PRIORITY: Record<NotifyEventName, string> = {
  temperature_reached: '3',
  pasteurised: '4',
  cook_done: '4',
  cook_stopped_on_device: '3',
  cook_interrupted: '5',
  temperature_drop: '3',
  low_water: '3',
  water_empty: '5',
  heater_fault: '5',
  water_leak: '5',
  water_too_hot: '5',
  motor_stuck: '5',
  device_alarm: '4',
  device_offline: '3',
  device_online: '3',
  food_safety_at_risk: '3',
  discard_food: '5',
  anova_auth_failed: '3',
};

/** What a receiver does: HMAC over the raw bytes, compared in constant time. */
function verifies(secret: string, raw: Buffer, header: unknown): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const got = Buffer.from(String(header));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

let hook: Receiver;
let ntfy: Receiver;
let notifier: Notifier | undefined;

beforeEach(async () => {
  hook = await startReceiver();
  ntfy = await startReceiver();
});

afterEach(async () => {
  await notifier?.close();
  notifier = undefined;
  await hook.close();
  await ntfy.close();
});

async function settle(n: Notifier, count: number): Promise<void> {
  const settled = collect(n, 'settled');
  while (settled.length < count) await nextEvent(n, ['settled']);
}

test('every event reaches the webhook with the documented body and headers, signed, in order', async () => {
  const config = configFor({
    NOTIFY_WEBHOOK_URL: hook.url('/api/webhook/anova-123'),
    NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  notifier = new Notifier({ config, logger: captureLogger().logger, outbox: new MemoryOutbox() });
  const queued = collect<{ eventId: string; event: string }>(notifier, 'queued');
  notifier.start();
  const at0 = Date.UTC(2026, 11, 5, 18, 0);
  const done = settle(notifier, NOTIFY_EVENT_NAMES.length);
  NOTIFY_EVENT_NAMES.forEach((event, i) =>
    notifier!.publish({ event, cookId: COOK_ID, at: at0 + i * 1000, status: sampleStatus({ alerts: [event] }) }),
  );
  await done;

  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual([...NOTIFY_EVENT_NAMES]);
  hook.requests.forEach((r, i) => {
    const event = NOTIFY_EVENT_NAMES[i];
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/api/webhook/anova-123');
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['x-anova-event-id']).toMatch(UUID);
    expect(r.headers['x-anova-event-id']).toBe(queued[i].eventId);
    expect(r.headers['user-agent']).toMatch(/^anova-control-server\//);
    expect(r.headers.authorization).toBeUndefined();
    expect(verifies(WEBHOOK_SECRET, r.body, r.headers['x-anova-signature'])).toBe(true);
    expect(verifies('another-secret-0123456789', r.body, r.headers['x-anova-signature'])).toBe(false);
    const body = JSON.parse(r.body.toString('utf8'));
    expect(Object.keys(body)).toEqual(['event', 'event_id', 'cook_id', 'at', 'title', 'message', 'status']);
    expect(body).toMatchObject({
      event,
      event_id: r.headers['x-anova-event-id'],
      cook_id: COOK_ID,
      at: new Date(at0 + i * 1000).toISOString(),
    });
    expect(body.title).toEqual(expect.any(String));
    expect(body.message.length).toBeGreaterThan(40);
    expect(body.status).toEqual(sampleStatus({ alerts: [event] }));
  });
  // Ids are unique per notification.
  expect(new Set(hook.requests.map((r) => r.headers['x-anova-event-id'])).size).toBe(NOTIFY_EVENT_NAMES.length);
});

test('no secret: no signature header; credentials in the URL become Basic auth', async () => {
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/n8n/hook', 'anova:s3cret%21pass') });
  notifier = new Notifier({ config, logger: captureLogger().logger, outbox: new MemoryOutbox() });
  notifier.start();
  const done = settle(notifier, 1);
  notifier.publish({ event: 'cook_done', cookId: null, at: Date.now(), status: null });
  await done;
  const [r] = hook.requests;
  expect(r.headers['x-anova-signature']).toBeUndefined();
  expect(r.headers.authorization).toBe(`Basic ${Buffer.from('anova:s3cret!pass').toString('base64')}`);
  expect(JSON.parse(r.body.toString()).status).toBeNull();
});

test('ntfy: plain-text message, Title, Priority per event, Tags, Bearer token', async () => {
  const config = configFor({ NOTIFY_NTFY_URL: ntfy.url('/anova-topic-x7'), NOTIFY_NTFY_TOKEN: NTFY_TOKEN });
  notifier = new Notifier({ config, logger: captureLogger().logger, outbox: new MemoryOutbox() });
  const delivered = collect(notifier, 'delivered');
  notifier.start();
  const done = settle(notifier, NOTIFY_EVENT_NAMES.length);
  for (const event of NOTIFY_EVENT_NAMES) {
    notifier.publish({ event, cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  }
  await done;
  expect(delivered).toHaveLength(NOTIFY_EVENT_NAMES.length);
  ntfy.requests.forEach((r, i) => {
    const event = NOTIFY_EVENT_NAMES[i];
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/anova-topic-x7');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers.priority).toBe(PRIORITY[event]);
    expect(r.headers.tags).toMatch(/^[a-z_]+(,[a-z_]+)*$/);
    expect(r.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    // Header values are ASCII on the wire; a non-ASCII title is an RFC 2047 word ntfy decodes.
    expect(String(r.headers.title)).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeHeader(r.headers.title).length).toBeGreaterThan(3);
    expect(r.body.toString('utf8').length).toBeGreaterThan(40);
  });
  const reached = ntfy.requests[NOTIFY_EVENT_NAMES.indexOf('temperature_reached')];
  expect(decodeHeader(reached.headers.title)).toBe('Water at 63.0 °C');
  expect(reached.body.toString('utf8')).toBe(
    'The water has reached 63.0 °C. Put the chicken breast in the bath now: the timer has started (75 minutes).',
  );
  expect(ntfy.requests[NOTIFY_EVENT_NAMES.indexOf('discard_food')].headers.tags).toBe('rotating_light,wastebasket');
});

test('both targets get every notification, each in order, independently', async () => {
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h'), NOTIFY_NTFY_URL: ntfy.url('/t0pic') });
  notifier = new Notifier({ config, logger: captureLogger().logger, outbox: new MemoryOutbox() });
  notifier.start();
  const done = settle(notifier, 3);
  for (const event of ['temperature_reached', 'pasteurised', 'cook_done'] as const) {
    notifier.publish({ event, cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  }
  await done;
  const ids = hook.requests.map((r) => r.headers['x-anova-event-id']);
  expect(ntfy.requests.map((r) => r.headers['x-anova-event-id'])).toEqual(ids);
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual([
    'temperature_reached',
    'pasteurised',
    'cook_done',
  ]);
  expect(notifier.queued()).toEqual({ total: 0, byTarget: { webhook: 0, ntfy: 0 }, inFlight: 0 });
});

test('NOTIFY_EVENTS: other events are not sent at all', async () => {
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h'), NOTIFY_EVENTS: 'discard_food,cook_done' });
  const outbox = new MemoryOutbox();
  notifier = new Notifier({ config, logger: captureLogger().logger, outbox });
  notifier.start();
  const done = settle(notifier, 2);
  for (const event of ['low_water', 'cook_done', 'device_online', 'discard_food'] as const) {
    notifier.publish({ event, cookId: COOK_ID, at: Date.now(), status: null });
  }
  expect(outbox.size).toBe(2);
  await done;
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['cook_done', 'discard_food']);
});

test('without a target publish() does nothing, and never throws on bad input', () => {
  const outbox = new MemoryOutbox();
  const quiet = new Notifier({ config: configFor({}), logger: captureLogger().logger, outbox });
  quiet.start();
  quiet.publish({ event: 'discard_food', cookId: null, at: Date.now(), status: null });
  expect(outbox.size).toBe(0);
  expect(quiet.enabled).toBe(false);
  const logs = captureLogger();
  const live = new Notifier({ config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') }), logger: logs.logger, outbox });
  expect(() => live.publish(null as never)).not.toThrow();
  expect(() => live.publish({ event: 'not_an_event' as never, cookId: null, at: 0, status: null })).not.toThrow();
  expect(outbox.size).toBe(0);
});
