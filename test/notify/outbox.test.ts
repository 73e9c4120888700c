/**
 * The outbox in a real SQLite file: what is not delivered at a shutdown (or a crash) is
 * delivered by the next Notifier over the same file, with the same event id, in order.
 */
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from '../../app/journal/migrations';
import { Notifier } from '../../app/notify/notifier';
import { type MemoryOutbox, type Outbox, SqliteOutbox, createOutbox } from '../../app/notify/outbox';
import type { NotifyEventName } from '../../app/notify/types';
import { captureLogger } from '../helpers/logs';
import {
  collect,
  configFor,
  COOK_ID,
  nextEvent,
  outboxRows,
  sampleStatus,
  startReceiver,
  tempDatabase,
  WEBHOOK_SECRET,
  type Receiver,
} from './support';

let hook: Receiver;
let ntfy: Receiver;
let db: ReturnType<typeof tempDatabase>;
const open: DatabaseSync[] = [];

beforeEach(async () => {
  hook = await startReceiver();
  ntfy = await startReceiver();
  db = tempDatabase();
});

afterEach(async () => {
  await hook.close();
  await ntfy.close();
  for (const h of open.splice(0)) if (h.isOpen) h.close();
  db.cleanup();
});

function handle(): DatabaseSync {
  const h = db.open();
  open.push(h);
  return h;
}

async function settle(n: Notifier, count: number): Promise<void> {
  const settled = collect(n, 'settled');
  while (settled.length < count) await nextEvent(n, ['settled']);
}

const EVENTS: NotifyEventName[] = ['temperature_reached', 'low_water', 'discard_food'];

test('migration 2 is the outbox, at its place in the list', () => {
  expect(MIGRATIONS[1].version).toBe(2);
  const h = handle();
  expect(
    Number((h.prepare('PRAGMA user_version').get() as { user_version: number }).user_version),
  ).toBeGreaterThanOrEqual(2);
  expect(outboxRows(h)).toEqual([]);
});

test('close() with undelivered notifications, then a new Notifier over the same file: delivered, same ids, in order', async () => {
  await hook.down();
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h'), NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const first = handle();
  const before = new Notifier({ config, logger: captureLogger().logger, outbox: new SqliteOutbox(first) });
  const queued = collect<{ eventId: string }>(before, 'queued');
  before.start();
  const retried = nextEvent(before, ['retry']);
  for (const event of EVENTS) before.publish({ event, cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  await retried; // the first attempt failed: the receiver is down
  await before.close();
  first.close(); // the process is gone

  await hook.up();
  const second = handle();
  const logs = captureLogger();
  const after = new Notifier({ config, logger: logs.logger, outbox: new SqliteOutbox(second) });
  const done = settle(after, 3);
  after.start();
  await done;
  await after.close();
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(EVENTS);
  expect(hook.requests.map((r) => r.headers['x-anova-event-id'])).toEqual(queued.map((q) => q.eventId));
  expect(outboxRows(second)).toEqual([]);
  expect(logs.records().find((r) => r.message === 'delivering notifications from before the restart')).toMatchObject({
    count: 3,
  });
});

test('a crash right after publish(): the row is already on disk and goes out after the restart', async () => {
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') });
  const crashed = new Notifier({ config, logger: captureLogger().logger, outbox: new SqliteOutbox(handle()) });
  // Not started (the process dies before delivering): only publish's insert happened.
  crashed.publish({ event: 'cook_interrupted', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  const restarted = new Notifier({ config, logger: captureLogger().logger, outbox: new SqliteOutbox(handle()) });
  const done = settle(restarted, 1);
  restarted.start();
  await done;
  await restarted.close();
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['cook_interrupted']);
});

test('two targets: the one that had it does not get it again after the restart', async () => {
  await ntfy.down();
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h'), NOTIFY_NTFY_URL: ntfy.url('/topic1') });
  const first = handle();
  const before = new Notifier({ config, logger: captureLogger().logger, outbox: new SqliteOutbox(first) });
  before.start();
  const delivered = nextEvent(before, ['delivered']);
  const retried = nextEvent(before, ['retry']);
  before.publish({ event: 'cook_done', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  await Promise.all([delivered, retried]);
  expect(outboxRows(first)).toEqual([expect.objectContaining({ event: 'cook_done', targets: 'ntfy' })]);
  await before.close();

  await ntfy.up();
  const after = new Notifier({ config, logger: captureLogger().logger, outbox: new SqliteOutbox(handle()) });
  const done = settle(after, 1);
  after.start();
  await done;
  await after.close();
  expect(hook.requests).toHaveLength(1);
  expect(ntfy.requests).toHaveLength(1);
  expect(ntfy.requests[0].headers['x-anova-event-id']).toBe(hook.requests[0].headers['x-anova-event-id']);
});

test('writes: one insert per notification, one delete once delivered; nothing per retry', async () => {
  hook.respond((_r, i) => ({ status: i < 2 ? 500 : 200 }));
  const h = handle();
  const writes: string[] = [];
  const spy = {
    durable: true,
    add: (r: never) => (writes.push('add'), real.add(r)),
    update: (seq: number, t: never[]) => (writes.push(t.length ? 'update' : 'delete'), real.update(seq, t)),
    load: () => real.load(),
  };
  const real = new SqliteOutbox(h);
  const n = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') }),
    logger: captureLogger().logger,
    outbox: spy,
    retry: { firstDelayMs: 2, maxDelayMs: 4 },
  });
  n.start();
  const done = settle(n, 1);
  n.publish({ event: 'pasteurised', cookId: COOK_ID, at: Date.now(), status: sampleStatus() });
  await done;
  await n.close();
  expect(hook.requests).toHaveLength(3);
  expect(writes).toEqual(['add', 'delete']);
});

test('at start, rows older than a day are dropped with one warn line; rows for a target no longer configured too', async () => {
  const h = handle();
  const outbox = new SqliteOutbox(h);
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') });
  const now = Date.now();
  const old = new Notifier({ config, logger: captureLogger().logger, outbox, clock: () => now - 25 * 3600_000 });
  old.publish({ event: 'cook_done', cookId: COOK_ID, at: now - 25 * 3600_000, status: null });
  const elsewhere = new Notifier({
    config: configFor({ NOTIFY_NTFY_URL: ntfy.url('/gone') }),
    logger: captureLogger().logger,
    outbox,
  });
  elsewhere.publish({ event: 'low_water', cookId: COOK_ID, at: now, status: null });
  expect(outboxRows(h)).toHaveLength(2);

  const logs = captureLogger();
  const n = new Notifier({ config, logger: logs.logger, outbox, clock: () => now });
  n.start();
  expect(outboxRows(h)).toEqual([]);
  expect(logs.records().filter((r) => r.level === 'warn')).toEqual([
    expect.objectContaining({ message: 'notifications older than a day dropped at start', count: 1 }),
  ]);
  await n.close();
  expect(hook.requests).toHaveLength(0);
});

test('the database failing: one warn line, notifications still delivered from memory', async () => {
  const broken = new DatabaseSync(':memory:'); // no migrations: every outbox statement fails
  open.push(broken);
  const logs = captureLogger();
  const n = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') }),
    logger: logs.logger,
    outbox: createOutbox(broken),
  });
  n.start();
  const done = settle(n, 2);
  n.publish({ event: 'low_water', cookId: COOK_ID, at: Date.now(), status: null });
  n.publish({ event: 'water_empty', cookId: COOK_ID, at: Date.now(), status: null });
  await done;
  await n.close();
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['low_water', 'water_empty']);
  const warnLines = logs.records().filter((r) => r.level === 'warn');
  expect(warnLines.map((r) => r.message)).toEqual([
    'notification outbox could not be read; earlier notifications are not resent',
    'notification outbox write failed; notifications are kept in memory until delivered',
  ]);
});

test('the in-memory outbox (journal degraded) outlives a Notifier in the same process', async () => {
  await hook.down();
  const outbox = createOutbox(null) as MemoryOutbox;
  const config = configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') });
  const a = new Notifier({ config, logger: captureLogger().logger, outbox });
  a.start();
  const retried = nextEvent(a, ['retry']);
  a.publish({ event: 'heater_fault', cookId: COOK_ID, at: Date.now(), status: null });
  await retried;
  await a.close();
  expect(outbox.size).toBe(1);
  await hook.up();
  const b = new Notifier({ config, logger: captureLogger().logger, outbox });
  const done = settle(b, 1);
  b.start();
  await done;
  await b.close();
  expect(hook.requests.map((r) => r.headers['x-anova-event'])).toEqual(['heater_fault']);
});

test('close(): a notification held only in memory (its outbox write failed) is counted apart, as lost', async () => {
  await hook.down();
  const real = new SqliteOutbox(handle());
  let adds = 0;
  const flaky: Outbox = {
    durable: true,
    add: (r) => {
      if (++adds === 2) throw Object.assign(new Error('disk I/O error'), { code: 'ERR_SQLITE_ERROR' });
      return real.add(r);
    },
    update: (seq, targets) => real.update(seq, targets),
    load: () => real.load(),
  };
  const logs = captureLogger();
  const n = new Notifier({
    config: configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') }),
    logger: logs.logger,
    outbox: flaky,
  });
  n.start();
  const retried = nextEvent(n, ['retry']);
  n.publish({ event: 'cook_interrupted', cookId: COOK_ID, at: Date.now(), status: null });
  n.publish({ event: 'discard_food', cookId: COOK_ID, at: Date.now(), status: null }); // its write fails
  await retried;
  await n.close();
  expect(logs.records().filter((r) => String(r.message).startsWith('notifications left'))).toEqual([
    expect.objectContaining({
      level: 'warn',
      message: 'notifications left for the next start; those only in memory are lost',
      count: 1,
      durable: true,
      memory_only: 1,
    }),
  ]);
});
