/**
 * `demo` as a newcomer runs it (the compiled CLI, a fresh data directory): it prints a working
 * key and URL, keeps API_KEY when one is set, and with --fast the server lives on the
 * simulator's clock, so estimated_completion is simulated time and holds still while the
 * 60x-fast timer runs (on the real clock it would slide a minute every real second).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '../helpers/http';
import { run, type Proc } from '../helpers/process';

/** The demo is another process: nothing to await but its answers, so ask again after a short pause. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

const started: Proc[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await p.exited;
  }
});

async function demo(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ base: string; key: string; control: string; p: Proc }> {
  const p = run(['demo', ...args], {
    PORT: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'anova-demo-')),
    LOG_LEVEL: 'warn',
    ...env,
  });
  started.push(p);
  const banner = await new Promise<string>((resolve, reject) => {
    let text = '';
    p.child.stdout!.on('data', (d) => {
      text += String(d);
      if (text.includes('Stop with Ctrl+C.')) resolve(text);
    });
    void p.exited.then(() => reject(new Error(`demo exited: ${p.stderr.join('')}`)));
  });
  const base = /API:\s+(\S+)/.exec(banner)![1];
  // The banner comes as soon as the server listens; the simulated cooker is known a moment later.
  while ((await http(base, { path: '/health' })).body?.anova?.connected !== true) await pause();
  return {
    p,
    base,
    key: /API key:\s+(\S+)/.exec(banner)![1],
    control: /control API (\S+)/.exec(banner)![1],
  };
}

test('the printed key and URL work; SIGTERM ends it with exit 0', async () => {
  const { p, base, key } = await demo([]);
  expect(key).toMatch(/^sk-anova-[A-Za-z0-9_-]{43}$/);
  const plan = await http(base, {
    path: '/cook-plan?temperature_celsius=63&food_type=chicken',
    headers: { authorization: `Bearer ${key}` },
  });
  expect(plan.status).toBe(200);
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
});

test('a set API_KEY is used, so a GPT pointed at the demo keeps working across restarts', async () => {
  const apiKey = 'demo-test-key-0123456789abcdefghijklmnopqrst';
  const { base, key } = await demo([], { API_KEY: apiKey });
  expect(key).toBe(apiKey);
  expect((await http(base, { path: '/cooks', headers: { authorization: `Bearer ${apiKey}` } })).status).toBe(200);
});

test('--fast: estimated_completion is simulated time and holds still while the timer runs 60x faster', async () => {
  const { base, key, control } = await demo(['--fast']);
  const auth = { authorization: `Bearer ${key}` };
  // Pushes 2 simulated seconds apart, as the real cloud's: the monitor's gap limit assumes it.
  const sim = (await http(control, { path: '/' })).body;
  expect(sim.timeScale).toBe(60);
  expect(sim.pushIntervalMs * sim.timeScale).toBeLessThanOrEqual(2000);
  const [cooker] = (await http(control, { path: '/cookers' })).body;
  await http(control, { method: 'POST', path: `/cookers/${cooker.cookerId}/water-temp`, body: { celsius: 65 } }); // no preheat
  const start = await http(base, {
    method: 'POST',
    path: '/start-cook',
    headers: auth,
    body: { temperature_celsius: 65, time_minutes: 90, food_type: 'carrots' },
  });
  expect(start.status).toBe(200);
  const read = async () => {
    await pause();
    return (await http(base, { path: '/status', headers: auth })).body;
  };
  let first = await read();
  while (first.state !== 'cooking') first = await read();
  let later = first;
  while (later.time_remaining_minutes > first.time_remaining_minutes - 3) later = await read(); // about 3 real seconds
  expect(Math.abs(Date.parse(later.estimated_completion) - Date.parse(first.estimated_completion))).toBeLessThan(
    30_000,
  );
}, 60_000);
