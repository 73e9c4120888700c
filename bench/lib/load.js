'use strict';
/**
 * HTTP load with autocannon (programmatic API, in the bench process: never the server's).
 * Each request carries its own CF-Connecting-IP so per-client rate limits do not turn the
 * benchmark into a measurement of 429s. Latencies are kept at full (sub-millisecond)
 * resolution from autocannon's 'response' events; its own histogram rounds to whole ms.
 */
const autocannon = require('autocannon');
const { latencySummary } = require('./stats');
const { nextClientIp } = require('./http');

/**
 * @param {object} o
 * @param {string} o.url            server base URL
 * @param {Array<{method?: string, path: string, headers?: object, body?: string}>} o.requests
 *                                  the sequence each connection loops over
 * @param {number} o.connections
 * @param {number} [o.durationS]    run for this long...
 * @param {number} [o.amount]       ...or until this many requests completed
 * @param {() => number} [o.serverCpuMs]  the server's CPU time so far (for CPU per request)
 */
async function runLoad(o) {
  const latencies = [];
  const statuses = {};
  let firstAt = null;
  let lastAt = null;
  const requests = o.requests.map((r) => ({
    method: r.method ?? 'GET',
    path: r.path,
    headers: { ...(r.headers ?? {}) },
    ...(r.body === undefined ? {} : { body: r.body }),
    setupRequest: (req) => {
      req.headers = { ...req.headers, 'cf-connecting-ip': nextClientIp() };
      return req;
    },
  }));
  const cpuBefore = o.serverCpuMs?.();
  const ownCpuBefore = process.cpuUsage();
  const started = performance.now();
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.durationS }),
    requests,
    timeout: 10,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    const now = performance.now();
    // The first response's own start is when the load really began (autocannon sets up first).
    firstAt ??= now - responseTime;
    lastAt = now;
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const wallMs = performance.now() - started;
  const serverCpuMs = cpuBefore === undefined ? null : o.serverCpuMs() - cpuBefore;
  const own = process.cpuUsage(ownCpuBefore);
  const total = latencies.length;
  // From the first request to the last response: autocannon notices the end of an `amount` run
  // only at its next sampling tick, which would otherwise count as idle time.
  const activeS = total > 1 ? (lastAt - firstAt) / 1000 : wallMs / 1000;
  const non200 = total - (statuses[200] ?? 0);
  return {
    connections: o.connections,
    seconds: activeS,
    requests: total,
    rps: total / activeS,
    latencyMs: latencySummary(latencies),
    statuses,
    non200Share: total === 0 ? null : non200 / total,
    errors: result.errors,
    timeouts: result.timeouts,
    // Share of one core; on a 2-core machine the generator's share is taken from the server.
    serverCpuShare: serverCpuMs === null ? null : serverCpuMs / wallMs,
    generatorCpuShare: (own.user + own.system) / 1000 / wallMs,
    serverCpuUsPerRequest: serverCpuMs === null || total === 0 ? null : (serverCpuMs * 1000) / total,
  };
}

module.exports = { runLoad };
