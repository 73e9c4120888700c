'use strict';
/**
 * Memory of the server under requests, with everything loaded: `cli.js serve` with the
 * production flags, started from a private copy of the node binary (so its PSS is what it
 * would be alone on the Pi), the journal open, a cook running (the monitor live),
 * notifications going to a loopback receiver. Checkpoints: idle after start (the MCP SDK not
 * loaded yet: it loads on the first /mcp request), after one /mcp request, then every 10,000
 * mixed requests up to 100,000. Each checkpoint: RSS and PSS from /proc, the heap before and
 * after a forced GC from the probe.
 *
 * Growth check: once the rate limiters' client tables have reached their steady size (full at
 * 1,000 clients each after about 5,000 requests of this mix), the heap after a forced GC must
 * be flat over the rest of the run (judged from 50,000 on, well clear of any warm-up).
 *
 * At the end, what it is made of: a heap snapshot (by type and constructor) and the node
 * binary's resident pages (by part: ICU data, V8 builtins, other code...).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { delay } = require('../lib/http');
const { slope, MB } = require('../lib/stats');
const { checkpoint, slim } = require('../lib/checkpoint');
const { startReceiver } = require('../lib/receivers');
const { MCP_HEADERS, MCP_TOOLS_LIST, startCook, stopCook, mcpToolsList } = require('../lib/requests');
const { summariseHeapSnapshot } = require('../lib/heap-snapshot');
const { binaryResidency } = require('../lib/residency');

const VALID_COOK = JSON.stringify({ temperature_celsius: 65, time_minutes: 600, food_type: 'chicken breast' });
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };
const STEADY_AFTER_REQUESTS = 50_000;
const UNSAFE_COOK = JSON.stringify({ temperature_celsius: 50, time_minutes: 90, food_type: 'chicken breast' });
const WRONG_KEY = { authorization: 'Bearer wrong-key-wrong-key-wrong-key-wrong' };

/**
 * Reads, refusals, every kind of 4xx and an MCP call, each request from a new client. Every
 * rate-limited endpoint gets 3 of the 15 requests, so each limiter's client table (1,000 at
 * most) is full after about 5,000 requests, the failed-auth table too: from then on, any growth
 * is a leak, not a table filling up.
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
  { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_TOOLS_LIST }, // 200, a fresh MCP server per request
];

async function memoryGrowth(ctx) {
  const logFile = path.join(ctx.tmpDir, 'memory-server.log');
  const receiver = await startReceiver('answer');
  const server = await spawnServer({
    sim: ctx.sim,
    execPath: ctx.privateNode,
    logFile,
    env: { NOTIFY_WEBHOOK_URL: receiver.url },
  });
  try {
    await server.waitReady();
    await startCook(server, JSON.parse(VALID_COOK));
    await delay(ctx.plan.idleSettleMs);
    const idle = await checkpoint(server, { requests: 0, label: 'idle' });
    const mcpFirstMs = await mcpToolsList(server);
    await delay(500);
    const afterMcp = await checkpoint(server, { requests: 1, label: 'after one /mcp request' });
    const checkpoints = [idle, afterMcp];
    const statuses = {};
    let sent = 0;
    for (let step = 1; step <= ctx.plan.memorySteps; step++) {
      ctx.progress(`memory: ${(sent + ctx.plan.memoryStepRequests).toLocaleString('en-US')} mixed requests`);
      const r = await runLoad({
        url: server.url,
        connections: 10,
        amount: ctx.plan.memoryStepRequests,
        requests: MIXED_REQUESTS,
      });
      sent += r.requests;
      for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
      checkpoints.push(await checkpoint(server, { requests: sent, label: `${sent} requests` }));
    }
    const last = checkpoints[checkpoints.length - 1];

    // The mappings first: writing a heap snapshot grows the malloc heap by tens of MB.
    const smaps = smapsByKind(server.pid, ctx.privateNode);
    let binary = null;
    try {
      binary = binaryResidency(server.pid, ctx.privateNode);
    } catch (err) {
      binary = { failed: String(err.message ?? err) };
    }
    let heap = null;
    if (ctx.plan.heapSnapshot) {
      ctx.progress('memory: heap snapshot');
      const file = path.join(ctx.tmpDir, 'server.heapsnapshot');
      await server.heapSnapshot(file);
      heap = summariseHeapSnapshot(JSON.parse(fs.readFileSync(file, 'utf8')));
      fs.rmSync(file, { force: true });
    }
    await stopCook(server);

    const points = checkpoints.map(slim);
    const steady = points.filter((p) => p.requests >= STEADY_AFTER_REQUESTS);
    const perTenThousand = (key) => slope(steady.map((p) => ({ x: p.requests / 10_000, y: p[key] / MB })));
    return {
      flags: server.flags,
      checkpoints: points,
      statuses,
      mcpFirstRequestMs: mcpFirstMs,
      notificationsDelivered: receiver.received(),
      steadyFrom: steady.length >= 2 ? steady[0].requests : null,
      slopeMbPer10k:
        steady.length >= 2
          ? {
              rss: perTenThousand('rss'),
              pss: perTenThousand('pss'),
              heapUsedAfterGc: perTenThousand('heapUsedAfterGc'),
            }
          : null,
      idleDetail: idle.detail,
      afterMcpDetail: afterMcp.detail,
      finalDetail: last.detail,
      heap,
      binary,
      smaps,
    };
  } finally {
    await server.stop();
    await receiver.close();
    fs.rmSync(logFile, { force: true });
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/**
 * PSS by kind of mapping (/proc/<pid>/smaps): the node binary, V8's heap and other anonymous
 * mappings, malloc's [heap], shared libraries, the database's -shm, the rest.
 */
function smapsByKind(pid, nodeFile) {
  const out = {};
  let kind = null;
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      kind =
        name === nodeFile
          ? 'node binary'
          : name === ''
            ? 'anonymous (V8 heap, JIT code, thread stacks, large allocations)'
            : name === '[heap]'
              ? 'malloc heap ([heap])'
              : /\.so(\.|$)/.test(name)
                ? 'shared libraries (libc, libstdc++...)'
                : name.endsWith('-shm')
                  ? 'database -shm'
                  : 'other';
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss && kind) out[kind] = (out[kind] ?? 0) + Number(pss[1]) * 1024;
  }
  return out;
}

module.exports = { memoryGrowth, smapsByKind };
