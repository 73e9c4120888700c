'use strict';
/**
 * Bench-only entry: the real server, as `cli.js serve` composes it (startServer from
 * dist/app/main.js, configured from the environment, the production logger, signals), on a
 * time-compressed clock, so a 72-hour cook plays in minutes with every part seeing it as 72 hours:
 *
 *   clock()          = anchor + (real now - anchor) x BENCH_TIME_SCALE, the simulator's clock
 *                      (the bench sets the simulator's scale at `anchor`, so both agree);
 *   journal flush    = the journal's own interval (FLUSH_INTERVAL_MS) of that clock (startServer's journalFlushMs);
 *   monitor tick     = 15 seconds of that clock (monitorTickMs);
 *   the Anova client = the same clock (its staleness limit and timers of commands).
 *
 * What stays in real time: socket keep-alives and pings, HTTP timeouts, log timestamps (they
 * are not about the cook). BENCH_SYNC_AFTER_COMMIT=1 installs ./sync-after-commit.js, so the
 * bytes written count as they would with the journal's real flush interval between commits.
 *
 *   BENCH_TIME_SCALE=900 BENCH_CLOCK_ANCHOR=<epoch ms> node -r bench/lib/probe.js bench/lib/compressed-server.js
 */
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'app');
const scale = Number(process.env.BENCH_TIME_SCALE);
const anchor = Number(process.env.BENCH_CLOCK_ANCHOR);
if (!(scale >= 1) || !Number.isFinite(anchor)) {
  process.stderr.write('compressed-server.js needs BENCH_TIME_SCALE (>= 1) and BENCH_CLOCK_ANCHOR (epoch ms)\n');
  process.exit(2);
}
const clock = () => anchor + (performance.timeOrigin + performance.now() - anchor) * scale;

if (process.env.BENCH_SYNC_AFTER_COMMIT === '1') {
  const { installSyncAfterCommit } = require('./sync-after-commit');
  globalThis.__benchCounters = installSyncAfterCommit(process.env.DATA_DIR ?? 'data');
}

const { startServer, secretsOf, exitOnCrash, onSignals } = require(path.join(DIST, 'main.js'));
const { loadConfig } = require(path.join(DIST, 'config.js'));
const { createLogger } = require(path.join(DIST, 'log.js'));
const { FLUSH_INTERVAL_MS } = require(path.join(DIST, 'journal', 'journal.js'));

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
exitOnCrash(logger);
let running;
onSignals(async () => {
  await (await running)?.close();
});
running = startServer(config, {
  logger,
  clock,
  client: { clock },
  journalFlushMs: FLUSH_INTERVAL_MS / scale,
  monitorTickMs: 15_000 / scale,
});
running.catch((err) => {
  process.stderr.write(`compressed server failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
