/**
 * Resilience: a start-cook whose acknowledgement never comes. The caller gets TIMEOUT, /status
 * then follows what the cooker really did, and nothing is ever started twice: a second start is
 * refused while the first one's fate is unknown, and for good if the cooker did start.
 */
import { performance } from 'node:perf_hooks';
import type { ReceivedFrame } from '../../app/simulator/types';
import { startStack, type Stack } from '../helpers/stack';
import { until } from '../helpers/events';

const COMMAND_TIMEOUT_MS = 500;
/** How long an unconfirmed start keeps the cooker busy (CookService confirmWindowMs). */
const CONFIRM_WINDOW_MS = 5_000;
const chicken = { temperature_celsius: 64, time_minutes: 90, food_type: 'chicken thigh' };

let stack: Stack;
/** The cook service's clock runs ahead of real time by this much: tests step past the confirm window instead of sleeping through it. */
let skewMs = 0;
let ip = 0;
const client = () => ({ 'cf-connecting-ip': `10.23.${Math.floor(++ip / 250)}.${ip % 250}` });

beforeEach(async () => {
  skewMs = 0;
  stack = await startStack({
    env: { TRUST_PROXY: 'true', ANOVA_COMMAND_TIMEOUT_SECONDS: String(COMMAND_TIMEOUT_MS / 1000) },
    start: { clock: () => Date.now() + skewMs, confirmWindowMs: CONFIRM_WINDOW_MS },
  });
});
afterEach(async () => {
  await stack.close();
});

const startFrames = (): ReceivedFrame[] => stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START');
const deviceMode = () => stack.server.client.selected()?.state?.mode;
const start = () => stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });

test('the cooker started but the ack was lost: TIMEOUT, then /status shows the cook and a second start is DEVICE_BUSY, for good', async () => {
  stack.sim.setCommandAnswer({ mode: 'silent' }); // applied by the device, never answered

  const t0 = performance.now();
  const first = await start();
  const waited = performance.now() - t0;
  expect(first.status).toBe(504);
  expect(first.body).toEqual({ error: 'TIMEOUT', message: expect.any(String) });
  expect(first.body.message).toMatch(/check the status/i); // tells the person what to do next
  expect(waited).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
  expect(waited).toBeLessThan(COMMAND_TIMEOUT_MS + 2_000);

  // The device did start: its states say so, and /status follows them.
  await until(stack.server.client, 'state', () => deviceMode() === 'preheating' || deviceMode() === 'cooking');
  const status = await stack.api({ path: '/status', headers: client() });
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ is_running: true, target_temp_celsius: 64 });
  expect(['preheating', 'cooking']).toContain(status.body.state);

  stack.sim.setCommandAnswer({ mode: 'ok' });
  const second = await start();
  expect(second.status).toBe(409);
  expect(second.body.error).toBe('DEVICE_BUSY');

  // Long after the confirm window the cooker is still busy: it is really cooking.
  skewMs += CONFIRM_WINDOW_MS * 10;
  const third = await start();
  expect(third.status).toBe(409);
  expect(third.body.error).toBe('DEVICE_BUSY');
  expect(startFrames()).toHaveLength(1);
  expect(stack.sim.cooker().targetTempC).toBe(64);
});

test('the START was lost on the way (cooker unplugged): TIMEOUT, /status shows idle, starts stay refused until the window passes, then one start works', async () => {
  // The cooker drops off the cloud without a word; the client still believes it online (its last
  // state is fresh), so the START goes out and is neither applied nor answered.
  stack.sim.unplug(undefined, false);
  const first = await start();
  expect(first.status).toBe(504);
  expect(first.body.error).toBe('TIMEOUT');
  expect(startFrames()).toHaveLength(1);
  expect(stack.sim.cooker().mode).toBe('idle');

  stack.sim.plug();
  const fresh = Date.now();
  await until(stack.server.client, 'state', () => (stack.server.client.selected()?.lastStateAt ?? 0) >= fresh);
  const status = await stack.api({ path: '/status', headers: client() });
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ state: 'idle', is_running: false });

  // Within the window the server cannot know the START will not still be applied: refuse.
  const early = await start();
  expect(early.status).toBe(409);
  expect(early.body.error).toBe('DEVICE_BUSY');
  expect(early.body.message).toMatch(/not confirmed/i);
  expect(startFrames()).toHaveLength(1);

  // Past the window, with the cooker still idle, the first start is known to have been lost.
  skewMs += CONFIRM_WINDOW_MS + 1;
  const retry = await start();
  expect(retry.status).toBe(200);
  expect(startFrames()).toHaveLength(2);
  expect(stack.sim.cooker().mode).not.toBe('idle');
  const again = await start();
  expect(again.status).toBe(409);
  expect(startFrames()).toHaveLength(2);
});

test('an ack that arrives after the timeout changes nothing: still one START, still busy', async () => {
  stack.sim.setResponseDelayMs(COMMAND_TIMEOUT_MS + 300); // the answer comes, but too late
  const first = await start();
  expect(first.status).toBe(504);
  const late = new Promise<void>((resolve) => {
    const onPush = (p: { frame: { command: string } }) => {
      if (p.frame.command !== 'RESPONSE') return;
      stack.sim.events.off('push', onPush);
      resolve();
    };
    stack.sim.events.on('push', onPush);
  });
  await late;
  stack.sim.setResponseDelayMs(0);
  await until(stack.server.client, 'state', () => deviceMode() === 'preheating' || deviceMode() === 'cooking');
  const second = await start();
  expect(second.status).toBe(409);
  expect(startFrames()).toHaveLength(1);
  const logs = stack.logs.records();
  expect(logs.some((r) => r.message === 'anova ignored response')).toBe(true); // heard, and knowingly dropped
  expect(logs.filter((r) => r.level === 'error' && r.message !== 'request')).toEqual([]); // 5xx access lines are error level
});
