/**
 * AnovaClient connection life against the simulator (and two bare loopback servers for what
 * the simulator cannot do): drops, half-open sockets, outages with backoff, token rejection and
 * recovery, garbage frames, handshake timeouts, and a clean shutdown.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { AnovaClient } from '../../app/anova/client';
import type { CloudStatus } from '../../app/cooking/cooker';
import { trackAppTimers } from '../helpers/timers';
import { FAST, MemoryLogger, online, rejectsWith, rig, until, waitForEvent, type Rig } from './client-harness';

let r: Rig | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

const BAD_TOKEN = 'anova-not-a-token-we-ever-issued';

function statusLog(client: AnovaClient): string[] {
  const states: string[] = [];
  client.on('status', (s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  return states;
}

/** Timers the client itself started (the simulator's close-grace timers are not its business). */
const clientTimers = trackAppTimers(/[\\/]app[\\/]anova[\\/][^\n]+\.ts:/);

describe('reconnecting', () => {
  test.each(['close', 'abort'] as const)(
    'a dropped socket (%s) is replaced by itself and state is read again',
    async (how) => {
      r = await rig();
      const { client, sim, logs } = r;
      const states = statusLog(client);
      await online(client);
      const timers = await clientTimers.count();
      expect(timers).toBeGreaterThan(0); // the ping timer at least: the count sees the client's timers

      sim.dropConnections(how);
      await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');
      expect(client.selected()?.online).toBe(false);
      await until(client, 'state', () => client.selected()?.online === true);
      expect(await clientTimers.count()).toBeLessThanOrEqual(timers); // one ping timer at a time, nothing left behind

      expect(states).toEqual(['connected', 'reconnecting', 'connected']);
      expect(sim.connectionCount()).toBe(1);
      const reconnecting = logs.named('anova reconnecting');
      expect(reconnecting).toHaveLength(1);
      expect(reconnecting[0].meta).toMatchObject({
        attempt: 1,
        reason: how === 'close' ? 'closed with code 1001' : 'closed with code 1006',
      });
      expect(logs.named('anova disconnected')).toHaveLength(1);
    },
  );

  test('an outage: attempts and delays grow to the cap, then the client recovers and resets after a healthy period', async () => {
    r = await rig({}, { random: () => 1, backoff: { initialMs: 20, maxMs: 200, healthyAfterMs: 300 } });
    const { client, sim, logs } = r;
    await online(client);

    sim.setRefuseConnections(true);
    sim.dropConnections('close');
    await until(client, 'status', () => logs.named('anova reconnecting').length >= 5);
    sim.setRefuseConnections(false);
    await until(client, 'state', () => client.selected()?.online === true);

    const attempts = logs.named('anova reconnecting').map((l) => l.meta);
    expect(attempts.slice(0, 5).map((m) => [m.attempt, m.delayMs])).toEqual([
      [1, 60],
      [2, 180],
      [3, 200],
      [4, 200],
      [5, 200],
    ]);
    expect(attempts[0].reason).toBe('closed with code 1001');
    expect(attempts[1].reason).toBe('handshake rejected with HTTP 503');
    expect(client.cloudStatus().attempt).toBeGreaterThanOrEqual(5); // not yet healthy
    expect(logs.records.filter((l) => l.level === 'error')).toEqual([]);

    // Healthy for healthyAfterMs: the count and the backoff start over.
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.attempt === 0);
    sim.dropConnections('close');
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');
    expect(logs.named('anova reconnecting').at(-1)?.meta).toMatchObject({ attempt: 1, delayMs: 60 });
  });

  test('the backoff stays within its bounds with real randomness', async () => {
    r = await rig({}, { backoff: { initialMs: 20, maxMs: 120, healthyAfterMs: 60_000 } });
    const { client, sim, logs } = r;
    sim.setRefuseConnections(true);
    client.start();
    await until(client, 'status', () => logs.named('anova reconnecting').length >= 6);
    const delays = logs.named('anova reconnecting').map((l) => l.meta.delayMs as number);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(20);
      expect(d).toBeLessThanOrEqual(120);
    }
    expect(client.cloudStatus()).toMatchObject({ state: 'reconnecting' });
    expect(client.cloudStatus().attempt).toBeGreaterThanOrEqual(6);
  });
});

describe('liveness', () => {
  test('a blackholed (half-open) socket is detected within a few ping intervals and recovered afterwards', async () => {
    r = await rig({}, { pingIntervalMs: 100 });
    const { client, sim, logs } = r;
    await online(client);

    sim.setBlackhole(true);
    const t0 = performance.now();
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');
    const detectedAfter = performance.now() - t0;
    expect(detectedAfter).toBeGreaterThanOrEqual(200); // not on the first missed pong
    expect(detectedAfter).toBeLessThan(2000);
    expect(logs.named('anova connection silent')[0].meta).toMatchObject({ silentTicks: 3, pingIntervalMs: 100 });

    sim.setBlackhole(false);
    await until(client, 'state', () => client.selected()?.online === true);
    expect(client.cloudStatus().state).toBe('connected');
    expect(sim.connectionCount()).toBe(1);
  });

  test('missed pongs do not kill a stream that still carries frames', async () => {
    r = await rig({ pushIntervalMs: 30 }, { pingIntervalMs: 50 });
    const { client, sim, logs } = r;
    await online(client);
    sim.setAnswerPings(false);
    let disconnects = 0;
    sim.events.on('disconnect', () => disconnects++);

    let pings = 0;
    await new Promise<void>((resolve) => {
      const onPing = () => {
        if (++pings < 10) return;
        sim.events.off('ping', onPing);
        resolve();
      };
      sim.events.on('ping', onPing);
    });

    expect(disconnects).toBe(0);
    expect(client.cloudStatus().state).toBe('connected');
    expect(logs.named('anova connection silent')).toEqual([]);
  });

  test('a server that accepts TCP but never answers the handshake is given up after connectTimeoutMs', async () => {
    const held: Socket[] = [];
    const server: Server = createServer((s) => held.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const logs = new MemoryLogger();
    const client = new AnovaClient({
      ...FAST,
      url: `ws://127.0.0.1:${port}`,
      token: BAD_TOKEN,
      connectTimeoutMs: 150,
      logger: logs,
    });
    try {
      client.start();
      await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');
      expect(logs.named('anova reconnecting')[0].meta).toMatchObject({
        attempt: 1,
        reason: 'Opening handshake has timed out',
      });
    } finally {
      await client.close();
      held.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(logs.text()).not.toContain(BAD_TOKEN);
  });
});

describe('authentication', () => {
  test('a token refused with HTTP 401: auth_failed, one error line, slow retries, recovery once accepted', async () => {
    r = await rig({}, { token: BAD_TOKEN, authRetryMs: 50 });
    const { client, sim, logs } = r;
    const states = statusLog(client);
    let rejections = 0;
    sim.events.on('rejected', () => rejections++);
    client.start();
    await until(client, 'status', () => rejections >= 3);

    expect(client.cloudStatus().state).toBe('auth_failed');
    const err = await rejectsWith(client.stopCook(), 'ANOVA_AUTH_FAILED');
    expect(err.message).not.toContain(BAD_TOKEN);
    expect(logs.records.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['anova auth failed']);
    expect(logs.named('anova auth failed')[0].meta).toMatchObject({
      reason: 'handshake rejected with HTTP 401',
      retryInMs: 50,
    });
    expect(logs.named('anova reconnecting').every((l) => l.level === 'debug' && l.meta.delayMs === 50)).toBe(true);

    sim.acceptToken(BAD_TOKEN);
    await until(client, 'state', () => client.selected()?.online === true);
    expect(states).toEqual(['auth_failed', 'connected']);
    expect(logs.named('anova connected')[0].meta).toMatchObject({ recoveredFrom: 'auth_failed' });
    await client.stopCook();
  });

  test('a token refused by an immediate close 1008: auth_failed, and recovery once accepted', async () => {
    r = await rig({}, { authRetryMs: 50 });
    const { client, sim, logs } = r;
    sim.revokeToken(sim.token, 'close1008');
    const states = statusLog(client);
    let rejections = 0;
    sim.events.on('rejected', () => rejections++);
    client.start();
    await until(client, 'status', () => rejections >= 3);
    expect(client.cloudStatus().state).toBe('auth_failed');
    await rejectsWith(client.stopCook(), 'ANOVA_AUTH_FAILED');

    sim.acceptToken(sim.token);
    await until(client, 'state', () => client.selected()?.online === true);
    // The handshake itself succeeds each time; only the first frame proves the token.
    expect(states).toEqual(['auth_failed', 'connected']);
    expect(logs.named('anova auth failed')).toHaveLength(1);
    expect(logs.named('anova disconnected')).toEqual([]);
  });

  test.each(['http401', 'close1008'] as const)(
    'a token revoked while connected (%s) ends in auth_failed',
    async (how) => {
      r = await rig({}, { authRetryMs: 50 });
      const { client, sim, logs } = r;
      const states = statusLog(client);
      await online(client);

      sim.revokeToken(sim.token, how);
      await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'auth_failed');
      // A 1008 on a socket that was streaming could be rate limiting: the next handshake decides.
      expect(states).toEqual(['connected', 'reconnecting', 'auth_failed']);
      expect(logs.named('anova disconnected')[0].meta).toMatchObject({ code: 1008 });
      await rejectsWith(client.startCook({ targetTempC: 60, timerSeconds: 60 }), 'ANOVA_AUTH_FAILED');
    },
  );
});

describe('hostile input', () => {
  test('garbage frames and odd shapes never crash the reader', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    const { port } = wss.address() as { port: number };
    const cookerId = 'GarbageTolerantCooker1';
    const state = { cookerId, type: 'a7', state: { systemInfo: { online: true }, state: { mode: 'idle' }, nodes: {} } };
    wss.on('connection', (ws) => {
      const frames: (string | Buffer)[] = [
        'not json at all',
        '[1,2,3]',
        'null',
        JSON.stringify({ command: 42 }),
        JSON.stringify({ command: 'EVENT_APC_WIFI_LIST', payload: { not: 'an array' } }),
        JSON.stringify({ command: 'EVENT_APC_WIFI_LIST', payload: [null, 7, { cookerId: '' }, { cookerId: 'x' }] }),
        JSON.stringify({ command: 'EVENT_APC_STATE', payload: 'garbage' }),
        JSON.stringify({ command: 'EVENT_APC_STATE' }),
        JSON.stringify({ command: 'RESPONSE', requestId: 'nobody-asked', payload: { status: 'ok' } }),
        JSON.stringify({ command: 'RESPONSE_SOMETHING', payload: null }),
        JSON.stringify({ command: 'EVENT_FROM_THE_FUTURE', payload: { anything: true } }),
        Buffer.from([0xff, 0xfe, 0x00]),
        JSON.stringify({ command: 'EVENT_APC_WIFI_LIST', payload: [{ cookerId, type: 'a7', name: 'Survivor' }] }),
        JSON.stringify({ command: 'EVENT_APC_STATE', payload: state }),
      ];
      for (const f of frames) ws.send(f);
    });
    const logs = new MemoryLogger();
    const client = new AnovaClient({ ...FAST, url: `ws://127.0.0.1:${port}`, token: BAD_TOKEN, logger: logs });
    try {
      client.start();
      const snap = await client.whenReady(5000);
      expect(snap.info).toEqual({ cookerId, type: 'a7', name: 'Survivor' });
      expect(snap.online).toBe(true);
      expect(client.devices()).toHaveLength(1);
      expect(client.cloudStatus().state).toBe('connected');
      expect(logs.records.filter((l) => l.level === 'error')).toEqual([]);
      expect(logs.named('anova ignored device list')).toHaveLength(1);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
    expect(logs.text()).not.toContain(BAD_TOKEN);
  });
});

describe('close()', () => {
  test('rejects pending and queued commands, clears every timer, and never reconnects', async () => {
    const before = await clientTimers.count();
    r = await rig();
    const { client, sim } = r;
    await online(client);
    sim.setCommandAnswer({ mode: 'silent' });
    const inFlight = client.stopCook();
    const queued = client.setTemperatureUnit('F');
    await waitForEvent(sim.events, 'command');
    const disconnected = waitForEvent(sim.events, 'disconnect');

    await client.close();
    await rejectsWith(inFlight, 'CLOUD_UNREACHABLE');
    await rejectsWith(queued, 'CLOUD_UNREACHABLE');
    await disconnected;
    expect(client.cloudStatus().state).toBe('closed');
    expect(sim.connectionCount()).toBe(0);
    await rejectsWith(client.stopCook(), 'CLOUD_UNREACHABLE');
    client.start(); // no effect after close
    await client.close(); // idempotent

    await r.stop();
    r = undefined;
    expect(await clientTimers.count()).toBeLessThanOrEqual(before);
  });

  test('while waiting to reconnect: the pending retry is cancelled', async () => {
    const before = await clientTimers.count();
    r = await rig();
    const { client, sim, logs } = r;
    await online(client);
    sim.setRefuseConnections(true);
    sim.dropConnections('abort');
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');

    await client.close();
    const attempts = logs.named('anova connecting').length;
    await r.stop();
    r = undefined;
    expect(await clientTimers.count()).toBeLessThanOrEqual(before);
    expect(logs.named('anova connecting')).toHaveLength(attempts);
    expect(client.cloudStatus().state).toBe('closed');
  });

  test('whenReady() gives up with TIMEOUT, and with CLOUD_UNREACHABLE when the client is closed meanwhile', async () => {
    r = await rig();
    const { client, sim } = r;
    sim.setRefuseConnections(true);
    client.start();
    await rejectsWith(client.whenReady(100), 'TIMEOUT');

    const waiting = client.whenReady(10_000);
    await client.close();
    await rejectsWith(waiting, 'CLOUD_UNREACHABLE');
    await rejectsWith(client.whenReady(10_000), 'CLOUD_UNREACHABLE');
  });

  test('before start(): nothing to close, status closed', async () => {
    const client = new AnovaClient({ ...FAST, url: 'ws://127.0.0.1:9', token: BAD_TOKEN, logger: new MemoryLogger() });
    await client.close();
    expect(client.cloudStatus().state).toBe('closed');
    await rejectsWith(client.stopCook(), 'CLOUD_UNREACHABLE');
  });

  test('a bad URL is refused at construction without quoting it', () => {
    expect(
      () => new AnovaClient({ url: `http://x?token=${BAD_TOKEN}`, token: BAD_TOKEN, logger: new MemoryLogger() }),
    ).toThrow(/ws:\/\/ or wss:\/\//);
    let thrown: unknown;
    try {
      new AnovaClient({ url: `not a url ${BAD_TOKEN}`, token: BAD_TOKEN, logger: new MemoryLogger() });
    } catch (err) {
      thrown = err;
    }
    expect(String(thrown)).toMatch(/not a valid URL/);
    expect(String(thrown)).not.toContain(BAD_TOKEN);
  });
});
