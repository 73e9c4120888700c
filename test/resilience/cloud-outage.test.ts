/**
 * Resilience: Anova's cloud goes away in the middle of a cook (every handshake refused, the open
 * socket cut) and comes back. The API must answer quickly and honestly throughout, never claim
 * a stop it could not make, and pick the cook up again by itself afterwards.
 */
import { performance } from 'node:perf_hooks';
import type { CloudStatus } from '../../app/cooking/cooker';
import { startStack, type Stack } from '../helpers/stack';
import { until, waitForEvent } from '../helpers/events';

const COMMAND_TIMEOUT_MS = 1_000;
/** The longest timer there is, so the cook outlives the test even while simulated time races. */
const longCook = { temperature_celsius: 65, time_minutes: 5999, food_type: 'chicken breast' };
/** Simulated seconds per real second while the cloud is down: the outage "lasts" many minutes. */
const OUTAGE_TIME_SCALE = 30_000;

let stack: Stack;
let ip = 0;
/** CF-Connecting-IP is trusted here: every request is its own client, so rate limits stay out of the way. */
const client = () => ({ 'cf-connecting-ip': `10.20.${Math.floor(++ip / 250)}.${ip % 250}` });
const cloudState = () => stack.server.client.cloudStatus().state;

beforeEach(async () => {
  stack = await startStack({
    sim: { timeScale: 60 }, // the cook's timer visibly advances during the outage
    env: { TRUST_PROXY: 'true', ANOVA_COMMAND_TIMEOUT_SECONDS: String(COMMAND_TIMEOUT_MS / 1000) },
  });
});
afterEach(async () => {
  await stack.close();
});

/** Starts the long cook and waits until the server sees the timer running. */
async function startCooking(): Promise<string> {
  const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: longCook });
  expect(res.status).toBe(200);
  await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.mode === 'cooking');
  return res.body.cook_id;
}

/** Refuses every handshake and cuts the open socket; resolves once the client noticed. */
async function cloudGoesDown(): Promise<void> {
  stack.sim.setRefuseConnections(true);
  stack.sim.dropConnections('abort');
  await until(stack.server.client, 'status', () => cloudState() !== 'connected');
}

/** At least one reconnect attempt was refused: the client keeps trying on its own. */
function refusedAttempt(): Promise<unknown> {
  return waitForEvent(stack.sim.events, 'rejected');
}

async function cloudComesBack(): Promise<void> {
  stack.sim.setRefuseConnections(false);
  await waitForEvent<CloudStatus>(stack.server.client, 'status', (s) => s.state === 'connected');
  await stack.ready();
}

/** Minutes left on the simulated cooker, as a person would read them off the device. */
function deviceMinutesLeft(): number {
  const c = stack.sim.cooker();
  return Math.ceil((c.timerSeconds - c.timerElapsedSeconds) / 60);
}

test('during an outage /status is a prompt 503 and /health stays 200; afterwards the cook is picked up with the right time left', async () => {
  const cookId = await startCooking();
  const before = await stack.api({ path: '/status', headers: client() });
  expect(before.body).toMatchObject({ state: 'cooking', cook_id: cookId });

  const rejected = refusedAttempt();
  await cloudGoesDown();
  stack.sim.setTimeScale(OUTAGE_TIME_SCALE);

  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const status = await stack.api({ path: '/status', headers: client() });
    const elapsed = performance.now() - t0;
    expect(status.status).toBe(503);
    expect(status.body).toEqual({ error: 'DEVICE_OFFLINE', message: expect.any(String) }); // docs/api.md: cloud down reads as offline
    expect(elapsed).toBeLessThan(COMMAND_TIMEOUT_MS); // served from memory, never waits for the cloud

    const health = await stack.raw({ path: '/health', headers: client() });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', anova: { connected: false } });
  }
  // A start during the outage fails at once too, and nothing reaches the cooker.
  const t0 = performance.now();
  const start = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: longCook });
  expect(performance.now() - t0).toBeLessThan(COMMAND_TIMEOUT_MS);
  expect(start.status).toBe(503);
  expect(start.body.error).toBe('CLOUD_UNREACHABLE');

  await rejected;
  expect(cloudState()).toMatch(/^(reconnecting|connecting)$/);
  stack.sim.setTimeScale(60);

  await cloudComesBack();
  expect(stack.sim.connectionCount()).toBe(1);
  const after = await stack.api({ path: '/status', headers: client() });
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({
    state: 'cooking',
    is_running: true,
    target_temp_celsius: 65,
    cook_id: cookId, // the record of our cook survived the outage
    food_type: 'chicken breast',
  });
  // The timer kept running on the device; the answer follows the device, not the pre-outage cache.
  expect(Math.abs(after.body.time_remaining_minutes - deviceMinutesLeft())).toBeLessThanOrEqual(1);
  expect(after.body.time_remaining_minutes).toBeLessThan(before.body.time_remaining_minutes - 5);
  expect(after.body.time_elapsed_minutes).toBeGreaterThan(before.body.time_elapsed_minutes + 5);
  expect(stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START')).toHaveLength(1);
});

test('stop-cook during an outage: a clear 503, no STOP sent, no false "stopped"; it works once the cloud is back', async () => {
  const cookId = await startCooking();
  await cloudGoesDown();

  const t0 = performance.now();
  const stop = await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
  expect(performance.now() - t0).toBeLessThan(COMMAND_TIMEOUT_MS);
  expect(stop.status).toBe(503);
  expect(stop.body).toEqual({ error: 'CLOUD_UNREACHABLE', message: expect.any(String) });
  expect(stop.body.message).not.toMatch(/stopped/i);
  expect(stack.sim.cooker().mode).toBe('cooking');
  expect(stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_STOP')).toEqual([]);

  await cloudComesBack();
  const status = await stack.api({ path: '/status', headers: client() });
  expect(status.body).toMatchObject({ state: 'cooking', cook_id: cookId }); // the failed stop left our cook alone

  const retry = await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
  expect(retry.status).toBe(200);
  expect(stack.sim.cooker().mode).toBe('idle');
});

test('a stop whose socket dies before the answer is never reported as done', async () => {
  await startCooking();
  // The cloud takes the STOP but the socket is cut before it answers: the caller must not hear "stopped".
  stack.sim.setResponseDelayMs(5_000);
  const reached = waitForEvent(
    stack.sim.events,
    'command',
    (r: { frame: { command: string } }) => r.frame.command === 'CMD_APC_STOP',
  );
  const stop = stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
  await reached;
  stack.sim.setRefuseConnections(true);
  stack.sim.dropConnections('abort');
  const res = await stop;
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('CLOUD_UNREACHABLE');
  expect(res.body.message).not.toMatch(/stopped/i);

  stack.sim.setResponseDelayMs(0);
  await cloudComesBack();
  // The device did apply it; /status now says so from the device's own state.
  const status = await stack.api({ path: '/status', headers: client() });
  expect(status.body.state).toBe('idle');
});
