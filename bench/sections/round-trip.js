'use strict';
/**
 * Start-cook round trip through the simulator with zero injected delay: POST /start-cook → 200
 * (validation, food safety, the command to the cloud and its acknowledgement), then
 * POST /stop-cook → 200, repeated on one keep-alive connection. GET /status on the same
 * connection is the floor (HTTP and auth, no cloud round trip).
 */
const http = require('node:http');
const { spawnServer, AUTH } = require('../lib/server-process');
const { request, nextClientIp } = require('../lib/http');
const { latencySummary } = require('../lib/stats');

const COOK = { temperature_celsius: 63, time_minutes: 75, food_type: 'chicken breast', thickness_mm: 25 };

async function roundTrip(ctx) {
  const server = await spawnServer({ sim: ctx.sim, execPath: ctx.privateNode, probe: false, logFile: '/dev/null' });
  await server.waitReady();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // Each request is its own client: start/stop allow 10 a minute per client.
  const call = (method, path, body) =>
    request(server.url + path, { method, body, agent, headers: { ...AUTH, 'cf-connecting-ip': nextClientIp() } });

  const start = [];
  const stop = [];
  const status = [];
  try {
    for (let i = 0; i < ctx.plan.roundTrips + 10; i++) {
      const warm = i < 10; // the first few compile the code paths
      const a = await call('POST', '/start-cook', COOK);
      if (a.status !== 200) throw new Error(`start-cook answered ${a.status} ${JSON.stringify(a.body)}`);
      const b = await call('POST', '/stop-cook');
      if (b.status !== 200) throw new Error(`stop-cook answered ${b.status} ${JSON.stringify(b.body)}`);
      const c = await call('GET', '/status');
      if (warm) continue;
      start.push(a.ms);
      stop.push(b.ms);
      status.push(c.ms);
    }
  } finally {
    agent.destroy();
    await server.stop();
    require('node:fs').rmSync(server.dataDir, { recursive: true, force: true });
  }
  return { startCookMs: latencySummary(start), stopCookMs: latencySummary(stop), statusMs: latencySummary(status) };
}

module.exports = { roundTrip };
