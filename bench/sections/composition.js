'use strict';
/**
 * What the idle RSS is made of. Each dependency is required alone in a fresh process (the
 * production flags, the private copy of the node binary) and measured before/after (heap after a
 * GC, anonymous and file-backed RSS, modules, load time); then the MCP SDK with our tools (what
 * the first /mcp request loads), then the whole app (dist/app/main.js, loaded but not started).
 * The floor is Node itself.
 * The numbers overlap (koa-bodyparser and koa share modules), so they do not add up exactly.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('../lib/server-process');
const { productionFlags } = require('../lib/node-flags');

const SUBJECTS = [
  { name: '(node itself)', requests: [] },
  { name: 'envalid', requests: ['envalid'] },
  { name: 'ws', requests: ['ws'] },
  { name: '@koa/router', requests: ['@koa/router'] },
  { name: 'winston', requests: ['winston'] },
  { name: 'koa-bodyparser', requests: ['koa-bodyparser'] },
  { name: 'koa', requests: ['koa'] },
  { name: 'axios (notifications)', requests: ['axios'] },
  { name: 'node:sqlite (journal)', requests: ['node:sqlite'] },
  { name: 'zod', requests: ['zod'] },
  {
    name: 'MCP SDK and tools (loaded on the first /mcp request)',
    requests: [
      '@modelcontextprotocol/server',
      '@modelcontextprotocol/node',
      path.join(ROOT, 'dist', 'app', 'mcp', 'tools.js'),
    ],
  },
  { name: 'the whole app (dist/app/main.js)', requests: [path.join(ROOT, 'dist', 'app', 'main.js')] },
];

/** Runs in the measuring child: require one module between two GC'd snapshots. */
const MEASURE = `
const fs = require('node:fs');
const read = () => {
  const t = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+)', 'm').exec(t)[1]) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
};
const targets = process.argv.slice(1);
gc();
const m0 = process.memoryUsage(), p0 = read(), n0 = Object.keys(require.cache).length;
const t0 = process.hrtime.bigint();
for (const target of targets) require(require.resolve(target, { paths: [process.cwd()] }));
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
gc();
const m1 = process.memoryUsage(), p1 = read();
process.stdout.write(JSON.stringify({
  rss: p1.rss, rssAnon: p1.anon, rssFile: p1.file,
  heapUsedDelta: m1.heapUsed - m0.heapUsed, rssDelta: p1.rss - p0.rss, anonDelta: p1.anon - p0.anon, fileDelta: p1.file - p0.file,
  modules: Object.keys(require.cache).length - n0, loadMs,
}));
`;

function composition(ctx) {
  return SUBJECTS.map((s) => {
    ctx.progress(`composition: ${s.name}`);
    const out = execFileSync(ctx.privateNode, [...productionFlags(), '--expose-gc', '-e', MEASURE, ...s.requests], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    return { name: s.name, ...JSON.parse(out) };
  });
}

module.exports = { composition };
