'use strict';
/**
 * The 72-hour cook, compressed: the real server (bench/lib/compressed-server.js: startServer as
 * `cli.js serve` composes it, on a clock running BENCH_TIME_SCALE times real time) and a
 * simulator at the same time scale, driven so that it pushes one state per 2 s of cook time, the
 * real cloud's cadence (docs/anova-protocol.md §2.3). A 72-hour cook is then 129,600 pushes, each
 * one parsed, followed by the cook service, run through the food-safety monitor (the heat model
 * steps on cook time) and offered to the journal, which keeps one sample a minute and commits
 * every 10 minutes of cook time, exactly as it would over 72 real hours.
 *
 * First an idle stretch (pushes, no cook: what parsing costs alone), then the cook, with a
 * memory checkpoint (forced GC) at every tenth of it. It measures, per push and per cook-hour:
 * CPU (the probe's and the fsync instrumentation's own CPU subtracted), bytes written to the
 * data volume (write_bytes, with each commit written back before the next as 10 real minutes
 * would: bench/lib/sync-after-commit.js), commits and checkpoints, log lines and bytes; and
 * the heap after GC over the cook (the leak test), RSS and PSS at the end.
 *
 * Notifications go to a loopback receiver that answers at once, and one /mcp request first
 * loads the MCP SDK, so everything the server has is loaded.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, ROOT, onTmpfs } = require('../lib/server-process');
const { checkpoint, slim } = require('../lib/checkpoint');
const { startReceiver } = require('../lib/receivers');
const { LONG_COOK, startCook, stopCook, getJson, mcpToolsList } = require('../lib/requests');
const { delay } = require('../lib/http');
const { slope, MB } = require('../lib/stats');
const { REAL_PUSH_INTERVAL_S } = require('../lib/pi');

const PUSH_SIM_MS = REAL_PUSH_INTERVAL_S * 1000;
/** Leak test window: from this share of the cook on (the first checkpoints still warm up). */
const STEADY_FROM_SHARE = 0.2;

/**
 * Pushes one state per PUSH_SIM_MS of simulated time, from a 1 ms timer that catches up by up
 * to a few pushes when it runs late (and drops the backlog, counted, when it falls far behind).
 */
function pushDriver(sim, scale) {
  const realMsPerPush = PUSH_SIM_MS / scale;
  let sent = 0;
  let dropped = 0;
  let base = performance.now();
  let baseSent = 0;
  const timer = setInterval(() => {
    const due = baseSent + Math.floor((performance.now() - base) / realMsPerPush);
    let behind = due - sent;
    if (behind > 50) {
      dropped += behind - 1;
      base = performance.now();
      baseSent = sent;
      behind = 1;
    }
    for (let i = 0; i < Math.min(behind, 8); i++) {
      sim.pushNow();
      sent++;
    }
  }, 1);
  return {
    pushes: () => sent,
    dropped: () => dropped,
    stop: () => clearInterval(timer),
  };
}

/**
 * What moved between two readings of the server. `probeCpuUs`: what the checkpoints from `a` up
 * to (not including) `b` cost the server themselves, excluded from its CPU.
 */
function phase(a, b, probeCpuUs) {
  const pushes = b.pushes - a.pushes;
  const syncCpuUs = (b.counters?.syncCpuUs ?? 0) - (a.counters?.syncCpuUs ?? 0);
  const cpuUs = b.cpuUs - a.cpuUs - probeCpuUs - syncCpuUs;
  const simHours = (b.simMs - a.simMs) / 3_600_000;
  return {
    pushes,
    simHours,
    realS: (b.realMs - a.realMs) / 1000,
    cpuUs,
    cpuUsPerPush: pushes > 0 ? cpuUs / pushes : null,
    writeBytes: b.io.writeBytes - a.io.writeBytes,
    writeBytesPerHour: simHours > 0 ? (b.io.writeBytes - a.io.writeBytes) / simHours : null,
    commits: (b.counters?.commits ?? 0) - (a.counters?.commits ?? 0),
    checkpoints: (b.counters?.checkpoints ?? 0) - (a.counters?.checkpoints ?? 0),
    logLines: b.log.lines - a.log.lines,
    logBytes: b.log.bytes - a.log.bytes,
    logJsonFileBytes: b.log.jsonFileBytes - a.log.jsonFileBytes,
  };
}

/**
 * @param {object} ctx
 * @param {object} [o]  overrides for other uses (the CPU profile of the push path)
 * @param {number} [o.cookHours]      default plan.soakCookHours
 * @param {number} [o.idlePushes]     default plan.soakIdlePushes
 * @param {string[]} [o.extraArgs]    more node arguments for the server (--cpu-prof ...)
 * @param {number} [o.checkpoints]    memory checkpoints during the cook (default 10)
 */
async function soak(ctx, o = {}) {
  const { plan } = ctx;
  const progress = o.quiet ? () => undefined : ctx.progress;
  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  const scale = plan.soakTimeScale;
  const cookHours = o.cookHours ?? plan.soakCookHours;
  const idlePushes = o.idlePushes ?? plan.soakIdlePushes;
  const parts = o.checkpoints ?? 10;
  const cookMinutes = cookHours * 60;
  const sim = await startSimulator({ behavior: { rateLimit: null }, pushIntervalMs: 3_600_000 });
  const receiver = await startReceiver('answer');
  let driver = null;
  let server = null;
  try {
    const anchor = Date.now();
    sim.setTimeScale(scale); // from here the simulator's clock is anchor + (now - anchor) x scale
    const simNow = (real = Date.now()) => anchor + (real - anchor) * scale;
    driver = pushDriver(sim, scale);
    server = await spawnServer({
      sim,
      entry: 'compressed',
      execPath: ctx.privateNode,
      extraArgs: o.extraArgs,
      logFile: 'count',
      env: {
        BENCH_TIME_SCALE: String(scale),
        BENCH_CLOCK_ANCHOR: String(anchor),
        BENCH_SYNC_AFTER_COMMIT: '1',
        // 1 h of cook time = 3.6 s real here: a GC pause must not make the cooker look offline.
        ANOVA_OFFLINE_AFTER_SECONDS: '3600',
        NOTIFY_WEBHOOK_URL: receiver.url,
      },
    });
    await server.waitReady();
    const mcpMs = await mcpToolsList(server);
    await delay(500);

    /** A reading: memory checkpoint (GC), CPU, io, log, pushes, simulated time. */
    let probeCpuUs = 0;
    const read = async (extra) => {
      const realMs = Date.now();
      const cp = await checkpoint(server, { pushes: driver.pushes(), ...extra });
      probeCpuUs += cp.probeCpuUs;
      return { ...cp, realMs, simMs: simNow(realMs), io: server.io(), log: server.log() };
    };

    progress(`soak: idle, ${idlePushes.toLocaleString('en-US')} pushes at ${scale}x`);
    const idleStart = await read({ phase: 'idle' });
    const probeBeforeIdle = probeCpuUs;
    while (driver.pushes() < idleStart.pushes + idlePushes) await delay(50);
    const idleEnd = await read({ phase: 'idle end' });
    const idle = phase(idleStart, idleEnd, idleStart.probeCpuUs + probeCpuUs - probeBeforeIdle - idleEnd.probeCpuUs);

    const cook = await startCook(server, { ...LONG_COOK, time_minutes: cookMinutes });
    const cookStart = await read({ phase: 'cook', cookHours: 0 });
    const probeBeforeCook = probeCpuUs;
    const checkpoints = [cookStart];
    const total = cookMinutes * 60;
    let next = 1;
    for (;;) {
      const c = sim.cooker();
      const share = c.mode === 'idle' || c.mode === 'preheating' ? 0 : c.timerElapsedSeconds / total;
      if (c.mode === 'done' || share >= 1) break;
      if (next < parts && share >= next / parts) {
        progress(
          `soak: cook ${(share * cookHours).toFixed(1)} h of ${cookHours} h, ${driver.pushes().toLocaleString('en-US')} pushes`,
        );
        checkpoints.push(await read({ phase: 'cook', cookHours: share * cookHours }));
        next++;
      }
      await delay(100);
    }
    // A few more pushes so the server sees the timer run out, then the stop through the API.
    const donePushes = driver.pushes() + 20;
    while (driver.pushes() < donePushes) await delay(10);
    // The end of the cook, still cooking (the leak test's last point), then after the stop.
    const timerDone = await read({ phase: 'cook', cookHours });
    checkpoints.push(timerDone);
    await stopCook(server);
    await delay(200);
    const cookEnd = await read({ phase: 'cook end', cookHours });
    const cookPhase = phase(
      cookStart,
      cookEnd,
      cookStart.probeCpuUs + probeCpuUs - probeBeforeCook - cookEnd.probeCpuUs,
    );
    const detail = await getJson(server, `/cooks/${cook.cook_id}`);

    driver.stop();
    const dbBytes = databaseBytes(server.dataDir);
    const timers = await server.timers();
    await server.stop();

    const steady = checkpoints.filter(
      (p) => p.pushes - cookStart.pushes >= STEADY_FROM_SHARE * (cookEnd.pushes - cookStart.pushes),
    );
    const perTenThousand = (key) => slope(steady.map((p) => ({ x: p.pushes / 10_000, y: p[key] / MB })));
    return {
      scale,
      cookHours,
      pushSimMs: PUSH_SIM_MS,
      droppedPushes: driver.dropped(),
      mcpFirstRequestMs: mcpMs,
      dataOnTmpfs: onTmpfs(server.dataDir),
      idle,
      cook: cookPhase,
      totalPushes: cookEnd.pushes,
      checkpoints: checkpoints.map(slim),
      afterStop: slim(cookEnd),
      idleCheckpoint: slim(idleStart),
      finalDetail: cookEnd.detail,
      slopeMbPer10kPushes: {
        heapUsedAfterGc: perTenThousand('heapUsedAfterGc'),
        rss: perTenThousand('rss'),
        pss: perTenThousand('pss'),
      },
      steadyFromPushes: steady[0]?.pushes ?? null,
      journal: {
        events: detail.events?.length ?? null,
        eventTypes: [...new Set((detail.events ?? []).map((e) => e.type))],
        samplesReturned: detail.samples?.length ?? null,
        endReason: detail.end_reason ?? null,
        dbBytes,
      },
      notificationsDelivered: receiver.received(),
      logByMessage: cookPhase.logLines > 0 ? diffMessages(cookStart.log.byMessage, cookEnd.log.byMessage) : {},
      timers,
    };
  } finally {
    driver?.stop();
    await server?.stop();
    await receiver.close();
    await sim.close();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

function diffMessages(a, b) {
  const out = {};
  for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
  return out;
}

/** Sizes of the database and its WAL at the end (what the card holds). */
function databaseBytes(dataDir) {
  const size = (f) => {
    try {
      return fs.statSync(path.join(dataDir, f)).size;
    } catch {
      return 0;
    }
  };
  return { db: size('anova.db'), wal: size('anova.db-wal'), shm: size('anova.db-shm') };
}

module.exports = { soak, pushDriver, databaseBytes };
