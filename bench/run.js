#!/usr/bin/env node
'use strict';
/**
 * `npm run bench` (builds first): memory, throughput and latency, Node flags, what the RSS is
 * made of, cold start, and the command round trip, against the compiled server running as its
 * own process and the simulated Anova cloud. Progress goes to stderr, the markdown report to
 * stdout; the run is saved to bench/results/latest.json (the previous one is compared, then
 * replaced). BENCH_QUICK=1 makes every run short, for a smoke test that saves nothing. See
 * bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { machineInfo } = require('./lib/machine');
const { render, keyNumbers } = require('./lib/report');
const { CLI, ROOT } = require('./lib/server-process');
const { coldStart } = require('./sections/cold-start');
const { latency } = require('./sections/latency');
const { memoryGrowth } = require('./sections/memory');
const { roundTrip } = require('./sections/round-trip');
const { flagSets, RECOMMENDED_FLAGS } = require('./sections/flags');
const { composition } = require('./sections/composition');

const RESULTS = path.join(__dirname, 'results', 'latest.json');

const PLANS = {
  full: {
    coldStartRuns: 7,
    warmupS: 2,
    loadS: 10,
    idleSettleMs: 3_000,
    memorySteps: 15,
    memoryStepRequests: 10_000,
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
    roundTrips: 30,
    flagRounds: 1,
    flagWarmupS: 0.5,
    flagLoadS: 1.5,
  },
};

async function main() {
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`npm run build\` (npm run bench does)`);
  const mode = process.env.BENCH_QUICK === '1' ? 'quick' : 'full';
  const plan = PLANS[mode];
  const began = performance.now();
  const progress = (msg) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
  const machine = machineInfo();
  progress(`${mode} run on ${machine.cpuModel} x${machine.cpuCount}, Node ${machine.node}`);

  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  // The simulated cloud lives in this process; its command rate limit is off because the round
  // trip section sends hundreds of commands (what is measured is our overhead, not the cloud's).
  const sim = await startSimulator({ behavior: { rateLimit: null } });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anova-bench-'));
  const ctx = { sim, plan, tmpDir, progress };
  let results;
  try {
    results = {
      coldStart: await coldStart(ctx), // first, on a quiet machine
      latency: await latency(ctx),
      memory: [
        await memoryGrowth(ctx, { label: 'node defaults', flags: [] }),
        await memoryGrowth(ctx, { label: 'recommended flags', flags: RECOMMENDED_FLAGS }),
      ],
      roundTrip: await roundTrip(ctx),
      flags: await flagSets(ctx),
      composition: composition(ctx),
    };
  } finally {
    await sim.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }

  const run = { version: 1, mode, machine, plan, durationS: (performance.now() - began) / 1000, results };
  run.keyNumbers = keyNumbers(results);
  if (mode === 'quick') {
    // A smoke test: its numbers are not comparable, so it neither compares nor replaces the reference.
    process.stdout.write(`${render(run, null)}\n`);
    progress(`done in ${run.durationS.toFixed(0)} s (quick: ${path.relative(ROOT, RESULTS)} left as it was)`);
    return;
  }
  const previous = readPrevious();
  process.stdout.write(`${render(run, previous)}\n`);
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(run, null, 2)}\n`);
  progress(`done in ${run.durationS.toFixed(0)} s; saved ${path.relative(ROOT, RESULTS)}`);
}

/** The previous full run, if any (older quick runs saved by earlier versions are not comparable). */
function readPrevious() {
  try {
    const previous = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    return previous.mode === 'full' ? previous : null;
  } catch {
    return null; // first run, or an unreadable file: nothing to compare with
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
