/**
 * Resilience: 50 concurrent clients hammer /status and /start-cook (valid and invalid bodies)
 * while the cloud connection is repeatedly cut, blackholed and refused. Every answer must be a
 * documented one (never a 500), rate limits must keep working, nothing may be started twice,
 * memory must stay bounded, and the server must come out of it serving the truth.
 */
import type { CloudStatus } from '../../app/cooking/cooker';
import { RATE_LIMITS } from '../../app/http/routes';
import { heapUsedAfterGc } from '../helpers/memory';
import { startStack, type Stack } from '../helpers/stack';
import { waitForEvent } from '../helpers/events';
import type { HttpResponse } from '../helpers/http';

const CLIENTS = 50;
/** Each client sends a start-cook in each of its first rounds: more than the per-minute limit. */
const START_ROUNDS = RATE_LIMITS.startCook + 4;
/** Clients keep going (a /status per round) until the faults are done, within the /status limit. */
const MAX_ROUNDS = RATE_LIMITS.status - 5;
/** Fault cycles to run: cut (abort, close), blackhole, refuse, twice each. */
const FAULTS = ['abort', 'blackhole', 'close', 'refuse', 'abort', 'blackhole', 'close', 'refuse'] as const;

const valid = { temperature_celsius: 65, time_minutes: 90, food_type: 'chicken breast' };
const unsafe = { temperature_celsius: 52, time_minutes: 90, food_type: 'chicken breast' };
const malformed = '{"temperature_celsius": 65, "time_minutes": ';

type Kind = 'status' | 'valid' | 'unsafe' | 'malformed';

/** The answers docs/api.md allows for each kind of request while the cloud misbehaves: status → error codes. */
const ALLOWED: Record<Kind, Record<number, string[]>> = {
  status: { 200: [], 503: ['DEVICE_OFFLINE'] },
  valid: {
    200: [],
    409: ['DEVICE_BUSY'],
    429: ['RATE_LIMITED'],
    503: ['CLOUD_UNREACHABLE', 'DEVICE_OFFLINE'],
    504: ['TIMEOUT'],
  },
  unsafe: { 400: ['POULTRY_TEMP_UNSAFE'], 429: ['RATE_LIMITED'] },
  malformed: { 400: ['INVALID_JSON'], 429: ['RATE_LIMITED'] },
};

interface Outcome {
  client: number;
  kind: Kind;
  status: number;
  error: string | undefined;
}

let stack: Stack;

/** Captured log lines live in this heap: check them, then drop them before measuring memory. */
function drainLogs(): void {
  // Error level is for the unexpected ('request failed', 'anova frame handling failed', ...); the
  // access line of a 503/504 is error level too, and expected here.
  expect(stack.logs.records().filter((r) => r.level === 'error' && r.message !== 'request')).toEqual([]);
  stack.logs.lines.length = 0;
}

beforeAll(async () => {
  stack = await startStack({
    sim: { behavior: { rateLimit: null } },
    env: {
      TRUST_PROXY: 'true',
      ANOVA_PING_INTERVAL_SECONDS: '0.1',
      ANOVA_OFFLINE_AFTER_SECONDS: '1',
      ANOVA_COMMAND_TIMEOUT_SECONDS: '0.5',
    },
    start: { client: { backoff: { initialMs: 10, maxMs: 50, healthyAfterMs: 60_000 } } },
  });
});
afterAll(async () => {
  await stack.close();
});

/** Runs the fault cycles one after another, each time waiting for the client to recover. */
async function injectFaults(): Promise<void> {
  const { sim, server } = stack;
  for (const fault of FAULTS) {
    const reconnected = () => waitForEvent<CloudStatus>(server.client, 'status', (s) => s.state === 'connected');
    switch (fault) {
      case 'abort':
      case 'close': {
        const back = reconnected();
        sim.dropConnections(fault);
        await back;
        break;
      }
      case 'blackhole': {
        const noticed = waitForEvent<CloudStatus>(server.client, 'status', (s) => s.state !== 'connected');
        sim.setBlackhole(true);
        await noticed;
        const back = reconnected();
        sim.setBlackhole(false);
        await back;
        break;
      }
      case 'refuse': {
        const refused = waitForEvent(sim.events, 'rejected');
        sim.setRefuseConnections(true);
        sim.dropConnections('abort');
        await refused;
        const back = reconnected();
        sim.setRefuseConnections(false);
        await back;
        break;
      }
    }
  }
}

async function runClient(n: number, faultsDone: () => boolean): Promise<Outcome[]> {
  const headers = { 'cf-connecting-ip': `10.24.${n}.1` };
  const outcomes: Outcome[] = [];
  const record = (kind: Outcome['kind'], res: HttpResponse) =>
    outcomes.push({ client: n, kind, status: res.status, error: res.body?.error });
  for (let round = 0; round < START_ROUNDS || (!faultsDone() && round < MAX_ROUNDS); round++) {
    record('status', await stack.api({ path: '/status', headers }));
    if (round >= START_ROUNDS) continue;
    const kind = (['valid', 'unsafe', 'malformed'] as const)[(n + round) % 3];
    const body = kind === 'valid' ? valid : kind === 'unsafe' ? unsafe : malformed;
    record(kind, await stack.api({ method: 'POST', path: '/start-cook', headers, body }));
  }
  return outcomes;
}

/** The same kinds of requests once per client, from other addresses: compiles and caches what the load uses. */
async function warmUp(): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, n) => {
      const headers = { 'cf-connecting-ip': `10.25.${n}.1` };
      await stack.api({ path: '/status', headers });
      await stack.api({ method: 'POST', path: '/start-cook', headers, body: unsafe });
      await stack.api({ method: 'POST', path: '/start-cook', headers, body: malformed });
    }),
  );
}

test(`${CLIENTS} clients during drops, blackholes and refusals: only documented answers, limits hold, no double start, bounded memory`, async () => {
  await warmUp();
  drainLogs();
  const heapBefore = heapUsedAfterGc();
  const startedAt = Date.now();

  let faultsDone = false;
  const faults = injectFaults().finally(() => {
    faultsDone = true;
  });
  const perClient = await Promise.all(Array.from({ length: CLIENTS }, (_, n) => runClient(n, () => faultsDone)));
  await faults;
  const elapsedMs = Date.now() - startedAt;
  const outcomes = perClient.flat();

  // Only documented answers; never a 500.
  const undocumented = outcomes.filter((o) => {
    const codes = ALLOWED[o.kind][o.status];
    return codes === undefined || (codes.length > 0 && !codes.includes(o.error ?? ''));
  });
  expect(undocumented).toEqual([]);
  // The faults really overlapped the load: both healthy and outage answers were seen.
  expect(outcomes.some((o) => o.kind === 'status' && o.status === 200)).toBe(true);
  expect(outcomes.some((o) => o.kind === 'status' && o.status === 503)).toBe(true);

  // The start-cook limit still applies to every client: 10 a minute plus what refilled meanwhile.
  const allowedStarts = RATE_LIMITS.startCook + Math.floor(elapsedMs / (60_000 / RATE_LIMITS.startCook));
  for (const mine of perClient) {
    const starts = mine.filter((o) => o.kind !== 'status');
    expect(starts).toHaveLength(START_ROUNDS);
    expect(starts.filter((o) => o.status !== 429).length).toBeLessThanOrEqual(allowedStarts);
    expect(mine.filter((o) => o.kind === 'status' && o.status === 429)).toEqual([]);
  }

  // No double start: at most one START ever reached the cloud (a start whose fate is unknown keeps
  // the cooker busy), and only with the valid body's values.
  const starts = stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START');
  expect(starts.length).toBeLessThanOrEqual(1);
  for (const s of starts) expect(s.frame.payload).toMatchObject({ targetTemperature: 65, timer: 90 * 60, unit: 'C' });
  expect(outcomes.filter((o) => o.status === 200 && o.kind === 'valid').length).toBeLessThanOrEqual(starts.length);

  // It comes out of it serving the truth.
  await stack.ready();
  const status = await stack.api({ path: '/status', headers: { 'cf-connecting-ip': '10.24.255.1' } });
  expect(status.status).toBe(200);
  expect(status.body.state).toBe(stack.sim.cooker().mode);
  expect((await stack.raw({ path: '/health', headers: { 'cf-connecting-ip': '10.24.255.2' } })).status).toBe(200);
  expect(stack.sim.connectionCount()).toBe(1);

  // Memory: bounded (the rate limiters hold 50 clients; nothing grows per request or per fault).
  drainLogs();
  const heapAfter = heapUsedAfterGc();
  expect(heapAfter - heapBefore).toBeLessThan(4 * 1024 * 1024);
});
