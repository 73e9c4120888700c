/**
 * The compiled server as a real process (what Docker runs): start-up, bad configuration,
 * and SIGTERM with a request in flight. Needs `npm run build` (npm test does it first).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../app/simulator/index';
import type { ReceivedFrame, SimulatorHandle } from '../../app/simulator/types';
import { waitForEvent } from '../helpers/events';
import { http } from '../helpers/http';
import { CLI, run } from '../helpers/process';

const KEY = 'process-test-key-0123456789abcdefghijklmnop';

let sim: SimulatorHandle;
beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true); // run `npm run build` first
  sim = await startSimulator({ pushIntervalMs: 100 });
});
afterAll(async () => {
  await sim.close();
});

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: KEY,
    ANOVA_TOKEN: sim.token,
    ANOVA_WS_URL: sim.url,
    ANOVA_COMMAND_TIMEOUT_SECONDS: '10',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'anova-process-')),
    ...extra,
  };
}

test('bad configuration: exit code 2 with every problem listed and no secret printed', async () => {
  const p = run(['serve'], { API_KEY: 'too-short-secret', ANOVA_WS_URL: 'http://nope' });
  const { code } = await p.exited;
  expect(code).toBe(2);
  const err = p.stderr.join('');
  expect(err).toMatch(/API_KEY must be at least 32 characters/);
  expect(err).toMatch(/ANOVA_TOKEN is required/);
  expect(err).toMatch(/ANOVA_WS_URL/);
  expect(err).not.toContain('too-short-secret');
});

test('SIGTERM while a start-cook is in flight: the request is answered and the process exits 0 within 5 s', async () => {
  const p = run(['serve'], serverEnv());
  const listening = await p.waitForLog('server listening');
  await p.waitForLog('anova device selected');
  const base = `http://127.0.0.1:${listening.port}`;

  sim.setResponseDelayMs(8_000); // the cloud is slow to acknowledge
  const reached = waitForEvent<ReceivedFrame>(sim.events, 'command', (r) => r.frame.command === 'CMD_APC_START');
  const inFlight = http(base, {
    method: 'POST',
    path: '/start-cook',
    headers: { authorization: `Bearer ${KEY}` },
    body: { temperature_celsius: 85, time_minutes: 30, food_type: 'carrots' },
  });
  await reached;
  const signalledAt = Date.now();
  p.child.kill('SIGTERM');
  const [res, exit] = await Promise.all([inFlight, p.exited]);
  sim.setResponseDelayMs(0);

  expect(exit.code).toBe(0);
  expect(exit.at - signalledAt).toBeLessThan(5_000);
  expect([200, 503]).toContain(res.status); // answered, or failed cleanly in the documented shape
  if (res.status === 503) expect(res.body.error).toBe('CLOUD_UNREACHABLE');
  expect(p.lines.join('\n')).not.toContain(KEY);
  expect(p.lines.join('\n')).not.toContain(sim.token);
});

test('an uncaught error is logged with its stack and ends the process non-zero (Docker restarts it)', async () => {
  // A preload that throws from a timer once the server runs: the crash a bug would cause.
  const dir = mkdtempSync(join(tmpdir(), 'anova-crash-'));
  const preload = join(dir, 'crash.js');
  writeFileSync(preload, "setTimeout(() => { throw new Error('deliberate crash for the test'); }, 300);\n");
  const p = run(['serve'], serverEnv(), ['-r', preload]);
  await p.waitForLog('server listening');
  const exit = await p.exited;
  expect(exit.code).toBe(1);
  const crash = p.lines
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .find((r) => r?.message === 'uncaught exception');
  expect(crash).toMatchObject({ level: 'error', error: { message: 'deliberate crash for the test' } });
  expect(crash.error.stack).toContain('crash.js');
});

test('SIGINT when idle: exits 0 promptly', async () => {
  const p = run(['serve'], serverEnv());
  await p.waitForLog('server listening');
  const at = Date.now();
  p.child.kill('SIGINT');
  const exit = await p.exited;
  expect(exit.code).toBe(0);
  expect(exit.at - at).toBeLessThan(5_000);
});

test('SIGTERM at the very first log line, 20 times: a clean exit 0 every time', async () => {
  // The signal handlers exist before anything is logged, so no start-up window kills the process.
  const exits: Array<number | null> = [];
  for (let i = 0; i < 20; i++) {
    const p = run(['serve'], serverEnv());
    await new Promise<void>((resolve) => p.child.stdout!.once('data', () => resolve()));
    p.child.kill('SIGTERM');
    exits.push((await p.exited).code);
  }
  expect(exits).toEqual(Array(20).fill(0));
}, 60_000);

test('generate-api-key prints sk-anova- and 32 random bytes in URL-safe base64', async () => {
  const a = run(['generate-api-key'], {});
  const b = run(['generate-api-key'], {});
  await Promise.all([a.exited, b.exited]);
  const [ka, kb] = [a.lines[0], b.lines[0]];
  expect(ka).toMatch(/^sk-anova-[A-Za-z0-9_-]{43}$/);
  expect(ka).not.toBe(kb);
});

test('check-config says what is wrong, or summarises without secrets', async () => {
  const bad = run(['check-config'], { API_KEY: 'x' });
  expect((await bad.exited).code).toBe(2); // the one exit code for bad configuration, as `serve` uses
  expect(bad.stderr.join('')).toMatch(/ANOVA_TOKEN is required/);
  const good = run(['check-config'], serverEnv());
  expect((await good.exited).code).toBe(0);
  const out = good.lines.join('\n');
  expect(out).toMatch(/Configuration OK/);
  expect(out).not.toContain(KEY);
  expect(out).not.toContain(sim.token);
});

test('list-devices prints each cooker with id, name, type and online state', async () => {
  const p = run(['list-devices'], { ANOVA_TOKEN: sim.token, ANOVA_WS_URL: sim.url });
  const exit = await p.exited;
  expect(exit.code).toBe(0);
  const out = p.lines.join('\n');
  const cooker = sim.cooker();
  expect(out).toMatch(/ID\s+NAME\s+TYPE\s+ONLINE/);
  expect(out).toContain(cooker.cookerId);
  expect(out).toContain('a7');
  expect(out).toMatch(/online/);
  expect(out).not.toContain(sim.token);
});
