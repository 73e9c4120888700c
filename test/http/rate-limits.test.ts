/**
 * docs/api.md "Rate limits" and "Concurrency".
 */
import { RateLimiter } from '../../app/http/middleware/rate-limit';
import { startStack, type Stack } from '../helpers/stack';
import { until, waitForEvent } from '../helpers/events';
import type { ReceivedFrame } from '../../app/simulator/types';

const chicken = { temperature_celsius: 65, time_minutes: 90, food_type: 'chicken breast' };

describe('RateLimiter (token bucket)', () => {
  test('allows the limit, then asks to wait until a token is back', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 10, clock: () => now });
    for (let i = 0; i < 10; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(6); // one token per 6 s
    expect(limiter.take('b')).toBe(0);
    now += 6_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  test('forgets the least recently seen clients beyond maxClients (bounded memory)', () => {
    const limiter = new RateLimiter({ limit: 5, maxClients: 100 });
    for (let i = 0; i < 1_000; i++) limiter.take(`client-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe('over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(async () => {
    if (stack.sim.cooker().mode !== 'idle') {
      await stack.api({ method: 'POST', path: '/stop-cook', headers: { 'cf-connecting-ip': '10.9.9.9' } });
    }
  });

  test('GET /status: 60 a minute per client, then 429 with Retry-After', async () => {
    const me = { 'cf-connecting-ip': '10.3.0.1' };
    for (let i = 0; i < 60; i++) expect((await stack.api({ path: '/status', headers: me })).status).toBe(200);
    const res = await stack.api({ path: '/status', headers: me });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: 'RATE_LIMITED',
      message: expect.any(String),
      retry_after_seconds: expect.any(Number),
    });
    expect(res.headers['retry-after']).toBe(String(res.body.retry_after_seconds));
    expect((await stack.api({ path: '/status', headers: { 'cf-connecting-ip': '10.3.0.2' } })).status).toBe(200);
  });

  test('GET /health: 120 a minute per client', async () => {
    const me = { 'cf-connecting-ip': '10.3.1.1' };
    for (let i = 0; i < 120; i++) expect((await stack.raw({ path: '/health', headers: me })).status).toBe(200);
    expect((await stack.raw({ path: '/health', headers: me })).status).toBe(429);
  });

  test('POST /start-cook: 10 a minute, counting every request whatever its outcome', async () => {
    const me = { 'cf-connecting-ip': '10.3.2.1' };
    const outcomes: number[] = [];
    for (let i = 0; i < 4; i++)
      outcomes.push((await stack.raw({ method: 'POST', path: '/start-cook', headers: me, body: chicken })).status); // 401
    for (let i = 0; i < 6; i++)
      outcomes.push(
        (await stack.api({ method: 'POST', path: '/start-cook', headers: me, body: { time_minutes: 5 } })).status,
      ); // 400
    expect(outcomes).toEqual([401, 401, 401, 401, 400, 400, 400, 400, 400, 400]);
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: me, body: chicken });
    expect(res.status).toBe(429);
    expect(stack.sim.cooker().mode).toBe('idle');
  });

  test('POST /stop-cook: 10 a minute', async () => {
    const me = { 'cf-connecting-ip': '10.3.3.1' };
    for (let i = 0; i < 10; i++)
      expect((await stack.api({ method: 'POST', path: '/stop-cook', headers: me })).status).toBe(409);
    expect((await stack.api({ method: 'POST', path: '/stop-cook', headers: me })).status).toBe(429);
  });

  test('two starts within milliseconds: exactly one 200, the other 409 DEVICE_BUSY, one command sent', async () => {
    const before = stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START').length;
    const [a, b] = await Promise.all([
      stack.api({ method: 'POST', path: '/start-cook', headers: { 'cf-connecting-ip': '10.4.0.1' }, body: chicken }),
      stack.api({ method: 'POST', path: '/start-cook', headers: { 'cf-connecting-ip': '10.4.0.2' }, body: chicken }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a.body.error, b.body.error]).toContain('DEVICE_BUSY');
    expect(stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START').length).toBe(before + 1);
  });

  test('stop while a start is in flight: the stop wins and the cooker ends idle', async () => {
    stack.sim.setResponseDelayMs(300);
    const startReachedCloud = waitForEvent<ReceivedFrame>(
      stack.sim.events,
      'command',
      (r) => r.frame.command === 'CMD_APC_START',
    );
    const start = stack.api({
      method: 'POST',
      path: '/start-cook',
      headers: { 'cf-connecting-ip': '10.4.1.1' },
      body: chicken,
    });
    await startReachedCloud;
    const stop = stack.api({ method: 'POST', path: '/stop-cook', headers: { 'cf-connecting-ip': '10.4.1.2' } });
    const [s1, s2] = await Promise.all([start, stop]);
    stack.sim.setResponseDelayMs(0);
    expect(s1.status).toBe(200);
    expect(s2.status).toBe(200);
    expect(stack.sim.cooker().mode).toBe('idle');
    await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.mode === 'idle');
    const status = await stack.api({ path: '/status', headers: { 'cf-connecting-ip': '10.4.1.3' } });
    expect(status.body.state).toBe('idle');
  });

  test('status during a start: both complete', async () => {
    stack.sim.setResponseDelayMs(200);
    const [start, status] = await Promise.all([
      stack.api({ method: 'POST', path: '/start-cook', headers: { 'cf-connecting-ip': '10.4.2.1' }, body: chicken }),
      stack.api({ path: '/status', headers: { 'cf-connecting-ip': '10.4.2.2' } }),
    ]);
    stack.sim.setResponseDelayMs(0);
    expect(start.status).toBe(200);
    expect(status.status).toBe(200);
    expect(['idle', 'preheating']).toContain(status.body.state);
  });

  test('without TRUST_PROXY the CF-Connecting-IP header is ignored (cannot dodge limits)', async () => {
    const plain = await startStack({ sim: { pushIntervalMs: 200 } });
    try {
      for (let i = 0; i < 60; i++) {
        const res = await plain.api({ path: '/status', headers: { 'cf-connecting-ip': `10.5.0.${i}` } });
        expect(res.status).toBe(200);
      }
      expect((await plain.api({ path: '/status', headers: { 'cf-connecting-ip': '10.5.1.1' } })).status).toBe(429);
    } finally {
      await plain.close();
    }
  });
});
