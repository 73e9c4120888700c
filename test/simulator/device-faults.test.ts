/**
 * The device faults the food-safety monitor is tested with: a heater that stops heating, a power
 * cut (idle after coming back), a stop and added time on the cooker itself.
 */
import { SimCooker } from '../../app/simulator/cooker';
import { startSimulator } from '../../app/simulator/index';
import type { SimPhysics, SimulatorHandle } from '../../app/simulator/types';

const physics: SimPhysics = { heatingRateCPerMin: 10, coolingRateCPerMin: 1, ambientTempC: 20 };
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function cookingAt60(): SimCooker {
  const c = new SimCooker(
    { cookerId: 'c1', type: 'a7', name: 'Test', pairedAtMs: T0 - MIN, bootedAtMs: T0, bootId: 'b' },
    { waterTempC: 60, plugged: true, nowMs: T0, lastConnectedMs: T0, lastDisconnectedMs: T0 - MIN },
  );
  c.start({ targetC: 60, timerSeconds: 3 * 3600, requestId: 'r1', cookId: 'cook', stageId: 'stage' });
  return c;
}

test('a broken heater: the cooker still reports its cook while the water cools toward ambient, and recovers when fixed', () => {
  const c = cookingAt60();
  c.advanceTo(T0 + MIN, physics);
  expect(c.mode()).toBe('cooking');
  c.heaterWorks = false;
  c.advanceTo(T0 + 11 * MIN, physics);
  expect(c.mode()).toBe('cooking');
  expect(c.waterTempC).toBeCloseTo(50, 9); // 1 °C a minute for 10 minutes
  c.heaterWorks = true;
  c.advanceTo(T0 + 12 * MIN, physics);
  expect(c.waterTempC).toBeCloseTo(60, 9); // back at the setpoint within a minute at 10 °C/min
});

test('a broken heater during preheat never reaches the setpoint, so the timer never starts', () => {
  const c = new SimCooker(
    { cookerId: 'c1', type: 'a7', name: 'Test', pairedAtMs: T0 - MIN, bootedAtMs: T0, bootId: 'b' },
    { waterTempC: 30, plugged: true, nowMs: T0, lastConnectedMs: T0, lastDisconnectedMs: T0 - MIN },
  );
  c.heaterWorks = false;
  c.start({ targetC: 60, timerSeconds: 600, requestId: 'r1', cookId: 'cook', stageId: 'stage' });
  c.advanceTo(T0 + 30 * MIN, physics);
  expect(c.mode()).toBe('preheating');
  expect(c.waterTempC).toBeCloseTo(20, 9);
});

test('power lost: the cook is gone and the cooker boots idle; added time lengthens a running timer', () => {
  const c = cookingAt60();
  c.addTime(600);
  expect(c.view().timerSeconds).toBe(3 * 3600 + 600);
  c.losePower();
  expect(c.mode()).toBe('idle');
  expect(c.hasCookedSinceBoot).toBe(false);
  c.addTime(600); // nothing runs: no effect
  expect(c.view().timerSeconds).toBe(0);
});

describe('through the handle and the control API', () => {
  let sim: SimulatorHandle;
  beforeEach(async () => {
    sim = await startSimulator({ pushIntervalMs: 20, controlPort: 0, cookers: [{ type: 'a7', waterTempC: 60 }] });
  });
  afterEach(() => sim.close());

  const control = (path: string, body: unknown) =>
    fetch(`${sim.controlUrl}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  test('a power cut unplugs the cooker and drops its cook; power back, it is plugged in and idle', async () => {
    const id = sim.cooker().cookerId;
    expect((await control(`/cookers/${id}/power`, { on: false })).status).toBe(200);
    expect(sim.cooker()).toMatchObject({ plugged: false, mode: 'idle' });
    expect((await control(`/cookers/${id}/power`, { on: true })).status).toBe(200);
    expect(sim.cooker()).toMatchObject({ plugged: true, mode: 'idle' });
  });

  test('stop on the device and added time are reachable over HTTP, and bad input is a 400', async () => {
    const id = sim.cooker().cookerId;
    expect((await control(`/cookers/${id}/add-time`, { seconds: 0 })).status).toBe(400);
    expect((await control(`/cookers/${id}/heater`, { works: 'no' })).status).toBe(400);
    expect((await control(`/cookers/${id}/heater`, { works: false })).status).toBe(200);
    expect((await control(`/cookers/${id}/stop-on-device`, {})).status).toBe(200);
    expect(sim.cooker().mode).toBe('idle');
  });
});
