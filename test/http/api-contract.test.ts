/**
 * Every row of docs/api.md, over real HTTP against the real server wired to the simulator.
 */
import { VERSION } from '../../app/version';
import { startStack, TEST_API_KEY, type Stack } from '../helpers/stack';
import { until } from '../helpers/events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const chicken = { temperature_celsius: 65, time_minutes: 90, food_type: 'chicken breast' };

let stack: Stack;
let ip = 0;
/** Each test is its own client (CF-Connecting-IP is trusted here) so rate limits never interfere. */
const client = () => ({ 'cf-connecting-ip': `10.0.${Math.floor(++ip / 250)}.${ip % 250}` });

beforeAll(async () => {
  stack = await startStack({ env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  // Leave the cooker idle and the simulator healthy for the next test.
  stack.sim.setCommandAnswer({ mode: 'ok' });
  stack.sim.setRefuseConnections(false);
  stack.sim.plug();
  await stack.ready();
  if (stack.sim.cooker().mode !== 'idle') {
    await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
  }
});

const commandsSent = () => stack.sim.received().filter((r) => r.frame.command.startsWith('CMD_')).length;

describe('general rules', () => {
  test('every response is JSON with X-Request-Id, Cache-Control: no-store and no framework banner', async () => {
    for (const res of [
      await stack.raw({ path: '/health', headers: client() }),
      await stack.raw({ path: '/status', headers: client() }),
      await stack.raw({ path: '/nope', headers: client() }),
    ]) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(typeof res.body).toBe('object');
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('a sane incoming X-Request-Id is echoed, anything else replaced', async () => {
    const echoed = await stack.raw({ path: '/health', headers: { ...client(), 'x-request-id': 'gpt-call.42' } });
    expect(echoed.headers['x-request-id']).toBe('gpt-call.42');
    const replaced = await stack.raw({
      path: '/health',
      headers: { ...client(), 'x-request-id': 'bad id\twith spaces' },
    });
    expect(replaced.headers['x-request-id']).toMatch(UUID);
  });

  test('unknown path: 404 NOT_FOUND', async () => {
    const res = await stack.api({ path: '/cook', headers: client() });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
  });

  test.each([
    ['GET', '/start-cook', 'POST'],
    ['DELETE', '/status', 'GET, HEAD'],
    ['PUT', '/stop-cook', 'POST'],
    ['POST', '/health', 'GET, HEAD'],
  ])('%s %s: 405 METHOD_NOT_ALLOWED with Allow: %s', async (method, path, allow) => {
    const res = await stack.api({ method, path, headers: client() });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.error).toBe('METHOD_NOT_ALLOWED');
  });

  test('body that is not JSON: 400 INVALID_JSON, nothing sent', async () => {
    const before = commandsSent();
    const res = await stack.api({
      method: 'POST',
      path: '/start-cook',
      headers: client(),
      body: '{"temperature_celsius": 65,',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('INVALID_JSON');
    expect(commandsSent()).toBe(before);
  });

  test('body over 16 KiB: 413 PAYLOAD_TOO_LARGE, nothing sent', async () => {
    const before = commandsSent();
    const body = JSON.stringify({ ...chicken, food_type: 'x'.repeat(17 * 1024) });
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('PAYLOAD_TOO_LARGE');
    expect(commandsSent()).toBe(before);
  });

  test('a body sent without a JSON content type (curl -d) is still read as JSON', async () => {
    const res = await stack.api({
      method: 'POST',
      path: '/start-cook',
      headers: { ...client(), 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify(chicken),
    });
    expect(res.status).toBe(200);
  });
});

describe('GET /health', () => {
  test('200 without auth, with version, timestamp, uptime and the cloud flag', async () => {
    const res = await stack.raw({ path: '/health', headers: client() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: VERSION,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      uptime_seconds: expect.any(Number),
      anova: { connected: true },
      journal: 'ok',
    });
  });

  test('stays 200 while the Anova cloud is unreachable (connected: false)', async () => {
    stack.sim.setRefuseConnections(true);
    stack.sim.dropConnections('abort');
    await until(stack.server.client, 'status', () => stack.server.client.cloudStatus().state !== 'connected');
    const res = await stack.raw({ path: '/health', headers: client() });
    expect(res.status).toBe(200);
    expect(res.body.anova).toEqual({ connected: false });
  });
});

describe('GET /openapi.json', () => {
  test('served without auth, servers[0].url is PUBLIC_URL', async () => {
    const res = await stack.raw({ path: '/openapi.json', headers: client() });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
    expect(res.body.servers[0].url).toBe('https://anova.example.com');
  });
});

describe('POST /start-cook', () => {
  test('200: starts the cooker with °C and seconds, and answers with our model of the cook', async () => {
    const before = Date.now();
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message:
        'Started cooking at 65.0 °C for 90 minutes. The water is heating to temperature; the timer starts when it gets there.',
      cook_id: expect.stringMatching(UUID),
      device_state: 'preheating',
      target_temp_celsius: 65,
      time_minutes: 90,
      estimated_completion: expect.any(String),
      food_type: 'chicken breast',
      warnings: [{ code: 'THICKNESS_ASSUMED', message: expect.any(String) }],
      thickness_assumed_mm: 25,
    });
    // now + heat-up + 90 minutes
    expect(Date.parse(res.body.estimated_completion)).toBeGreaterThanOrEqual(before + 90 * 60_000);
    const start = stack.sim
      .received()
      .filter((r) => r.frame.command === 'CMD_APC_START')
      .pop()!;
    expect(start.frame.payload).toEqual({
      cookerId: stack.sim.cooker().cookerId,
      type: 'a7',
      targetTemperature: 65,
      unit: 'C',
      timer: 5400,
    });
    expect(start.frame.requestId).toMatch(UUID);
  });

  test('a float time is truncated and numeric strings are accepted', async () => {
    const res = await stack.api({
      method: 'POST',
      path: '/start-cook',
      headers: client(),
      body: { temperature_celsius: '85', time_minutes: 45.9, food_type: 'carrots' },
    });
    expect(res.status).toBe(200);
    expect(res.body.time_minutes).toBe(45);
    expect(res.body.target_temp_celsius).toBe(85);
  });

  test.each([
    ['no body', undefined, 'MISSING_BODY'],
    ['an array body', '[1,2]', 'MISSING_BODY'],
    ['a string body', '"cook"', 'MISSING_BODY'],
    ['no temperature', { time_minutes: 60 }, 'MISSING_TEMPERATURE'],
    ['no time', { temperature_celsius: 60 }, 'MISSING_TIME'],
    ['temperature "hot"', { temperature_celsius: 'hot', time_minutes: 60 }, 'INVALID_TEMPERATURE'],
    ['temperature true', { temperature_celsius: true, time_minutes: 60 }, 'INVALID_TEMPERATURE'],
    ['time []', { temperature_celsius: 60, time_minutes: [] }, 'INVALID_TIME'],
    ['food_type 42', { temperature_celsius: 60, time_minutes: 60, food_type: 42 }, 'INVALID_FOOD_TYPE'],
    [
      'food_type with NUL',
      { temperature_celsius: 85, time_minutes: 60, food_type: 'carrot\u0000' },
      'INVALID_FOOD_TYPE',
    ],
    ['thickness 200', { temperature_celsius: 85, time_minutes: 60, thickness_mm: 200 }, 'INVALID_THICKNESS'],
    ['39.9 °C', { temperature_celsius: 39.9, time_minutes: 60 }, 'TEMPERATURE_TOO_LOW'],
    ['95.1 °C', { temperature_celsius: 95.1, time_minutes: 60 }, 'TEMPERATURE_TOO_HIGH'],
    ['0.5 minutes', { temperature_celsius: 85, time_minutes: 0.5 }, 'TIME_TOO_SHORT'],
    ['6000 minutes', { temperature_celsius: 85, time_minutes: 6000 }, 'TIME_TOO_LONG'],
  ])('%s: 400 %s and nothing sent to the cooker', async (_name, body, code) => {
    const before = commandsSent();
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: code, message: expect.any(String) });
    expect(commandsSent()).toBe(before);
  });

  test('409 DEVICE_BUSY while a cook runs', async () => {
    expect((await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken })).status).toBe(
      200,
    );
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('DEVICE_BUSY');
  });

  test('502 ANOVA_API_ERROR when the cloud answers with a non-ok status', async () => {
    stack.sim.setCommandAnswer({ mode: 'error' });
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('ANOVA_API_ERROR');
    expect(stack.sim.cooker().mode).toBe('idle');
  });

  test('504 TIMEOUT when the cloud never answers', async () => {
    stack.sim.setCommandAnswer({ mode: 'silent' });
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(504);
    expect(res.body.error).toBe('TIMEOUT');
  });

  test('503 CLOUD_UNREACHABLE while the cloud connection is down', async () => {
    stack.sim.setRefuseConnections(true);
    stack.sim.dropConnections('abort');
    await until(stack.server.client, 'status', () => stack.server.client.cloudStatus().state !== 'connected');
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('CLOUD_UNREACHABLE');
  });

  test('503 DEVICE_OFFLINE when the cooker stopped reporting', async () => {
    stack.sim.unplug();
    await waitForOffline();
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('DEVICE_OFFLINE');
  });
});

/** The client marks the cooker offline after ANOVA_OFFLINE_AFTER_SECONDS of silence (2 s here). */
function waitForOffline(): Promise<void> {
  return until(stack.server.client, 'online', () => stack.server.client.selected()?.online === false);
}

describe('GET /status', () => {
  test('idle: every key present, nulls where not applicable', async () => {
    const res = await stack.api({ path: '/status', headers: client() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      device_online: true,
      state: 'idle',
      current_temp_celsius: expect.any(Number),
      target_temp_celsius: null,
      time_remaining_minutes: null,
      time_elapsed_minutes: null,
      is_running: false,
      current_temp_fahrenheit: expect.any(Number),
      target_temp_fahrenheit: null,
      cook_id: null,
      food_type: null,
      estimated_completion: null,
      alerts: [],
      device_name: 'Anova Precision Cooker 3.0',
      last_update_seconds_ago: expect.any(Number),
      food_safety: null,
    });
  });

  test('follows a cook: preheating → cooking (timer counting) → done (0 remaining, still holding)', async () => {
    const started = await stack.api({
      method: 'POST',
      path: '/start-cook',
      headers: client(),
      body: { temperature_celsius: 60, time_minutes: 100, food_type: 'pork chop', thickness_mm: 25 },
    });
    expect(started.status).toBe(200);
    const pre = await stack.api({ path: '/status', headers: client() });
    expect(pre.body).toMatchObject({
      state: 'preheating',
      is_running: true,
      target_temp_celsius: 60,
      cook_id: started.body.cook_id,
      food_type: 'pork chop',
    });
    expect(pre.body.target_temp_fahrenheit).toBe(140);

    await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.mode === 'cooking');
    const cooking = await stack.api({ path: '/status', headers: client() });
    expect(cooking.body).toMatchObject({ state: 'cooking', is_running: true, cook_id: started.body.cook_id });
    expect(cooking.body.time_remaining_minutes).toBeGreaterThan(0);
    expect(cooking.body.time_remaining_minutes).toBeLessThanOrEqual(100);
    expect(cooking.body.time_remaining_minutes + cooking.body.time_elapsed_minutes).toBeGreaterThanOrEqual(99);
    expect(Date.parse(cooking.body.estimated_completion)).toBeGreaterThan(Date.now());

    stack.sim.setTimeScale(60_000); // the rest of the timer passes in a moment
    await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.mode === 'done');
    const done = await stack.api({ path: '/status', headers: client() });
    expect(done.body).toMatchObject({
      state: 'done',
      is_running: true,
      time_remaining_minutes: 0,
      time_elapsed_minutes: 100,
      target_temp_celsius: 60,
    });
    stack.sim.setTimeScale(1);
  });

  test('alerts come from the device state', async () => {
    stack.sim.setLowWater(undefined, 'warning');
    await until(
      stack.server.client,
      'state',
      () => stack.server.client.selected()?.state?.alerts.includes('low_water') === true,
    );
    const res = await stack.api({ path: '/status', headers: client() });
    expect(res.body.alerts).toEqual(['low_water']);
    stack.sim.setLowWater(undefined, 'ok');
    await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.alerts.length === 0);
  });

  test('503 DEVICE_OFFLINE when the cooker is silent past the limit', async () => {
    stack.sim.unplug();
    await waitForOffline();
    const res = await stack.api({ path: '/status', headers: client() });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('DEVICE_OFFLINE');
  });

  test('503 DEVICE_OFFLINE when the cloud connection is down', async () => {
    stack.sim.setRefuseConnections(true);
    stack.sim.dropConnections('abort');
    await until(stack.server.client, 'status', () => stack.server.client.cloudStatus().state !== 'connected');
    const res = await stack.api({ path: '/status', headers: client() });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('DEVICE_OFFLINE');
  });
});

describe('POST /stop-cook', () => {
  test('200 with the final temperature; the cooker goes idle', async () => {
    await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    const res = await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Cooking stopped. The heater is off; the water will cool down on its own.',
      device_state: 'idle',
      final_temp_celsius: expect.any(Number),
    });
    expect(stack.sim.cooker().mode).toBe('idle');
    expect(stack.sim.received().pop()!.frame).toMatchObject({
      command: 'CMD_APC_STOP',
      payload: { cookerId: stack.sim.cooker().cookerId, type: 'a7' },
    });
  });

  test('an empty JSON object body is fine', async () => {
    await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    const res = await stack.api({ method: 'POST', path: '/stop-cook', headers: client(), body: {} });
    expect(res.status).toBe(200);
  });

  test('409 NO_ACTIVE_COOK when nothing is running, and nothing is sent', async () => {
    const before = commandsSent();
    const res = await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('NO_ACTIVE_COOK');
    expect(commandsSent()).toBe(before);
  });

  test('503 CLOUD_UNREACHABLE during an outage, and no false "stopped"', async () => {
    await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body: chicken });
    stack.sim.setRefuseConnections(true);
    stack.sim.dropConnections('abort');
    await until(stack.server.client, 'status', () => stack.server.client.cloudStatus().state !== 'connected');
    const res = await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('CLOUD_UNREACHABLE');
    expect(stack.sim.cooker().mode).not.toBe('idle');
  });
});

describe('authentication on every protected route', () => {
  test.each([
    ['POST', '/start-cook'],
    ['GET', '/status'],
    ['POST', '/stop-cook'],
  ])('%s %s without a key: 401 UNAUTHORIZED with WWW-Authenticate: Bearer', async (method, path) => {
    const res = await stack.raw({ method, path, headers: client(), body: method === 'POST' ? chicken : undefined });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error).toBe('UNAUTHORIZED');
  });

  test('the right key works with any case of the scheme name', async () => {
    const res = await stack.raw({ path: '/status', headers: { ...client(), authorization: `bearer ${TEST_API_KEY}` } });
    expect(res.status).toBe(200);
  });
});
