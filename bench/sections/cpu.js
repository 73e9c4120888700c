'use strict';
/**
 * CPU of the pieces of a state push, each alone (bench/lib/cpu-micro.js in its own process, the
 * production flags): parsing a real frame, the food-safety monitor per push over a whole cook,
 * its view, and one step of the heat model. The frames are captured from a simulator (an idle
 * state, and a cooking one after a start command sent over a plain WebSocket), so the parser
 * sees exactly what the server gets.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('../lib/server-process');
const { productionFlags } = require('../lib/node-flags');

const MICRO = path.join(__dirname, '..', 'lib', 'cpu-micro.js');

/** One idle and one cooking EVENT_APC_STATE frame, as the simulator sends them. */
async function captureFrames() {
  const WebSocket = require(require.resolve('ws', { paths: [ROOT] }));
  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  const sim = await startSimulator({ timeScale: 3600, pushIntervalMs: 50, cookers: [{ type: 'a7' }] });
  const ws = new WebSocket(`${sim.url}?token=${encodeURIComponent(sim.token)}&supportedAccessories=APC`);
  try {
    const frames = {};
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no cooking state from the simulator within 10 s')), 10_000);
      ws.on('error', reject);
      ws.on('message', (data) => {
        const text = String(data);
        const frame = JSON.parse(text);
        if (frame.command !== 'EVENT_APC_STATE') return;
        const mode = frame.payload?.state?.state?.mode;
        const stage = frame.payload?.state?.nodes?.timer?.mode;
        if (!frames.idle && mode === 'idle') {
          frames.idle = text;
          const { cookerId, type } = sim.cooker();
          ws.send(
            JSON.stringify({
              command: 'CMD_APC_START',
              requestId: 'bench-capture',
              payload: { cookerId, type, targetTemperature: 57, unit: 'C', timer: 3600 },
            }),
          );
        }
        if (mode === 'cook' && stage === 'running') {
          frames.cooking = text;
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return frames;
  } finally {
    ws.terminate();
    await sim.close();
  }
}

async function cpuPieces(ctx) {
  ctx.progress('cpu: parse, monitor and heat model, each alone');
  const frames = await captureFrames();
  const file = path.join(ctx.tmpDir, 'frames.json');
  fs.writeFileSync(file, JSON.stringify(frames));
  const out = execFileSync(ctx.privateNode, [...productionFlags(), MICRO, file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(out);
}

module.exports = { cpuPieces, captureFrames };
