/**
 * A receiver that never answers must cost the rest of the server nothing: publish() returns
 * before any request is made, the queue stays bounded (oldest non-critical dropped first, never
 * discard_food or cook_interrupted), memory stays flat, and close() is prompt.
 */
import { Notifier } from '../../app/notify/notifier';
import { MemoryOutbox, SqliteOutbox } from '../../app/notify/outbox';
import type { NotifyEventName } from '../../app/notify/types';
import { captureLogger } from '../helpers/logs';
import { heapUsedAfterGc } from '../helpers/memory';
import {
  collect,
  configFor,
  COOK_ID,
  outboxRows,
  sampleStatus,
  startReceiver,
  tempDatabase,
  type Receiver,
} from './support';

let hung: Receiver;
let notifier: Notifier | undefined;

beforeEach(async () => {
  hung = await startReceiver(() => 'hang');
});

afterEach(async () => {
  await notifier?.close();
  notifier = undefined;
  await hung.close();
});

test('publish() returns before any request is made and never waits on a hung receiver', async () => {
  notifier = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hung.url('/h'), NOTIFY_NTFY_URL: hung.url('/topic') }),
    logger: captureLogger().logger,
    outbox: new MemoryOutbox(),
    closeGraceMs: 0,
  });
  notifier.start();
  const arrivals = collect(hung.events, 'request');
  // Synchronous: undefined, not a promise to wait on.
  expect(
    notifier.publish({ event: 'cook_done', cookId: COOK_ID, at: Date.now(), status: sampleStatus() }),
  ).toBeUndefined();
  for (let i = 0; i < 20; i++)
    notifier.publish({ event: 'low_water', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  await new Promise<void>((resolve) => hung.events.on('request', () => arrivals.length === 2 && resolve()));
  // One request per target on the wire, hanging; everything else waits its turn.
  expect(notifier.queued()).toEqual({ total: 21, byTarget: { webhook: 21, ntfy: 21 }, inFlight: 2 });
});

test('bounded: the oldest non-critical are dropped first; discard_food and cook_interrupted never', async () => {
  const logs = captureLogger();
  const db = tempDatabase();
  const handle = db.open();
  try {
    notifier = new Notifier({
      config: configFor({ NOTIFY_WEBHOOK_URL: hung.url('/h') }),
      logger: logs.logger,
      outbox: new SqliteOutbox(handle),
      capacity: 10,
      closeGraceMs: 0,
    });
    const queued = collect<{ eventId: string; event: NotifyEventName }>(notifier, 'queued');
    const dropped = collect<{ eventId: string }>(notifier, 'dropped');
    notifier.start();
    const events: NotifyEventName[] = [];
    for (let i = 0; i < 40; i++) {
      events.push(i === 3 ? 'discard_food' : i === 11 ? 'cook_interrupted' : i % 2 ? 'low_water' : 'device_offline');
    }
    for (const event of events) notifier.publish({ event, cookId: COOK_ID, at: Date.now(), status: sampleStatus() });

    expect(notifier.queued().total).toBe(10);
    const kept = new Set(outboxRows(handle).map((r) => r.event_id));
    expect(kept.size).toBe(10);
    // The two critical ones, and the 8 newest of the others.
    const expected = [queued[3].eventId, queued[11].eventId, ...queued.slice(32).map((q) => q.eventId)];
    expect([...kept].sort()).toEqual(expected.sort());
    // Dropped oldest first, exactly the others.
    expect(dropped.map((d) => d.eventId)).toEqual(
      queued.filter((q) => !expected.includes(q.eventId)).map((q) => q.eventId),
    );
    // One warn line for the whole episode, not one per drop.
    expect(logs.records().filter((r) => r.level === 'warn')).toHaveLength(1);
  } finally {
    await notifier?.close();
    handle.close();
    db.cleanup();
  }
});

test('only critical ones queued: the bound gives way rather than drop one', async () => {
  notifier = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hung.url('/h') }),
    logger: captureLogger().logger,
    outbox: new MemoryOutbox(),
    capacity: 3,
    closeGraceMs: 0,
  });
  const dropped = collect(notifier, 'dropped');
  notifier.start();
  for (let i = 0; i < 6; i++) {
    notifier.publish({
      event: i % 2 ? 'discard_food' : 'cook_interrupted',
      cookId: `cook-${i}`,
      at: Date.now(),
      status: null,
    });
  }
  notifier.publish({ event: 'low_water', cookId: 'cook-6', at: Date.now(), status: null });
  expect(notifier.queued().total).toBe(6);
  expect(dropped).toHaveLength(1); // the low_water one, the only one that may go
});

test('memory stays bounded under thousands of notifications to a hung receiver', async () => {
  const logs = captureLogger([], 'warn');
  const outbox = new MemoryOutbox();
  notifier = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hung.url('/h'), NOTIFY_NTFY_URL: hung.url('/topic') }),
    logger: logs.logger,
    outbox,
    capacity: 100,
    closeGraceMs: 0,
  });
  notifier.start();
  const burst = (count: number) => {
    for (let i = 0; i < count; i++) {
      notifier!.publish({
        event: 'temperature_drop',
        cookId: COOK_ID,
        at: Date.now(),
        status: sampleStatus({ time_elapsed_minutes: i }),
      });
    }
  };
  burst(500); // warm up: the queue is full from here on
  const before = heapUsedAfterGc();
  burst(5_000);
  const after = heapUsedAfterGc();
  expect(notifier.queued().total).toBe(100);
  expect(outbox.size).toBe(100);
  expect(after - before).toBeLessThan(3 * 1024 * 1024);
  expect(logs.records().filter((r) => r.level === 'warn')).toHaveLength(1);
});

test('close() is prompt with requests hanging, and what was pending stays in the outbox', async () => {
  const db = tempDatabase();
  const handle = db.open();
  // Only setTimeout is virtual (the grace period); sockets, the attempt deadline and I/O stay real.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'hrtime', 'performance'] });
  try {
    notifier = new Notifier({
      config: configFor({ NOTIFY_WEBHOOK_URL: hung.url('/h') }),
      logger: captureLogger().logger,
      outbox: new SqliteOutbox(handle),
      // An attempt on its own would hang for a minute: only the grace period can end it.
      attemptTimeoutMs: 60_000,
      closeGraceMs: 1_000,
    });
    notifier.start();
    const onWire = new Promise((resolve) => hung.events.once('request', resolve));
    notifier.publish({ event: 'discard_food', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
    notifier.publish({ event: 'cook_done', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
    await onWire;
    const dropped = new Promise((resolve) => hung.events.once('dropped', resolve));
    let closed = false;
    const closing = notifier.close().then(() => (closed = true));
    // Within the grace period the request is left to finish.
    await jest.advanceTimersByTimeAsync(999);
    expect(closed).toBe(false);
    expect(notifier.queued().inFlight).toBe(1);
    // At its end it is aborted and close() resolves, the receiver still hanging.
    await jest.advanceTimersByTimeAsync(1);
    await closing;
    await dropped; // the receiver saw the connection go: aborted, not answered
    expect(notifier.queued().inFlight).toBe(0);
    expect(hung.requests).toHaveLength(1);
    expect(outboxRows(handle).map((r) => r.event)).toEqual(['discard_food', 'cook_done']);
    // Published during or after shutdown: kept for the next start, not sent.
    notifier.publish({ event: 'device_offline', cookId: COOK_ID, at: Date.now(), status: null });
    expect(outboxRows(handle).map((r) => r.event)).toEqual(['discard_food', 'cook_done', 'device_offline']);
    expect(hung.requests).toHaveLength(1);
  } finally {
    jest.useRealTimers();
    handle.close();
    db.cleanup();
  }
});

test('a receiver that sends its headers, then stalls the body: delivered, its body never read, the lane goes on', async () => {
  const stalled = await startReceiver((_r, i) => (i === 0 ? 'stall-body' : { status: 200 }));
  try {
    notifier = new Notifier({
      config: configFor({ NOTIFY_WEBHOOK_URL: stalled.url('/h') }),
      logger: captureLogger().logger,
      outbox: new MemoryOutbox(),
      // The deadline is not what ends the first attempt.
      attemptTimeoutMs: 60_000,
    });
    const delivered = collect<{ event: string; status: number }>(notifier, 'delivered');
    const dropped = new Promise((resolve) => stalled.events.once('dropped', resolve));
    const bothDelivered = new Promise<void>((resolve) =>
      notifier!.on('delivered', () => delivered.length === 2 && resolve()),
    );
    notifier.start();
    notifier.publish({ event: 'low_water', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
    notifier.publish({ event: 'cook_done', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
    await bothDelivered;
    expect(delivered.map((d) => [d.event, d.status])).toEqual([
      ['low_water', 200],
      ['cook_done', 200],
    ]);
    await dropped; // the unread body's connection was closed by us, not left open
    expect(notifier.queued()).toEqual({ total: 0, byTarget: { webhook: 0 }, inFlight: 0 });
  } finally {
    await stalled.close();
  }
});
