'use strict';
/**
 * Real time, in the background: two servers exactly as production runs them (cli.js serve,
 * production flags, default log level, stdout counted as Docker's log would store it), each
 * with its own simulator pushing a state every 2 s (the real cloud's cadence), each probed on
 * /health every 30 s the way docker/healthcheck.sh does (a raw HTTP/1.0 request):
 *   idle     no cook: CPU %, wake-ups per second (timer callbacks from the probe preload, and
 *            the kernel's context switches), log lines and bytes, bytes written to the data volume;
 *   cooking  a 72-hour cook at temperature: the same over a window of whole journal flush
 *            periods (from just after one flush to just after a later one), the
 *            independent check on the compressed soak's bytes per cook-hour.
 * Numbers per hour are extrapolated from the window (10 real minutes in a full run). Beside
 * them, a do-nothing Node process waking every 2 s (sleeper below) shows what this machine
 * charges for a wake-up alone.
 *
 * It runs as its own process (node bench/sections/realtime.js <json args>), so the bench's own
 * busy moments (load generation, heap snapshot parsing) never delay its pushes; the parent
 * starts it first and collects it last. Prints one JSON object on stdout.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** Parent side: starts the child; `result` resolves with its JSON (or {failed}). */
function startRealtime(ctx, nodeForServers) {
  const args = { windowMin: ctx.plan.realtimeWindowMin, settleS: ctx.plan.realtimeSettleS, node: nodeForServers };
  const child = spawn(process.execPath, [__filename, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => {
    err.push(d);
    for (const line of String(d).split('\n')) if (line.trim()) ctx.progress(`realtime: ${line.trim()}`);
  });
  const result = new Promise((resolve) => {
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch {
        resolve({ failed: `exit ${code}: ${Buffer.concat(err).toString('utf8').slice(-1500)}` });
      }
    });
  });
  return { result, kill: () => child.kill('SIGTERM') };
}

// ------------------------------------------------------------------ the child

/** The healthcheck.sh request: HTTP/1.0, Connection: close; resolves the status line. */
function healthcheck(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (v) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(4_000, () => done('timeout'));
    socket.on('error', () => done('error'));
    socket.on('connect', () => socket.write('GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    socket.on('data', (d) => {
      text += d;
      if (text.includes('\r\n')) done(text.split('\r\n')[0]);
    });
  });
}

/**
 * Calibration: a Node process that does nothing but wake every 2 s and parse a push-sized JSON
 * frame, for `ms`. What it costs is what this machine charges any process for a wake-up after
 * an idle stretch (on a virtual machine that is far more than the work itself), so the idle
 * server's CPU can be read against it.
 */
function sleeper(node, ms) {
  const script = `
    const fs = require('node:fs');
    const text = JSON.stringify({ command: 'EVENT_APC_STATE', payload: { list: Array.from({ length: 40 }, (_, i) => ({ i, v: 'x'.repeat(12) })) } });
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const t0 = cpu(); let wakes = 0;
    const timer = setInterval(() => { JSON.parse(text); wakes++; }, 2000);
    setTimeout(() => { clearInterval(timer); process.stdout.write(JSON.stringify({ wakes, cpuMs: cpu() - t0, seconds: ${ms} / 1000 })); }, ${ms});
  `;
  return new Promise((resolve) => {
    const child = spawn(node, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out));
      } catch {
        resolve(null);
      }
    });
  });
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function child(args) {
  const { spawnServer, ROOT, onTmpfs, logDelta } = require('../lib/server-process');
  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  const { LONG_COOK, startCook } = require('../lib/requests');
  const { delay } = require('../lib/http');
  const say = (m) => process.stderr.write(`${m}\n`);

  const started = [];
  try {
    const make = async (name, cooking) => {
      const sim = await startSimulator({
        pushIntervalMs: 2_000,
        cookers: [{ type: 'a7', ...(cooking ? { waterTempC: 56.9 } : {}) }],
      });
      const server = await spawnServer({ sim, execPath: args.node, logFile: 'count' });
      started.push({ sim, server });
      await server.waitReady();
      if (cooking) await startCook(server, { ...LONG_COOK, time_minutes: 72 * 60 });
      let checks = 0;
      let failedChecks = 0;
      const timer = setInterval(async () => {
        checks++;
        const status = await healthcheck(server.port);
        if (!/^HTTP\/1\.\d 200/.test(status)) failedChecks++;
      }, 30_000);
      return { name, sim, server, timer, checks: () => checks, failed: () => failedChecks };
    };
    const idle = await make('idle', false);
    const cooking = await make('cooking', true);
    say(`idle and cooking servers up; settling ${args.settleS} s, then ${args.windowMin} min measured`);
    await delay(args.settleS * 1000);

    const read = async (s) => {
      const t = await s.server.timers();
      return {
        at: performance.now(),
        cpuMs: s.server.cpuMs(),
        io: s.server.io(),
        wakeups: s.server.wakeups(),
        timers: t,
        log: s.server.log(),
        wal: fileSize(path.join(s.server.dataDir, 'anova.db-wal')),
        db: fileSize(path.join(s.server.dataDir, 'anova.db')),
        pushes: s.pushes,
      };
    };
    for (const s of [idle, cooking]) {
      s.pushes = 0;
      s.sim.events.on('push', ({ frame }) => {
        if (frame?.command === 'EVENT_APC_STATE') s.pushes++;
      });
    }

    // The cooking window runs from just after one flush to just after the one `flushes` later.
    const walNow = () => fileSize(path.join(cooking.server.dataDir, 'anova.db-wal'));
    const waitForFlush = async (limitMs) => {
      const before = walNow();
      const deadline = performance.now() + limitMs;
      while (performance.now() < deadline) {
        await delay(250);
        if (walNow() !== before) return true;
      }
      return false;
    };
    const flushes = Math.max(1, Math.round(args.windowMin / 5));
    const calibration = sleeper(args.node, args.windowMin * 60_000);
    const idleStart = await read(idle);
    // A window shorter than a flush period (a quick run) cannot be aligned: it is fixed, and says so.
    const aligned = args.windowMin >= 5 && (await waitForFlush(7 * 60_000));
    if (aligned) await delay(1_000); // the flush's write-back settles
    const cookStart = await read(cooking);
    let seen = 0;
    if (aligned) {
      while (seen < flushes && (await waitForFlush(7 * 60_000))) seen++;
      await delay(1_000);
    } else {
      await delay(args.windowMin * 60_000);
    }
    const cookEnd = await read(cooking);
    const remaining = args.windowMin * 60_000 - (performance.now() - idleStart.at);
    if (remaining > 0) await delay(remaining);
    const idleEnd = await read(idle);

    const summarise = (s, a, b, extra) => {
      const seconds = (b.at - a.at) / 1000;
      const perHour = (v) => (v * 3600) / seconds;
      const firedByKind = {};
      for (const [k, v] of Object.entries(b.timers.byKind)) {
        const d = v.fired - (a.timers.byKind[k]?.fired ?? 0);
        if (d > 0) firedByKind[k] = { fired: d, perMinute: (d * 60) / seconds, site: v.site };
      }
      const log = logDelta(a.log, b.log);
      return {
        name: s.name,
        seconds,
        pushes: b.pushes - a.pushes,
        healthchecks: s.checks(),
        failedHealthchecks: s.failed(),
        cpuShare: (b.cpuMs - a.cpuMs) / (seconds * 1000),
        cpuMs: b.cpuMs - a.cpuMs,
        wakeupsPerSecond: {
          all: (b.wakeups.all - a.wakeups.all) / seconds,
          main: (b.wakeups.main - a.wakeups.main) / seconds,
        },
        threads: b.wakeups.threads,
        timerCallbacksPerSecond: (b.timers.fired - a.timers.fired) / seconds,
        timersFired: firedByKind,
        writeBytes: b.io.writeBytes - a.io.writeBytes,
        writeBytesPerHour: perHour(b.io.writeBytes - a.io.writeBytes),
        walGrowthBytes: b.wal - a.wal,
        logLines: log.lines,
        logLinesPerHour: perHour(log.lines),
        logBytesPerHour: perHour(log.bytes),
        logJsonFileBytesPerHour: perHour(log.jsonFileBytes),
        logByMessage: log.byMessage,
        dataOnTmpfs: onTmpfs(s.server.dataDir),
        ...extra,
      };
    };
    const result = {
      windowMin: args.windowMin,
      sleeper: await calibration,
      idle: summarise(idle, idleStart, idleEnd, {}),
      cooking: summarise(cooking, cookStart, cookEnd, {
        alignedToFlushes: aligned,
        flushesInWindow: aligned ? seen : null,
      }),
    };
    for (const s of [idle, cooking]) clearInterval(s.timer);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const { sim, server } of started) {
      await server.stop();
      await sim.close();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
  }
}

if (require.main === module) {
  child(JSON.parse(process.argv[2])).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}

module.exports = { startRealtime, healthcheck };
