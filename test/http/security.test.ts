/**
 * Authentication details, the failed-auth throttle, secrets in logs and bodies, error bodies
 * without internals, and hostile bodies.
 */
import crypto from 'node:crypto';
import { keyMatches } from '../../app/http/middleware/auth';
import { createHttpApp } from '../../app/http/server';
import type { ApiOperations } from '../../app/api/operations';
import { startStack, TEST_API_KEY, type Stack } from '../helpers/stack';
import { captureLogger } from '../helpers/logs';
import { http } from '../helpers/http';

let stack: Stack;
let ip = 0;
const client = () => ({ 'cf-connecting-ip': `10.2.0.${++ip}` });
const bodies: string[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  // Across everything this file did: the key and the token never left the server.
  const everything = [stack.logs.lines.join('\n'), ...bodies].join('\n');
  expect(everything).not.toContain(TEST_API_KEY);
  expect(everything).not.toContain(stack.sim.token);
  await stack.close();
});

async function call(req: Parameters<Stack['raw']>[0]) {
  const res = await stack.raw(req);
  bodies.push(res.text, JSON.stringify(res.headers));
  return res;
}

test.each([
  ['no header', undefined],
  ['wrong scheme', `Basic ${Buffer.from(`user:${TEST_API_KEY}`).toString('base64')}`],
  ['Bearer without a key', 'Bearer'],
  ['wrong key', 'Bearer not-the-key-but-long-enough-0000000000000'],
  ['the key with a prefix', `Bearer x${TEST_API_KEY}`],
  ['the key as a token68 of another scheme', `Token ${TEST_API_KEY}`],
])('%s → 401 that never echoes what was sent', async (_name, authorization) => {
  const headers: Record<string, string> = client();
  if (authorization) headers.authorization = authorization;
  const res = await call({ path: '/status', headers });
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  expect(res.body.error).toBe('UNAUTHORIZED');
  const credentials = authorization?.split(' ')[1];
  if (credentials) expect(res.text).not.toContain(credentials);
});

test('the comparison is a timing-safe equality of fixed-length digests', async () => {
  const spy = jest.spyOn(crypto, 'timingSafeEqual');
  const res = await call({ path: '/status', headers: { ...client(), authorization: 'Bearer short' } });
  expect(res.status).toBe(401);
  expect(spy).toHaveBeenCalled();
  const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
  expect(a.length).toBe(32);
  expect(b.length).toBe(32);
  spy.mockRestore();
  const digest = crypto.createHash('sha256').update(TEST_API_KEY).digest();
  expect(keyMatches(TEST_API_KEY, digest)).toBe(true);
  expect(keyMatches(TEST_API_KEY.slice(0, -1), digest)).toBe(false);
  expect(keyMatches('', digest)).toBe(false);
});

test('more than 10 failures a minute: 429 before the key is even checked', async () => {
  const attacker = client();
  for (let i = 0; i < 10; i++) {
    const res = await call({ path: '/status', headers: { ...attacker, authorization: `Bearer guess-${i}` } });
    expect(res.status).toBe(401);
  }
  const blocked = await call({ path: '/status', headers: { ...attacker, authorization: `Bearer ${TEST_API_KEY}` } });
  expect(blocked.status).toBe(429);
  expect(blocked.body.error).toBe('RATE_LIMITED');
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  expect(blocked.body.retry_after_seconds).toBe(Number(blocked.headers['retry-after']));
  // Another client is unaffected.
  const other = await call({ path: '/status', headers: { ...client(), authorization: `Bearer ${TEST_API_KEY}` } });
  expect(other.status).toBe(200);
});

test('a prototype-pollution body changes nothing and is judged on its own fields', async () => {
  const res = await call({
    method: 'POST',
    path: '/start-cook',
    headers: { ...client(), authorization: `Bearer ${TEST_API_KEY}` },
    body: '{"__proto__": {"temperature_celsius": 65, "polluted": true}, "constructor": {"prototype": {"polluted": true}}, "time_minutes": 90}',
  });
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('MISSING_TEMPERATURE');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('temperature_celsius');
});

test('an unexpected failure is a 500 INTERNAL_ERROR without stack or paths; the stack goes to the log', async () => {
  // The real service cannot be made to throw an arbitrary error, so this one route uses a stand-in.
  const broken = {
    getStatus: () => {
      throw new Error(`boom at ${__filename}`);
    },
  } as unknown as ApiOperations;
  const logs = captureLogger();
  const app = createHttpApp({
    logger: logs.logger,
    apiKey: TEST_API_KEY,
    trustProxy: false,
    operations: broken,
    journalHealth: () => 'ok',
    openApiJson: '{}',
    version: 'test',
    cloudConnected: () => true,
    clock: Date.now,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as { port: number };
    const res = await http(`http://127.0.0.1:${port}`, {
      path: '/status',
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'INTERNAL_ERROR', message: expect.any(String) });
    expect(res.text).not.toMatch(/boom|\/work|\.ts|at [A-Za-z]+ \(/);
    const logged = logs.records().find((r) => r.message === 'request failed');
    expect(JSON.stringify(logged)).toContain('boom');
    expect(logged?.requestId).toBe(res.headers['x-request-id']);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('the access log has one line per request with method, path, status, duration and id, and no headers or bodies', async () => {
  const before = stack.logs.lines.length;
  const res = await call({
    method: 'POST',
    path: '/start-cook?secret=1',
    headers: { ...client(), authorization: `Bearer ${TEST_API_KEY}` },
    body: { temperature_celsius: 30, time_minutes: 10, food_type: 'very-identifiable-food' },
  });
  const lines = stack.logs
    .records()
    .slice(before)
    .filter((r) => r.message === 'request');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    level: 'warn',
    method: 'POST',
    path: '/start-cook',
    status: res.status,
    requestId: res.headers['x-request-id'],
  });
  expect(typeof lines[0].durationMs).toBe('number');
  const text = JSON.stringify(lines[0]);
  expect(text).not.toContain('very-identifiable-food');
  expect(text).not.toContain('secret=1');
  expect(text).not.toMatch(/authorization/i);
});
