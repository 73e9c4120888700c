'use strict';
/** Small HTTP client for the benchmark's control requests (not the load itself: that is autocannon). */
const http = require('node:http');

/**
 * One request. Resolves {status, body (parsed JSON or undefined), text, ms}; rejects on a socket error
 * (e.g. ECONNREFUSED while a server is still starting).
 * @param {string} url
 * @param {{method?: string, headers?: Record<string,string>, body?: unknown, agent?: http.Agent|false}} [opts]
 */
function request(url, opts = {}) {
  const payload =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers = { ...(opts.headers ?? {}) };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: opts.agent ?? false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, text, ms: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Distinct client addresses for CF-Connecting-IP (with TRUST_PROXY=true), so per-client rate
 * limits never turn a benchmark into a measurement of 429s. One sequence for the whole bench
 * process: no two requests of any run share an address.
 */
let nextClient = 1;
function nextClientIp() {
  const n = nextClient++;
  return `${10 + ((n >>> 24) & 127)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const delay = (msToWait) => new Promise((resolve) => setTimeout(resolve, msToWait));

module.exports = { request, nextClientIp, delay };
