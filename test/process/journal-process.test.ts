/**
 * The journal and the notification outbox with the compiled server as a real process: kill -9
 * in the middle of a cook, a second server on the same data, a data directory it may not write,
 * a backup beside the running server, and notifications due at SIGTERM delivered after the restart.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from '../../app/journal/database';
import { startSimulator } from '../../app/simulator/index';
import { damagedDataDir } from '../journal/damaged';
import type { SimulatorHandle } from '../../app/simulator/types';
import { until, waitForEvent } from '../helpers/events';
import { http, type HttpResponse } from '../helpers/http';
import { CLI, run, type Proc } from '../helpers/process';
import { startReceiver, type Receiver } from '../notify/support';

const KEY = 'process-journal-key-0123456789abcdefghijklmn';
const RUNS_AS_ROOT = process.getuid?.() === 0;

let sim: SimulatorHandle;
beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true); // run `npm run build` first
  // A warm bath and 600x time: a 10-minute cook is done in a second.
  sim = await startSimulator({ pushIntervalMs: 50, timeScale: 600, cookers: [{ waterTempC: 64 }] });
});
afterAll(() => sim.close());
/** Every process a test started; killed after it, so a failing test leaves nothing running. */
const started: Proc[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  sim.reset();
});

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function serverEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: KEY,
    ANOVA_TOKEN: sim.token,
    ANOVA_WS_URL: sim.url,
    ANOVA_OFFLINE_AFTER_SECONDS: '30',
    DATA_DIR: dataDir,
    ...extra,
  };
}

async function startServer(env: Record<string, string>, spawnOptions = {}): Promise<{ p: Proc; base: string }> {
  const p = run(['serve'], env, [], spawnOptions);
  started.push(p);
  const listening = await p.waitForLog('server listening');
  await p.waitForLog('anova device selected');
  return { p, base: `http://127.0.0.1:${listening.port}` };
}

const api = (base: string, path: string, method = 'GET', body?: unknown): Promise<HttpResponse> =>
  http(base, { method, path, body, headers: { authorization: `Bearer ${KEY}` } });

/** Asks /status after each state the simulator pushes, until `check` holds (under the 60/min limit). */
async function statusUntil(base: string, check: (body: any) => boolean): Promise<any> {
  for (let i = 0; i < 50; i++) {
    const res = await api(base, '/status');
    if (res.status === 200 && check(res.body)) return res.body;
    await waitForEvent(sim.events, 'push');
  }
  throw new Error('status never matched');
}

test('kill -9 in the middle of a cook with writes in flight: the file is intact and the cook is reattached', async () => {
  // The cooker's timer must agree with the server's clock to be recognised as ours: real time, fast heater.
  sim.setTimeScale(1);
  sim.setPhysics({ heatingRateCPerMin: 600 });
  const dataDir = tempDir('anova-kill-');
  const first = await startServer(serverEnv(dataDir));
  const start = await api(first.base, '/start-cook', 'POST', {
    temperature_celsius: 65,
    time_minutes: 600,
    food_type: 'chicken breast',
    thickness_mm: 25,
  });
  expect(start.status).toBe(200);
  await statusUntil(first.base, (s) => s.state === 'cooking');
  const before = (await api(first.base, '/status')).body;

  first.p.child.kill('SIGKILL');
  expect((await first.p.exited).signal).toBe('SIGKILL');

  const check = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  expect(check.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  // What the first server had committed (the samples waiting with the events it wrote).
  const committed = (
    check
      .prepare('SELECT s.at FROM samples s JOIN cooks c ON c.id = s.cook WHERE c.cook_id = ? ORDER BY s.at')
      .all(start.body.cook_id) as Array<{ at: number }>
  ).map((r) => new Date(r.at).toISOString());
  check.close();
  expect(committed.length).toBeGreaterThanOrEqual(1);

  const second = await startServer(serverEnv(dataDir));
  const after = await statusUntil(second.base, (s) => s.cook_id !== null);
  expect(after).toMatchObject({ cook_id: start.body.cook_id, food_type: 'chicken breast', state: 'cooking' });
  expect(
    Math.abs(Date.parse(after.estimated_completion) - Date.parse(before.estimated_completion)),
  ).toBeLessThanOrEqual(2_000);
  const cook = (await api(second.base, `/cooks/${start.body.cook_id}`)).body;
  expect(cook.end_reason).toBe('running');
  expect(cook.events.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['started', 'server_restarted']),
  );
  // Every sample the first server had committed survives the kill; at most the unflushed ones were lost.
  const served = cook.samples.map((x: { at: string }) => x.at);
  expect(served.slice(0, committed.length)).toEqual(committed);
  second.p.child.kill('SIGTERM');
  expect((await second.p.exited).code).toBe(0);
});

test('a second server on the same data directory refuses to start, with a clear message, and the first runs on', async () => {
  const dataDir = tempDir('anova-twice-');
  const first = await startServer(serverEnv(dataDir));
  const second = run(['serve'], serverEnv(dataDir));
  started.push(second);
  const exit = await second.exited;
  expect(exit.code).toBe(2);
  expect(second.stderr.join('')).toMatch(/Another Anova Control Server is already using the data directory/);
  expect((await api(first.base, '/cooks')).status).toBe(200);
  first.p.child.kill('SIGTERM');
  expect((await first.p.exited).code).toBe(0);
});

test('a data directory the server may not write: it starts, cooks, and says journal degraded', async () => {
  const parent = tempDir('anova-readonly-');
  const dataDir = join(parent, 'data');
  mkdirSync(dataDir);
  // Root ignores permissions, so as root the server runs as uid 1000 (what the image uses).
  const asUser = RUNS_AS_ROOT ? { uid: 1000, gid: 1000 } : {};
  chmodSync(parent, 0o755);
  chmodSync(dataDir, 0o555);
  if (RUNS_AS_ROOT) chownSync(dataDir, 0, 0);
  const { p, base } = await startServer(serverEnv(dataDir), asUser);
  const health = await http(base, { path: '/health' });
  expect([health.status, health.body.journal]).toEqual([200, 'degraded']);
  expect((await api(base, '/cooks')).status).toBe(503);
  const start = await api(base, '/start-cook', 'POST', {
    temperature_celsius: 65,
    time_minutes: 30,
    food_type: 'carrots',
  });
  expect(start.status).toBe(200);
  const unavailable = p.lines.filter((l) => l.includes('journal unavailable'));
  expect(unavailable).toHaveLength(1);
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
});

test('backup beside the running server: a consistent, checked copy that holds the cook', async () => {
  const dataDir = tempDir('anova-backup-');
  const { p, base } = await startServer(serverEnv(dataDir));
  const start = await api(base, '/start-cook', 'POST', {
    temperature_celsius: 65,
    time_minutes: 30,
    food_type: 'carrots',
  });
  expect(start.status).toBe(200);
  const dest = join(tempDir('anova-backup-out-'), 'copy.db');
  const backup = run(['backup', dest], { DATA_DIR: dataDir });
  expect((await backup.exited).code).toBe(0);
  expect(backup.lines.join('\n')).toMatch(/Backup written: .*copy\.db \(\d+ bytes, 1 cooks, integrity ok\)/);
  const copy = new DatabaseSync(dest, { readOnly: true });
  expect(copy.prepare('SELECT cook_id FROM cooks').all()).toEqual([{ cook_id: start.body.cook_id }]);
  copy.close();
  const again = run(['backup', dest], { DATA_DIR: dataDir });
  expect((await again.exited).code).toBe(1); // never overwrites
  expect(again.stderr.join('')).toMatch(/already exists/);
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
});

test('a backup or a restore that fails leaves no scratch file behind (`backup -`, `restore -`)', async () => {
  const damaged = damagedDataDir();
  const backup = run(['backup', '-'], { DATA_DIR: damaged });
  expect((await backup.exited).code).toBe(1);
  expect(backup.stderr.join('')).toMatch(/Backup failed: .*malformed/);
  expect(readdirSync(join(damaged, 'backups'))).toEqual([]); // no .snapshot-*

  const dataDir = tempDir('anova-restore-');
  const restore = run(['restore', '-'], { DATA_DIR: dataDir }); // stdin is empty: not a database
  expect((await restore.exited).code).toBe(1);
  expect(restore.stderr.join('')).toMatch(/Restore failed: .*not a sound database/);
  expect(readdirSync(dataDir).filter((f) => f.startsWith('.incoming-'))).toEqual([]);
});

describe('notifications across a restart', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => receiver.close());

  test('a notification due while the receiver is down survives SIGTERM and is delivered after the restart, same event id', async () => {
    await receiver.down();
    const dataDir = tempDir('anova-outbox-');
    const env = serverEnv(dataDir, {
      NOTIFY_WEBHOOK_URL: receiver.url('/hook'),
      NOTIFY_EVENTS: 'cook_done',
      LOG_LEVEL: 'debug',
    });
    const first = await startServer(env);
    // 10 simulated minutes at 600x: the timer runs out within a second and cook_done is due.
    const start = await api(first.base, '/start-cook', 'POST', {
      temperature_celsius: 65,
      time_minutes: 10,
      food_type: 'carrots',
    });
    expect(start.status).toBe(200);
    await first.p.waitForLog('notification attempt failed; retrying');
    first.p.child.kill('SIGTERM');
    expect((await first.p.exited).code).toBe(0);

    await receiver.up();
    const delivered = until(receiver.events, 'request', () => receiver.requests.length > 0, 15_000);
    const second = await startServer(env);
    await delivered;
    const [req] = receiver.requests;
    const body = JSON.parse(req.body.toString('utf8'));
    expect(body).toMatchObject({ event: 'cook_done', cook_id: start.body.cook_id });
    expect(req.headers['x-anova-event-id']).toBe(body.event_id);
    second.p.child.kill('SIGTERM');
    expect((await second.p.exited).code).toBe(0);
    expect(receiver.requests.filter((r) => JSON.parse(r.body.toString()).event === 'cook_done')).toHaveLength(1);
  });
});
