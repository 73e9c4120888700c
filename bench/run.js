#!/usr/bin/env node
'use strict';
/**
 * `npm run bench` (builds first): the Raspberry Pi Zero 2 W's budget, measured on the compiled
 * server running as its own process against simulated Anova clouds: memory (RSS and PSS) idle,
 * under requests and over a compressed 72-hour cook; bytes written to the SD card (data volume
 * and container log) cooking and idle; CPU per push, per request, idle, and timer wake-ups;
 * latency with and without a stuck notification receiver; cold start; plus what each cost is
 * made of (heap snapshot, module loads, CPU profiles, the node binary's resident pages) and the
 * Node flag candidates. Every server runs with the production flags (NODE_OPTIONS in
 * docker/Dockerfile, the same as `npm start`).
 *
 * Progress goes to stderr, the markdown report to stdout. A full run is saved to
 * bench/results/latest.json (the one before it moves to previous.json and is compared), the
 * report to bench/results/latest.md, and README.md's block between <!-- BENCH:START --> and
 * <!-- BENCH:END --> is rewritten. BENCH_QUICK=1 makes every run short, for a smoke test that
 * saves nothing. `node bench/run.js --render` re-renders the saved run without measuring.
 * See bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { machineInfo } = require('./lib/machine');
const { render, renderReadmeBlock, keyNumbers } = require('./lib/report');
const { CLI, ROOT, privateNode } = require('./lib/server-process');
const { productionFlags } = require('./lib/node-flags');
const { coldStart } = require('./sections/cold-start');
const { latency } = require('./sections/latency');
const { memoryGrowth } = require('./sections/memory');
const { soak } = require('./sections/soak');
const { startRealtime } = require('./sections/realtime');
const { journalCost } = require('./sections/journal');
const { cpuPieces } = require('./sections/cpu');
const { profiles } = require('./sections/profile');
const { roundTrip } = require('./sections/round-trip');
const { compareFlags } = require('./sections/flags');
const { composition } = require('./sections/composition');

const RESULTS = path.join(__dirname, 'results', 'latest.json');
const PREVIOUS = path.join(__dirname, 'results', 'previous.json');
const REPORT = path.join(__dirname, 'results', 'latest.md');
const README = path.join(ROOT, 'README.md');

const PLANS = {
  full: {
    coldStartRuns: 7,
    warmupS: 2,
    loadS: 10,
    idleSettleMs: 3_000,
    memorySteps: 10,
    memoryStepRequests: 10_000,
    heapSnapshot: true,
    soakTimeScale: 1000,
    soakCookHours: 72,
    soakIdlePushes: 10_000,
    realtimeWindowMin: 10,
    realtimeSettleS: 30,
    journalCookHours: 72,
    journalAbRounds: 3,
    profileS: 5,
    roundTrips: 200,
    flagRounds: 3,
    flagWarmupS: 1,
    flagLoadS: 3,
  },
  quick: {
    coldStartRuns: 3,
    warmupS: 0.5,
    loadS: 1.5,
    idleSettleMs: 500,
    memorySteps: 2,
    memoryStepRequests: 5_000,
    heapSnapshot: false,
    soakTimeScale: 1000,
    soakCookHours: 4,
    soakIdlePushes: 1_000,
    realtimeWindowMin: 1,
    realtimeSettleS: 5,
    journalCookHours: 24,
    journalAbRounds: 1,
    profileS: 1.5,
    roundTrips: 30,
    flagRounds: 1,
    flagWarmupS: 0.5,
    flagLoadS: 1.5,
  },
};

async function main() {
  if (process.argv.includes('--render')) return renderSaved();
  if (!fs.existsSync(CLI))
    throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`npm run build\` (npm run bench does)`);
  const mode = process.env.BENCH_QUICK === '1' ? 'quick' : 'full';
  const plan = PLANS[mode];
  const began = performance.now();
  const progress = (msg) =>
    process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
  const machine = machineInfo();
  progress(
    `${mode} run on ${machine.cpuModel} x${machine.cpuCount}, Node ${machine.node}, flags ${productionFlags().join(' ')}`,
  );

  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  // The simulated cloud lives in this process; its command rate limit is off because the round
  // trip section sends hundreds of commands (what is measured is our overhead, not the cloud's).
  const sim = await startSimulator({ behavior: { rateLimit: null } });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anova-bench-'));
  // Two private copies of the node binary: one for the measured server of the moment, one for
  // the two real-time servers that run beside everything else (so they share no page with it).
  const ctx = { sim, plan, tmpDir, progress, privateNode: privateNode(tmpDir, 'node-measured') };
  const realtime = startRealtime(ctx, privateNode(tmpDir, 'node-background'));
  let results;
  try {
    results = { coldStart: await coldStart(ctx) }; // first, on a quiet machine
    results.latency = await latency(ctx);
    results.memory = await memoryGrowth(ctx);
    results.soak = await soak(ctx);
    results.journal = await journalCost(ctx);
    results.cpu = await cpuPieces(ctx);
    results.profile = await profiles(ctx);
    results.roundTrip = await roundTrip(ctx);
    results.flags = await compareFlags(ctx);
    ctx.progress('composition: each dependency alone');
    results.composition = composition(ctx);
    progress('waiting for the real-time runs (idle and cooking servers)');
    results.realtime = await realtime.result;
  } finally {
    realtime.kill();
    await sim.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }

  const run = {
    version: 2,
    mode,
    machine,
    plan,
    flags: productionFlags(),
    durationS: (performance.now() - began) / 1000,
    results,
  };
  run.keyNumbers = keyNumbers(results);
  if (mode === 'quick') {
    // A smoke test: its numbers are not comparable, so it neither compares nor replaces the reference.
    process.stdout.write(`${render(run, null)}\n`);
    progress(`done in ${run.durationS.toFixed(0)} s (quick: ${path.relative(ROOT, RESULTS)} left as it was)`);
    return;
  }
  const previous = readRun(RESULTS);
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  if (previous) fs.writeFileSync(PREVIOUS, `${JSON.stringify(previous, null, 2)}\n`);
  fs.writeFileSync(RESULTS, `${JSON.stringify(run, null, 2)}\n`);
  publish(run, previous);
  progress(
    `done in ${run.durationS.toFixed(0)} s; saved ${path.relative(ROOT, RESULTS)}, ${path.relative(ROOT, REPORT)} and the README block`,
  );
}

/** Prints the report, saves it as latest.md and rewrites README.md's bench block. */
function publish(run, previous) {
  const report = render(run, previous);
  process.stdout.write(`${report}\n`);
  fs.writeFileSync(REPORT, `${report}\n`);
  const readme = fs.readFileSync(README, 'utf8');
  const start = readme.indexOf('<!-- BENCH:START -->');
  const end = readme.indexOf('<!-- BENCH:END -->');
  if (start < 0 || end < start) {
    process.stderr.write('README.md has no <!-- BENCH:START --> ... <!-- BENCH:END --> block: not updated\n');
    return;
  }
  const block = `<!-- BENCH:START -->\n${renderReadmeBlock(run, previous)}\n`;
  fs.writeFileSync(README, readme.slice(0, start) + block + readme.slice(end));
}

/** `--render`: the saved run again (after a change to the report), compared with previous.json. */
function renderSaved() {
  const run = readRun(RESULTS);
  if (!run || run.version !== 2)
    throw new Error(`${path.relative(ROOT, RESULTS)} is not a run of this bench (version 2): run \`npm run bench\``);
  run.keyNumbers = keyNumbers(run.results);
  publish(run, readRun(PREVIOUS));
}

/** A saved full run, if any (quick runs saved by earlier versions are not comparable). */
function readRun(file) {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    return saved.mode === 'full' ? saved : null;
  } catch {
    return null; // first run, or an unreadable file: nothing to compare with
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
