'use strict';
/**
 * The cook journal's own costs:
 * - Memory, two ways. (1) The idle server with and without its database (DATA_DIR that cannot
 *   be created: the server runs degraded, with no SQLite connection), alternating, medians:
 *   what opening the database, its statements and its page cache cost. (2) The journal alone
 *   (bench/lib/journal-replay.js) through a 72-hour cook and reading it back, against the same
 *   replay with the journal degraded (the harness's own growth): what a cook adds.
 * - Bytes written per cook-hour and per idle hour, WAL checkpoints included, from the same
 *   replay: write_bytes with each commit written back before the next (as 10 real minutes apart
 *   would be), commits and checkpoints counted; and, when strace is installed, what SQLite
 *   itself asked to write to each file (the WAL's frames, the checkpoints into the database).
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnServer } = require('../lib/server-process');
const { checkpoint } = require('../lib/checkpoint');
const { productionFlags } = require('../lib/node-flags');
const { delay } = require('../lib/http');
const { median } = require('../lib/stats');

const REPLAY = path.join(__dirname, '..', 'lib', 'journal-replay.js');

function hasStrace() {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** One replay in a fresh data directory; under strace when asked (then bytes per file too). */
function replay(ctx, { cookHours, idleHours, control = false, strace = false }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anova-bench-journal-'));
  const traceFile = path.join(ctx.tmpDir, 'journal.strace');
  const nodeArgs = [
    ...productionFlags(),
    '--expose-gc',
    REPLAY,
    dataDir,
    String(cookHours),
    String(idleHours),
    ...(control ? ['control'] : []),
  ];
  try {
    const [cmd, args] = strace
      ? [
          'strace',
          ['-f', '-qq', '-y', '-e', 'trace=pwrite64,write,pwritev', '-o', traceFile, ctx.privateNode, ...nodeArgs],
        ]
      : [ctx.privateNode, nodeArgs];
    const out = JSON.parse(
      execFileSync(cmd, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 }),
    );
    if (strace) out.syscallBytes = syscallBytes(traceFile, dataDir);
    return out;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(traceFile, { force: true });
  }
}

/** Bytes passed to write/pwrite per file of the data directory, from an strace -y log. */
function syscallBytes(traceFile, dataDir) {
  const out = {};
  for (const line of fs.readFileSync(traceFile, 'utf8').split('\n')) {
    const m = /\b(?:pwrite64|pwritev|write)\(\d+<([^>]+)>.*\)\s+=\s+(\d+)$/.exec(line);
    if (!m || !m[1].startsWith(dataDir)) continue;
    const file = path.basename(m[1]);
    out[file] = (out[file] ?? 0) + Number(m[2]);
  }
  return out;
}

/** The idle server with its database, and without (degraded), in alternating rounds. */
async function withAndWithout(ctx) {
  const blocker = path.join(ctx.tmpDir, 'not-a-directory');
  fs.writeFileSync(blocker, '');
  const runs = { with: [], without: [] };
  for (let round = 0; round < ctx.plan.journalAbRounds; round++) {
    for (const variant of ['with', 'without']) {
      const server = await spawnServer({
        sim: ctx.sim,
        execPath: ctx.privateNode,
        logFile: 'count',
        ...(variant === 'without' ? { dataDir: path.join(blocker, 'data') } : {}),
      });
      try {
        await server.waitReady();
        await delay(ctx.plan.idleSettleMs);
        const health = await fetch(`${server.url}/health`).then((r) => r.json());
        const cp = await checkpoint(server, { variant, journal: health.journal });
        runs[variant].push(cp);
      } finally {
        await server.stop();
        if (variant === 'with') fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    }
  }
  const med = (variant, key) => median(runs[variant].map((r) => r[key]));
  const keys = ['rss', 'rssAnon', 'rssFile', 'pss', 'heapUsedAfterGc'];
  return {
    rounds: ctx.plan.journalAbRounds,
    journalStates: { with: runs.with.map((r) => r.journal), without: runs.without.map((r) => r.journal) },
    with: Object.fromEntries(keys.map((k) => [k, med('with', k)])),
    without: Object.fromEntries(keys.map((k) => [k, med('without', k)])),
  };
}

async function journalCost(ctx) {
  const strace = hasStrace();
  ctx.progress(
    `journal: a ${ctx.plan.journalCookHours} h cook replayed${strace ? ' (under strace)' : ''}, and the same without a database`,
  );
  const real = replay(ctx, { cookHours: ctx.plan.journalCookHours, idleHours: 24, strace });
  const control = replay(ctx, { cookHours: ctx.plan.journalCookHours, idleHours: 24, control: true });
  ctx.progress('journal: the idle server with and without its database');
  const ab = await withAndWithout(ctx);
  const grow = (r, key) => r.mem.afterRead[key] - r.mem.opened[key];
  return {
    replay: real,
    control,
    strace,
    ab,
    // What a 72-hour cook and reading it back add, beyond what the harness adds by itself.
    cookGrowth: {
      rss: grow(real, 'rss') - grow(control, 'rss'),
      rssAnon: grow(real, 'rssAnon') - grow(control, 'rssAnon'),
    },
    // What the open database costs the idle server (with minus without).
    idleCost: {
      rss: ab.with.rss - ab.without.rss,
      pss: ab.with.pss - ab.without.pss,
      rssAnon: ab.with.rssAnon - ab.without.rssAnon,
    },
    bytesPerCookHour: real.cook.bytes / real.cook.hours,
    bytesPerIdleHour: real.idle.bytes / real.idle.hours,
    commitsPerCookHour: real.cook.commits / real.cook.hours,
  };
}

module.exports = { journalCost, syscallBytes };
