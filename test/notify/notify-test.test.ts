import { PassThrough } from 'node:stream';
import { runNotifyTest } from '../../app/notify/notify-test';
import { captureLogger } from '../helpers/logs';
import { configFor, decodeHeader, NTFY_TOKEN, startReceiver, WEBHOOK_SECRET, type Receiver } from './support';

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

function output() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += String(c)));
  return { out, text: () => text };
}

test('sends one test notification to every target and prints each outcome; exit 0 when all took it', async () => {
  const o = output();
  const config = configFor({
    NOTIFY_WEBHOOK_URL: hook.url('/h'),
    NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
    NOTIFY_NTFY_URL: ntfy.url('/topic'),
    NOTIFY_NTFY_TOKEN: NTFY_TOKEN,
    NOTIFY_EVENTS: 'discard_food', // does not filter the test
  });
  expect(await runNotifyTest(config, o.out, captureLogger().logger)).toBe(0);
  const lines = o.text().trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^webhook +127\\.0\\.0\\.1:${hook.port} +delivered \\(HTTP 200\\) in \\d+ ms$`));
  expect(lines[1]).toMatch(new RegExp(`^ntfy +127\\.0\\.0\\.1:${ntfy.port} +delivered \\(HTTP 200\\) in \\d+ ms$`));
  expect(hook.requests[0].headers['x-anova-event']).toBe('test');
  expect(JSON.parse(hook.requests[0].body.toString())).toMatchObject({
    event: 'test',
    cook_id: null,
    status: null,
    title: 'Test notification',
  });
  expect(hook.requests[0].headers['x-anova-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(decodeHeader(ntfy.requests[0].headers.title)).toBe('Test notification');
  expect(ntfy.requests[0].headers.priority).toBe('3');
  expect(ntfy.requests[0].headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
});

test('a failing target: its reason is printed, exit 1; one attempt only', async () => {
  hook.respond(() => ({ status: 403 }));
  await ntfy.down();
  const o = output();
  const logs = captureLogger();
  const code = await runNotifyTest(
    configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h'), NOTIFY_NTFY_URL: ntfy.url('/topic') }),
    o.out,
    logs.logger,
  );
  expect(code).toBe(1);
  expect(o.text()).toContain('failed: HTTP 403, the receiver refused the credentials');
  expect(o.text()).toContain('failed: connection refused: is the receiver running, and is the port right?');
  expect(hook.requests).toHaveLength(1);
  expect(logs.records().filter((r) => r.level === 'warn')).toHaveLength(2);
});

test('a receiver that does not answer: reported as a timeout', async () => {
  hook.respond(() => 'hang');
  const o = output();
  const code = await runNotifyTest(configFor({ NOTIFY_WEBHOOK_URL: hook.url('/h') }), o.out, captureLogger().logger, {
    timeoutMs: 200,
  });
  expect(code).toBe(1);
  expect(o.text()).toContain('failed: no answer within 200 ms');
});

test('nothing configured: says what to set, exit 1', async () => {
  const o = output();
  expect(await runNotifyTest(configFor({}), o.out, captureLogger().logger)).toBe(1);
  expect(o.text()).toBe(
    'No notification target is configured. Set NOTIFY_WEBHOOK_URL and/or NOTIFY_NTFY_URL (see docs/notifications.md).\n',
  );
});
