'use strict';
/**
 * What the idle RSS is made of. Each dependency is required alone in a fresh process and
 * measured before/after (heap after a GC, anonymous and file-backed RSS, modules, load time);
 * then the whole app (dist/app/main.js, loaded but not started). The floor is Node itself.
 * The numbers overlap (koa-bodyparser and koa share modules), so they do not add up exactly.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('../lib/server-process');

const SUBJECTS = [
  { name: '(node itself)', request: null },
  { name: 'envalid', request: 'envalid' },
  { name: 'ws', request: 'ws' },
  { name: '@koa/router', request: '@koa/router' },
  { name: 'winston', request: 'winston' },
  { name: 'koa-bodyparser', request: 'koa-bodyparser' },
  { name: 'koa', request: 'koa' },
  { name: 'the whole app (dist/app/main.js)', request: path.join(ROOT, 'dist', 'app', 'main.js') },
];

/** Runs in the measuring child: require one module between two GC'd snapshots. */
const MEASURE = `
const fs = require('node:fs');
const read = () => {
  const t = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+)', 'm').exec(t)[1]) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
};
const target = process.argv[1];
gc();
const m0 = process.memoryUsage(), p0 = read(), n0 = Object.keys(require.cache).length;
const t0 = process.hrtime.bigint();
if (target) require(require.resolve(target, { paths: [process.cwd()] }));
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
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', MEASURE, ...(s.request ? [s.request] : [])], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    return { name: s.name, ...JSON.parse(out) };
  });
}

module.exports = { composition };
