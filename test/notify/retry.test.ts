/**
 * Receivers that fail: the retry schedule runs on a virtual clock (ManualTimers) while every
 * request is real, so "down for 2 minutes" takes milliseconds and no test sleeps.
 */
import { withLogContext } from '../../app/log';
import { Notifier, realTimers, type NotifierOptions } from '../../app/notify/notifier';
import { MemoryOutbox } from '../../app/notify/outbox';
import type { NotifyEventName } from '../../app/notify/types';
import { captureLogger } from '../helpers/logs';
import { mulberry32 } from '../helpers/random';
import {
  collect,
  configFor,
  COOK_ID,
  drive,
  ManualTimers,
  nextEvent,
  sampleStatus,
  startReceiver,
  WEBHOOK_SECRET,
  type Receiver,
} from './support';

let hook: Receiver;
let notifier: Notifier | undefined;
let logs: ReturnType<typeof captureLogger>;
let timers: ManualTimers;
let outbox: MemoryOutbox;

beforeEach(async () => {
  hook = await startReceiver();
  logs = captureLogger();
  timers = new ManualTimers();
  outbox = new MemoryOutbox();
});

afterEach(async () => {
  await notifier?.close();
  notifier = undefined;
  await hook.close();
});

function make(over: Partial<NotifierOptions> = {}): Notifier {
  notifier = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/hook'), NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET }),
    logger: logs.logger,
    outbox,
    clock: timers.clock,
    monotonic: timers.clock,
    timers,
    random: mulberry32(7),
    ...over,
  });
  return notifier;
}

function publish(n: Notifier, event: NotifyEventName): void {
  n.publish({ event, cookId: COOK_ID, at: timers.now, status: sampleStatus() });
}

const warns = () => logs.records().filter((r) => r.level === 'warn');

test('a receiver down for 2 minutes, then up: everything delivered once it is up, in order, nothing lost', async () => {
  await hook.down();
  const n = make();
  const retries = collect<{ delayMs: number; code: string }>(n, 'retry');
  const settled = collect(n, 'settled');
  const queued = collect<{ eventId: string }>(n, 'queued');
  n.start();
  const t0 = timers.now;
  publish(n, 'temperature_reached');
  publish(n, 'low_water');
  publish(n, 'pasteurised');
  publish(n, 'cook_done');
  const deliveredAt: number[] = [];
  n.on('delivered', () => deliveredAt.push(timers.now));
  let up = false;
  await drive(
    n,
    timers,
    () => settled.length === 4,
    async () => {
      // Up from the 2-minute mark: the retry due then (or after) finds it listening.
      if (!up && timers.now + (timers.nextDelay() ?? 0) - t0 >= 120_000) {
        await hook.up();
        up = true;
      }
    },
  );
  expect(deliveredAt[0] - t0).toBeGreaterThanOrEqual(120_000);
  // Delivered at the first retry after it came up (retries are at most 60 s apart).
  expect(deliveredAt[0] - t0).toBeLessThanOrEqual(180_000);
  expect(retries.length).toBeGreaterThanOrEqual(5);
  expect(retries.every((r) => r.code === 'ECONNREFUSED')).toBe(true);
  // Only the head was retried while the receiver was down; the rest waited their turn.
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual([
    'temperature_reached',
    'low_water',
    'pasteurised',
    'cook_done',
  ]);
  expect(hook.requests.map((r) => r.headers['x-anova-event-id'])).toEqual(queued.map((q) => q.eventId));
  expect(outbox.size).toBe(0);
  expect(warns()).toEqual([]);
});

test('500 five times, then 200: delivered, with the same id, body and signature on every attempt', async () => {
  hook.respond((_r, i) => ({ status: i < 5 ? 500 : 200 }));
  const n = make();
  const delivered = collect<{ attempts: number }>(n, 'delivered');
  const retries = collect<{ status: number; delayMs: number }>(n, 'retry');
  n.start();
  publish(n, 'cook_done');
  await drive(n, timers, () => delivered.length === 1);
  expect(hook.requests).toHaveLength(6);
  expect(retries.map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
  expect(delivered[0].attempts).toBe(6);
  const first = hook.requests[0];
  for (const r of hook.requests) {
    expect(r.headers['x-anova-event-id']).toBe(first.headers['x-anova-event-id']);
    expect(r.headers['x-anova-signature']).toBe(first.headers['x-anova-signature']);
    expect(r.body.equals(first.body)).toBe(true);
  }
  expect(warns()).toEqual([]);
  const info = logs.records().filter((r) => r.message === 'notification delivered');
  expect(info).toHaveLength(1);
  expect(info[0]).toMatchObject({
    level: 'info',
    target: 'webhook',
    host: `127.0.0.1:${hook.port}`,
    event: 'cook_done',
    attempts: 6,
  });
});

test('400: given up at once with one warn line, and the next notification still goes', async () => {
  hook.respond((r) => ({ status: r.headers['x-anova-event'] === 'low_water' ? 400 : 200 }));
  const n = make();
  const rejected = collect(n, 'rejected');
  const settled = collect(n, 'settled');
  n.start();
  publish(n, 'low_water');
  publish(n, 'cook_done');
  await drive(n, timers, () => settled.length === 2);
  expect(rejected).toEqual([
    expect.objectContaining({ target: 'webhook', event: 'low_water', status: 400, attempts: 1 }),
  ]);
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['low_water', 'cook_done']);
  expect(warns()).toHaveLength(1);
  expect(warns()[0]).toMatchObject({
    message: 'notification rejected by the receiver; not retried',
    status: 400,
    event: 'low_water',
  });
  expect(timers.size).toBe(0);
});

test.each([401, 403, 404, 410, 422, 301])('%i is not retried', async (status) => {
  const headers: Record<string, string> = status === 301 ? { location: 'https://elsewhere.example/' } : {};
  hook.respond(() => ({ status, headers }));
  const n = make();
  n.start();
  const rejected = nextEvent(n, ['rejected']);
  publish(n, 'cook_done');
  expect((await rejected).value.status).toBe(status);
  expect(hook.requests).toHaveLength(1);
});

test.each([408, 429, 502, 503, 504])('%i is retried', async (status) => {
  hook.respond((_r, i) => ({ status: i === 0 ? status : 204 }));
  const n = make();
  const delivered = collect(n, 'delivered');
  n.start();
  publish(n, 'cook_done');
  await drive(n, timers, () => delivered.length === 1);
  expect(hook.requests).toHaveLength(2);
});

test('429 honours Retry-After (seconds), capped at 5 minutes', async () => {
  hook.respond((_r, i) =>
    i === 0
      ? { status: 429, headers: { 'retry-after': '90' } }
      : i === 1
        ? { status: 429, headers: { 'retry-after': '86400' } }
        : { status: 200 },
  );
  const n = make();
  const delivered = collect(n, 'delivered');
  const retries = collect<{ delayMs: number }>(n, 'retry');
  n.start();
  publish(n, 'cook_done');
  await drive(n, timers, () => delivered.length === 1);
  expect(retries.map((r) => r.delayMs)).toEqual([90_000, 300_000]);
});

test('never taking it: retried for at least 10 minutes, first retry within 5 s, never more than 60 s apart, then one warn line', async () => {
  hook.respond(() => ({ status: 503 }));
  const n = make();
  const gaveUp = collect(n, 'gave_up');
  const retries = collect<{ delayMs: number }>(n, 'retry');
  const attempts: number[] = [];
  n.on('attempt', () => attempts.push(timers.now));
  n.start();
  publish(n, 'discard_food');
  await drive(n, timers, () => gaveUp.length === 1);
  const delays = retries.map((r) => r.delayMs);
  expect(delays[0]).toBeGreaterThanOrEqual(2_000);
  expect(delays[0]).toBeLessThanOrEqual(5_000);
  expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
  // Exponential: it grows until the cap.
  expect(delays[3]).toBeGreaterThan(delays[0]);
  expect(attempts[attempts.length - 1] - attempts[0]).toBeGreaterThanOrEqual(10 * 60_000);
  expect(attempts[attempts.length - 1] - attempts[0]).toBeLessThan(12 * 60_000);
  expect(hook.requests).toHaveLength(attempts.length);
  expect(warns()).toHaveLength(1);
  expect(warns()[0]).toMatchObject({
    message: 'notification given up after retrying',
    event: 'discard_food',
    last: 503,
  });
  expect(outbox.size).toBe(0);
});

test('jitter: two notifiers with different random sources do not retry in lockstep', async () => {
  hook.respond(() => ({ status: 500 }));
  const delaysOf = async (seed: number) => {
    const t = new ManualTimers();
    const n = new Notifier({
      config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/hook') }),
      logger: captureLogger().logger,
      outbox: new MemoryOutbox(),
      clock: t.clock,
      monotonic: t.clock,
      timers: t,
      random: mulberry32(seed),
    });
    const retries = collect<{ delayMs: number }>(n, 'retry');
    n.start();
    n.publish({ event: 'low_water', cookId: null, at: t.now, status: null });
    await drive(n, t, () => retries.length === 4);
    await n.close();
    return retries.map((r) => r.delayMs);
  };
  const [a, b] = [await delaysOf(1), await delaysOf(2)];
  expect(a).not.toEqual(b);
});

test('an attempt that gets no answer times out and is retried', async () => {
  hook.respond((_r, i) => (i === 0 ? 'hang' : { status: 200 }));
  const n = make({ attemptTimeoutMs: 300 });
  const delivered = collect(n, 'delivered');
  const retries = collect<{ code: string }>(n, 'retry');
  n.start();
  publish(n, 'cook_done');
  await drive(n, timers, () => delivered.length === 1);
  expect(retries.map((r) => r.code)).toEqual(['ETIMEDOUT']);
  expect(hook.requests).toHaveLength(2);
});

test('the wall clock jumping 20 minutes forward (NTP after a power cut) does not end the retry window', async () => {
  // Home Assistant still booting: 503 three times, then up.
  hook.respond((_r, i) => ({ status: i < 3 ? 503 : 200 }));
  let jump = 0;
  const n = make({ clock: () => timers.now + jump });
  const delivered = collect<{ attempts: number }>(n, 'delivered');
  const gaveUp = collect(n, 'gave_up');
  n.once('retry', () => (jump = 20 * 60_000));
  n.start();
  publish(n, 'cook_interrupted');
  await drive(n, timers, () => delivered.length + gaveUp.length === 1);
  expect(gaveUp).toEqual([]);
  expect(delivered[0].attempts).toBe(4);
  expect(warns()).toEqual([]);
});

test('demo --fast: a simulated clock 60x faster still gets 10 real minutes of retries', async () => {
  hook.respond((_r, i) => ({ status: i < 6 ? 503 : 200 }));
  const t0 = timers.now;
  const n = make({ clock: () => t0 + (timers.now - t0) * 60 });
  const delivered = collect<{ attempts: number }>(n, 'delivered');
  const gaveUp = collect(n, 'gave_up');
  n.start();
  publish(n, 'discard_food');
  await drive(n, timers, () => delivered.length + gaveUp.length === 1);
  expect(gaveUp).toEqual([]);
  expect(delivered[0].attempts).toBe(7);
});

test('delivery log lines never carry the request id of the request that published', async () => {
  hook.respond((_r, i) => ({ status: i === 0 ? 500 : 200 }));
  // Real timers: the retry timer is set from the lane's own chain, as in the server.
  const n = make({ timers: realTimers, clock: Date.now, monotonic: undefined, retry: { firstDelayMs: 2 } });
  const delivered = nextEvent(n, ['delivered']);
  n.start();
  withLogContext({ requestId: 'req-publishing' }, () => {
    logs.logger.info('in the request');
    n.publish({ event: 'cook_done', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  });
  await delivered;
  const records = logs.records();
  expect(records.find((r) => r.message === 'in the request')).toMatchObject({ requestId: 'req-publishing' });
  const lines = records.filter((r) => String(r.message).startsWith('notification'));
  expect(lines.map((r) => r.message)).toEqual(['notification attempt failed; retrying', 'notification delivered']);
  for (const r of lines) expect(r).not.toHaveProperty('requestId');
});

test('a listener that throws is logged, not an unhandled rejection, and the lane goes on', async () => {
  const n = make();
  const delivered = collect<{ eventId: string }>(n, 'delivered');
  n.once('delivered', () => {
    throw new Error('a listener broke');
  });
  n.start();
  publish(n, 'low_water');
  publish(n, 'cook_done');
  while (delivered.length < 2) await nextEvent(n, ['delivered']);
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['low_water', 'cook_done']);
  const errors = logs.records().filter((r) => r.level === 'error');
  expect(errors).toEqual([
    expect.objectContaining({
      message: 'notification delivery bookkeeping failed',
      target: 'webhook',
      event: 'low_water',
      error: expect.objectContaining({ message: 'a listener broke' }),
    }),
  ]);
});
