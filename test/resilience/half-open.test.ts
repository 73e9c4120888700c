/**
 * Resilience: a half-open drop. A NAT or Wi-Fi router forgets the connection, so the socket
 * still looks open but nothing arrives: no state pushes, no pongs, no answers. The client's
 * watchdog must notice within about three ping intervals and recover by itself.
 */
import { performance } from 'node:perf_hooks';
import type { CloudStatus } from '../../app/cooking/cooker';
import { startStack, type Stack } from '../helpers/stack';
import { until, waitForEvent } from '../helpers/events';

const PING_INTERVAL_MS = 100;

let stack: Stack;
let ip = 0;
const client = () => ({ 'cf-connecting-ip': `10.21.${Math.floor(++ip / 250)}.${ip % 250}` });

beforeEach(async () => {
  stack = await startStack({
    env: {
      TRUST_PROXY: 'true',
      ANOVA_PING_INTERVAL_SECONDS: String(PING_INTERVAL_MS / 1000),
      ANOVA_OFFLINE_AFTER_SECONDS: '5', // longer than detection: what is measured is the watchdog, not staleness
    },
  });
});
afterEach(async () => {
  await stack.close();
});

test('a blackholed socket is recycled within ~3 ping intervals, /status then answers 503 at once, and the link recovers', async () => {
  const cook = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: client(),
    body: { temperature_celsius: 60, time_minutes: 120, food_type: 'pork chop' },
  });
  expect(cook.status).toBe(200);

  stack.sim.setBlackhole(true);
  const t0 = performance.now();
  await waitForEvent<CloudStatus>(stack.server.client, 'status', (s) => s.state === 'reconnecting');
  const detectedAfter = performance.now() - t0;
  // Three silent ticks: between 3 and 4 intervals after the last traffic. Never on the first missed
  // tick; the upper bound leaves a second of slack for a loaded 2-core machine.
  expect(detectedAfter).toBeGreaterThanOrEqual(2 * PING_INTERVAL_MS);
  expect(detectedAfter).toBeLessThan(4 * PING_INTERVAL_MS + 1_000);
  const silent = stack.logs.records().filter((r) => r.message === 'anova connection silent');
  expect(silent[0]).toMatchObject({ silentTicks: 3, pingIntervalMs: PING_INTERVAL_MS });

  // Detected: no more stale answers. /status is a prompt 503, /health stays up.
  const t1 = performance.now();
  const status = await stack.api({ path: '/status', headers: client() });
  expect(performance.now() - t1).toBeLessThan(1_000);
  expect(status.status).toBe(503);
  expect(status.body.error).toBe('DEVICE_OFFLINE');
  expect((await stack.raw({ path: '/health', headers: client() })).status).toBe(200);

  // While the hole lasts, new sockets open but stay silent, and are recycled in turn.
  await waitForEvent(stack.server.client, 'status', (s: CloudStatus) => s.state === 'reconnecting' && s.attempt >= 2);

  stack.sim.setBlackhole(false);
  await waitForEvent<CloudStatus>(stack.server.client, 'status', (s) => s.state === 'connected');
  await stack.ready();
  // Every dead socket was closed on both ends: exactly one connection is left.
  await until(stack.sim.events, 'disconnect', () => stack.sim.connectionCount() === 1);
  const back = await stack.api({ path: '/status', headers: client() });
  expect(back.status).toBe(200);
  expect(back.body).toMatchObject({
    state: expect.stringMatching(/^(preheating|cooking)$/),
    cook_id: cook.body.cook_id,
  });
});

test('the watchdog does not fire while the stream is healthy', async () => {
  // Many ping intervals of normal traffic: not a single recycle.
  let pings = 0;
  await new Promise<void>((resolve) => {
    const onPing = () => {
      if (++pings < 10) return;
      stack.sim.events.off('ping', onPing);
      resolve();
    };
    stack.sim.events.on('ping', onPing);
  });
  expect(stack.logs.records().filter((r) => r.message === 'anova connection silent')).toEqual([]);
  expect(stack.server.client.cloudStatus()).toMatchObject({ state: 'connected', attempt: 0 });
  expect(stack.sim.connectionCount()).toBe(1);
});
