'use strict';
/**
 * Memory of the server process connected to the simulator: idle after start, then after every
 * step of 10,000 mixed requests (150,000 in all). Growth check: once the rate limiters' client
 * tables have reached their steady size (full at 1,000 clients each after about 5,000 requests of
 * this mix), the heap after a forced GC must be flat over the rest of the run (judged from 90,000
 * on, well clear of any warm-up). RSS comes from /proc (what the kernel charges); heap details and the forced
 * GC come from the bench-only probe preload.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { request, nextClientIp, delay } = require('../lib/http');
const { slope, MB } = require('../lib/stats');

const VALID_COOK = JSON.stringify({ temperature_celsius: 65, time_minutes: 600, food_type: 'chicken breast' });
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

/**
 * Each limiter sees 3 of every 14 requests: full (1,000 clients) after ~4,700 requests; its Map's
 * backing store settles soon after under the churn of evictions. From here on nothing may grow.
 */
const STEADY_AFTER_REQUESTS = 90_000;

const UNSAFE_COOK = JSON.stringify({ temperature_celsius: 50, time_minutes: 90, food_type: 'chicken breast' });
const WRONG_KEY = { authorization: 'Bearer wrong-key-wrong-key-wrong-key-wrong' };

/**
 * Reads, refusals and every kind of 4xx, each request from a new client. Every rate-limited
 * endpoint gets 3 of the 14 requests, so each limiter's client table (1,000 at most) is full
 * after about 4,700 requests, the failed-auth table too: from then on, any
 * growth is a leak, not a table filling up.
 */
const MIXED_REQUESTS = [
  { path: '/health' },
  { path: '/status', headers: AUTH },
  { method: 'POST', path: '/start-cook', headers: JSON_HEADERS, body: VALID_COOK }, // 409: a cook runs
  { method: 'POST', path: '/stop-cook' }, // 401
  { path: '/health' },
  { path: '/status', headers: AUTH },
  { method: 'POST', path: '/start-cook', headers: JSON_HEADERS, body: UNSAFE_COOK }, // 400 POULTRY_TEMP_UNSAFE
  { method: 'POST', path: '/stop-cook', headers: WRONG_KEY }, // 401
  { path: '/health' },
  { path: '/status', headers: WRONG_KEY }, // 401
  { method: 'POST', path: '/start-cook', headers: JSON_HEADERS, body: '{"temperature_celsius": 65,' }, // 400 INVALID_JSON
  { method: 'POST', path: '/stop-cook', headers: WRONG_KEY }, // 401
  { path: '/openapi.json' },
  { path: '/no-such-endpoint' }, // 404
];

async function memoryGrowth(ctx, config) {
  const logFile = path.join(ctx.tmpDir, 'memory-server.log');
  const server = await spawnServer({ sim: ctx.sim, flags: config.flags, logFile });
  await server.waitReady();
  const started = await request(`${server.url}/start-cook`, {
    method: 'POST',
    headers: { ...AUTH, 'cf-connecting-ip': nextClientIp() },
    body: VALID_COOK,
  });
  if (started.status !== 200) throw new Error(`could not start the cook for the memory run: ${started.status}`);
  await delay(ctx.plan.idleSettleMs);

  const checkpoints = [await checkpoint(server, 0)];
  const idleDetail = checkpoints[0].detail;
  const statuses = {};
  let sent = 0;
  for (let step = 1; step <= ctx.plan.memorySteps; step++) {
    ctx.progress(`memory [${config.label}]: ${sent + ctx.plan.memoryStepRequests} mixed requests`);
    const r = await runLoad({ url: server.url, connections: 10, amount: ctx.plan.memoryStepRequests, requests: MIXED_REQUESTS });
    sent += r.requests;
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    checkpoints.push(await checkpoint(server, sent));
  }
  const finalDetail = checkpoints[checkpoints.length - 1].detail;

  await request(`${server.url}/stop-cook`, { method: 'POST', headers: { ...AUTH, 'cf-connecting-ip': nextClientIp() } });
  await server.stop();
  fs.rmSync(logFile, { force: true });

  const points = checkpoints.map(({ detail, ...rest }) => rest);
  const steady = points.filter((p) => p.requests >= STEADY_AFTER_REQUESTS);
  const perTenThousand = (key) => slope(steady.map((p) => ({ x: p.requests / 10_000, y: p[key] / MB })));
  return {
    label: config.label,
    flags: config.flags,
    checkpoints: points,
    statuses,
    steadyFrom: steady[0]?.requests ?? null,
    // MB per 10,000 requests over the steady window; null when the run is too short to have one.
    slopeMbPer10k: { rss: perTenThousand('rss'), heapUsedAfterGc: perTenThousand('heapUsedAfterGc') },
    steadyRssRange: steady.length ? [Math.min(...steady.map((p) => p.rss)), Math.max(...steady.map((p) => p.rss))] : null,
    idleDetail,
    finalDetail,
  };
}

/** RSS as the kernel sees it, then the heap before and after a forced GC. */
async function checkpoint(server, requests) {
  const proc = server.memory();
  const { before, afterGc } = await server.sample({ gc: true });
  return {
    requests,
    rss: proc.rss,
    rssAnon: proc.rssAnon,
    rssFile: proc.rssFile,
    hwm: proc.hwm,
    heapTotal: before.memory.heapTotal,
    heapUsed: before.memory.heapUsed,
    heapUsedAfterGc: afterGc.memory.heapUsed,
    external: before.memory.external,
    newSpace: before.spaces.new_space?.size ?? null,
    rssAfterGc: server.memory().rss,
    detail: {
      spaces: before.spaces,
      heap: before.heap,
      code: before.code,
      modules: before.modules,
      resources: before.resources,
    },
  };
}

module.exports = { memoryGrowth };
