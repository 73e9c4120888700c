/**
 * Resilience: a flapping cloud. Ten drop/accept cycles in a row (an outage with refused
 * handshakes, then the cloud back), alternating clean closes and TCP aborts. Each cycle must
 * leave nothing behind: no socket, timer or listener more than before, and a stable heap.
 */
import type { CloudStatus } from '../../app/cooking/cooker';
import { heapUsedAfterGc } from '../helpers/memory';
import { trackAppTimers } from '../helpers/timers';
import { startStack, type Stack } from '../helpers/stack';
import { waitForEvent } from '../helpers/events';

const CYCLES = 10;
const CLIENT_EVENTS = ['status', 'devices', 'state', 'selected', 'online'] as const;
const SIM_EVENTS = ['connection', 'rejected', 'disconnect', 'frame', 'command', 'push', 'ping'] as const;

let stack: Stack;
let ip = 0;
const client = () => ({ 'cf-connecting-ip': `10.22.${Math.floor(++ip / 250)}.${ip % 250}` });

/**
 * Handles keeping this process alive, by kind (TCPSocketWrap, TCPServerWrap, ...). Timers and
 * immediates are left out: jest's own come and go in this process; appTimers() counts ours.
 */
function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind !== 'Timeout' && kind !== 'Immediate') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

const appTimers = trackAppTimers();

function listenerCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of CLIENT_EVENTS) counts[`client.${e}`] = stack.server.client.listenerCount(e);
  for (const e of SIM_EVENTS) counts[`sim.${e}`] = stack.sim.events.listenerCount(e);
  return counts;
}

/** Everything that would grow if a cycle leaked, taken right after a reconnect (same moment each time). */
async function footprint() {
  return {
    handles: activeHandles(),
    appTimers: await appTimers.count(),
    listeners: listenerCounts(),
    connections: stack.sim.connectionCount(),
  };
}

/** The captured log lines live in this process's heap: check them, then let them go before measuring. */
function drainLogs(): void {
  expect(stack.logs.records().filter((r) => r.level === 'error')).toEqual([]);
  stack.logs.lines.length = 0;
}

/** One flap: refuse, cut the socket, see the client get refused, accept again, wait for a fresh state. */
async function flap(i: number): Promise<void> {
  const refused = waitForEvent(stack.sim.events, 'rejected');
  stack.sim.setRefuseConnections(true);
  stack.sim.dropConnections(i % 2 === 0 ? 'abort' : 'close');
  await refused;
  const connected = waitForEvent<CloudStatus>(stack.server.client, 'status', (s) => s.state === 'connected');
  stack.sim.setRefuseConnections(false);
  await connected;
  await stack.ready();
}

beforeAll(async () => {
  stack = await startStack({
    env: { TRUST_PROXY: 'true' },
    // A backoff that never resets within the test keeps the set of pending timers identical at
    // every footprint (the "healthy connection" timer is always pending right after a reconnect).
    start: { client: { backoff: { initialMs: 20, maxMs: 100, healthyAfterMs: 60_000 } } },
  });
});
afterAll(async () => {
  await stack.close();
  appTimers.stop();
});

test(`${CYCLES} drop/accept cycles leak no socket, timer or listener, keep the heap flat, and end in the right state`, async () => {
  const start = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: client(),
    body: { temperature_celsius: 57, time_minutes: 240, food_type: 'salmon' },
  });
  expect(start.status).toBe(200);

  await flap(-1); // warm-up: the first reconnect creates the lazily built objects
  const before = await footprint();
  expect(before.appTimers).toBeGreaterThanOrEqual(3); // the tracker sees ours: push, ping and healthy timers at least

  for (let i = 0; i < CYCLES; i++) await flap(i);
  const after = await footprint();
  expect(after).toEqual(before);
  expect(after.connections).toBe(1);

  // The heap, once everything is warm (the first cycles still compile code and fill caches): ten
  // more cycles must not grow it by more than noise. A leaked socket with its buffers, or a
  // client wrapper per cycle, would add up well past this bound.
  drainLogs();
  const heapBefore = heapUsedAfterGc();
  for (let i = 0; i < CYCLES; i++) await flap(i);
  drainLogs();
  const heapAfter = heapUsedAfterGc();
  expect(heapAfter - heapBefore).toBeLessThan(1024 * 1024);
  expect(await footprint()).toEqual(before);

  // 2 × CYCLES + 1 reconnects, and the cook was neither re-sent nor lost.
  expect(stack.server.client.cloudStatus().state).toBe('connected');
  expect(stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START')).toHaveLength(1);
  const status = await stack.api({ path: '/status', headers: client() });
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({
    target_temp_celsius: 57,
    food_type: 'salmon',
    cook_id: start.body.cook_id,
    is_running: true,
  });
  expect(status.body.state).toBe(stack.sim.cooker().mode);
});
