/**
 * The webhook secret, the ntfy token, URL credentials and the secret parts of the URLs (a
 * Home Assistant webhook id, an ntfy topic) never appear in a log line or in notify-test's
 * output, whatever happens. The logger here scrubs nothing, so this is the code's own doing.
 */
import { PassThrough } from 'node:stream';
import { Notifier } from '../../app/notify/notifier';
import { runNotifyTest } from '../../app/notify/notify-test';
import { MemoryOutbox } from '../../app/notify/outbox';
import { captureLogger } from '../helpers/logs';
import {
  collect,
  configFor,
  COOK_ID,
  drive,
  ManualTimers,
  sampleStatus,
  startReceiver,
  type Receiver,
} from './support';

const PASSWORD = 'url-password-Qx81';
const SECRET = 'whsec-never-log-me-0123456789';
const TOKEN = 'tk_never_log_me_0123456789';
const WEBHOOK_ID = 'ha-webhook-id-9f8e7d6c';
const TOPIC = 'secret-topic-5b4a3c';
const FORBIDDEN = [PASSWORD, SECRET, TOKEN, WEBHOOK_ID, TOPIC];

let hook: Receiver;
let ntfy: Receiver;

beforeEach(async () => {
  hook = await startReceiver();
  ntfy = await startReceiver();
});

afterEach(async () => {
  await hook.close();
  await ntfy.close();
});

function config() {
  return configFor({
    NOTIFY_WEBHOOK_URL: hook.url(`/api/webhook/${WEBHOOK_ID}`, `anova:${PASSWORD}`),
    NOTIFY_WEBHOOK_SECRET: SECRET,
    NOTIFY_NTFY_URL: ntfy.url(`/${TOPIC}`),
    NOTIFY_NTFY_TOKEN: TOKEN,
  });
}

function expectClean(text: string): void {
  for (const s of FORBIDDEN) expect(text).not.toContain(s);
  expect(text).not.toContain(`/api/webhook/`);
}

test('delivered, retried, rejected, given up, dropped: no secret in any log line', async () => {
  // webhook: 500, then 401, then always 503; ntfy: 200, then 429, then 400.
  hook.respond((_r, i) => ({ status: i === 0 ? 500 : i === 1 ? 401 : 503 }));
  ntfy.respond((_r, i) => ({ status: i === 0 ? 200 : i === 1 ? 429 : 400 }));
  const logs = captureLogger([], 'debug');
  const timers = new ManualTimers();
  const n = new Notifier({
    config: config(),
    logger: logs.logger,
    outbox: new MemoryOutbox(),
    clock: timers.clock,
    monotonic: timers.clock,
    timers,
    capacity: 3,
  });
  const settled = collect(n, 'settled');
  // Queued before start: the fourth drops the first, before anything is on the wire.
  for (const event of ['cook_done', 'low_water', 'device_offline', 'discard_food'] as const) {
    n.publish({ event, cookId: COOK_ID, at: timers.now, status: sampleStatus() });
  }
  n.start();
  await drive(n, timers, () => settled.length === 3);
  await n.close();
  const kinds = new Set(logs.records().map((r) => r.message));
  expect(kinds).toEqual(
    new Set([
      'notification delivered',
      'notification attempt failed; retrying',
      'notification rejected by the receiver; not retried',
      'notification given up after retrying',
      'notification queue full; dropped the oldest non-critical one',
    ]),
  );
  expectClean(logs.text());
  // The receivers did get the credentials: they are used, just never shown.
  expect(hook.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`anova:${PASSWORD}`).toString('base64')}`);
  expect(ntfy.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  // And every log line about a target names its host.
  for (const r of logs.records().filter((r) => r.target)) expect(r.host).toMatch(/^127\.0\.0\.1:\d+$/);
});

test('notify-test output and logs carry host names only', async () => {
  hook.respond(() => ({ status: 401 }));
  const out = new PassThrough();
  let printed = '';
  out.on('data', (c) => (printed += String(c)));
  const logs = captureLogger([], 'debug');
  await runNotifyTest(config(), out, logs.logger);
  expect(printed).toContain(`127.0.0.1:${hook.port}`);
  expectClean(printed);
  expectClean(logs.text());
});
