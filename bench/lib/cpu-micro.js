'use strict';
/**
 * Bench-only child: the CPU cost of the pieces of a state push, each alone, on the server's own
 * compiled code (dist/app), with the production flags. CPU time (process.cpuUsage) per
 * operation, after a warm-up:
 *   parse    a real EVENT_APC_STATE frame from the simulator (idle, and cooking): JSON.parse and
 *            the protocol's state parser, as the Anova client does for every push;
 *   monitor  CookMonitor.observe for every push of a whole cook (one push per 2 s of cook time;
 *            the heat model steps inside it), and view(), which the cook service calls on every
 *            push for the journal sample's core temperature;
 *   heat     one step of the heat model (CoreSimulation.step) for a thick and a thin cut.
 * Prints one JSON object on stdout.
 *
 *   node [flags] bench/lib/cpu-micro.js <frames.json>
 */
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'app');
const { parseFrame } = require(path.join(DIST, 'anova', 'protocol.js'));
const { parseApcState } = require(path.join(DIST, 'anova', 'state.js'));
const { CookMonitor } = require(path.join(DIST, 'cooking', 'monitor.js'));
const { CoreSimulation, gridFor, profileFor } = require(path.join(DIST, 'cooking', 'thermal', 'index.js'));

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** CPU µs per call of fn(i), over n calls after n/10 warm-up calls. */
function perCall(n, fn) {
  for (let i = 0; i < Math.ceil(n / 10); i++) fn(i);
  const t0 = cpuUs();
  for (let i = 0; i < n; i++) fn(i);
  return (cpuUs() - t0) / n;
}

let sink = 0; // keeps results alive so nothing is optimised away

function parseCost(text, n) {
  const now = Date.now();
  return {
    bytes: Buffer.byteLength(text),
    jsonParseUs: perCall(n, () => {
      sink ^= Object.keys(JSON.parse(text)).length;
    }),
    parseUs: perCall(n, () => {
      const frame = parseFrame(text);
      const parsed = parseApcState(frame.payload, now);
      sink ^= parsed ? 1 : 0;
    }),
  };
}

/** A whole cook through a fresh monitor: preheat 15 min, then `hours` at temperature. */
function monitorCost(plan, hours) {
  const monitor = new CookMonitor(plan, { dropAlertSeconds: 300, maxGapMs: 120_000 });
  const start = Date.UTC(2026, 0, 1, 12);
  const preheatEnd = start + 15 * 60_000;
  const end = preheatEnd + hours * 3_600_000;
  const observations = [];
  for (let at = start, i = 0; at <= end; at += 2_000, i++) {
    const preheating = at < preheatEnd;
    observations.push({
      at,
      mode: preheating ? 'preheating' : 'cooking',
      waterC: preheating
        ? 20 + ((plan.targetTempC - 20) * (at - start)) / (preheatEnd - start)
        : plan.targetTempC + ((i % 5) - 2) / 20,
      targetC: plan.targetTempC,
      timerRemainingSeconds: preheating ? plan.timeMinutes * 60 : Math.max(0, Math.round((end - at) / 1000)),
    });
  }
  let events = 0;
  const t0 = cpuUs();
  for (const obs of observations) events += monitor.observe(obs).length;
  const observeUs = (cpuUs() - t0) / observations.length;
  const t1 = cpuUs();
  for (const obs of observations) sink ^= monitor.view(obs.at).danger_zone_minutes;
  const viewUs = (cpuUs() - t1) / observations.length;
  return { pushes: observations.length, events, observeUs, viewUs };
}

function heatStepCost(categories, thicknessMm, n) {
  const profile = profileFor(categories);
  const grid = gridFor(profile.thermal, thicknessMm);
  const sim = new CoreSimulation(grid, profile.targets);
  const us = perCall(n, (i) => {
    if (i % 20_000 === 0) sim.reset();
    sim.step(60);
  });
  return { thicknessMm, dtSeconds: grid.dtSeconds, nodes: grid.nodes, stepUs: us, stepsPerPush: 2 / grid.dtSeconds };
}

const frames = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const result = {
  parse: { idle: parseCost(frames.idle, 20_000), cooking: parseCost(frames.cooking, 20_000) },
  monitor: {
    beef72h: {
      plan: '72 h beef short ribs, 50 mm, 57 °C',
      ...monitorCost(
        {
          categories: ['red_meat'],
          thicknessMm: 50,
          targetTempC: 57,
          timeMinutes: 72 * 60,
          foodType: 'beef short ribs',
        },
        72,
      ),
    },
    chicken: {
      plan: '75 min chicken breast, 25 mm, 63 °C',
      ...monitorCost(
        { categories: ['poultry'], thicknessMm: 25, targetTempC: 63, timeMinutes: 75, foodType: 'chicken breast' },
        1.25,
      ),
    },
  },
  heat: [
    heatStepCost(['red_meat'], 50, 200_000),
    heatStepCost(['poultry'], 25, 200_000),
    heatStepCost(['fish'], 5, 200_000),
  ],
  sink,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
