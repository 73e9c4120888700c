import { SETPOINT_TOLERANCE_C, SimCooker, PROCESSED_IDS_KEPT } from '../../app/simulator/cooker';
import type { SimPhysics } from '../../app/simulator/types';

/** Exact physics: 10 °C per simulated minute up, 1 °C per minute down, 20 °C room. */
const physics: SimPhysics = { heatingRateCPerMin: 10, coolingRateCPerMin: 1, ambientTempC: 20 };
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function cooker(waterTempC = 20): SimCooker {
  return new SimCooker(
    { cookerId: 'c1', type: 'a7', name: 'Test', pairedAtMs: T0 - MIN, bootedAtMs: T0, bootId: 'b' },
    { waterTempC, plugged: true, nowMs: T0, lastConnectedMs: T0, lastDisconnectedMs: T0 - MIN },
  );
}

function start(c: SimCooker, targetC: number, timerSeconds: number, requestId = 'r1'): void {
  c.start({ targetC, timerSeconds, requestId, cookId: 'cook', stageId: 'stage' });
}

describe('SimCooker physics and modes', () => {
  it('preheats at the heating rate, starts the timer within ±0.3 °C of the setpoint, then is done', () => {
    const c = cooker(20);
    start(c, 60, 600);
    expect(c.mode()).toBe('preheating');

    c.advanceTo(T0 + 2 * MIN, physics);
    expect(c.waterTempC).toBeCloseTo(40, 9);
    expect(c.mode()).toBe('preheating');
    expect(c.timerElapsedSeconds()).toBe(0);

    // 39.7 °C to go at 10 °C/min: the stage is entered at 3.97 min exactly.
    const enteredAt = T0 + ((60 - SETPOINT_TOLERANCE_C - 20) / 10) * MIN;
    c.advanceTo(T0 + 5 * MIN, physics);
    expect(c.job?.enteredAtMs).toBeCloseTo(enteredAt, 6);
    expect(c.mode()).toBe('cooking');
    expect(c.waterTempC).toBe(60); // held at the setpoint after reaching it
    expect(c.timerElapsedSeconds()).toBeCloseTo((T0 + 5 * MIN - enteredAt) / 1000, 6);

    c.advanceTo(enteredAt + 600_000, physics);
    expect(c.mode()).toBe('done');
    c.advanceTo(enteredAt + 900_000, physics);
    expect(c.mode()).toBe('done'); // keeps holding until STOP
    expect(c.waterTempC).toBe(60);
    expect(c.timerElapsedSeconds()).toBeCloseTo(900, 6);
  });

  it('integrates the same whether read often or once', () => {
    const often = cooker(15);
    const once = cooker(15);
    start(often, 56.5, 120);
    start(once, 56.5, 120);
    for (let t = T0; t <= T0 + 10 * MIN; t += 7_777) often.advanceTo(t, physics);
    often.advanceTo(T0 + 10 * MIN, physics);
    once.advanceTo(T0 + 10 * MIN, physics);
    expect(often.waterTempC).toBeCloseTo(once.waterTempC, 9);
    expect(often.job?.enteredAtMs).toBeCloseTo(once.job?.enteredAtMs as number, 6);
    expect(often.mode()).toBe(once.mode());
  });

  it('enters at once when the water is already at the setpoint', () => {
    const c = cooker(59.8);
    start(c, 60, 60);
    expect(c.mode()).toBe('cooking');
    expect(c.job?.enteredAtMs).toBe(T0);
  });

  it('cools down to a setpoint below the water temperature before entering', () => {
    const c = cooker(70);
    start(c, 60, 60);
    c.advanceTo(T0 + 5 * MIN, physics);
    expect(c.waterTempC).toBeCloseTo(65, 9);
    expect(c.mode()).toBe('preheating');
    c.advanceTo(T0 + 20 * MIN, physics); // entered at 9.7 min, 60 s timer
    expect(c.mode()).toBe('done');
    expect(c.waterTempC).toBe(60);
  });

  it('with timer 0 cooks until stopped, never done', () => {
    const c = cooker(60);
    start(c, 60, 0);
    c.advanceTo(T0 + 24 * 60 * MIN, physics);
    expect(c.mode()).toBe('cooking');
  });

  it('after STOP is idle and the water drifts toward ambient at the cooling rate', () => {
    const c = cooker(60);
    start(c, 60, 0);
    c.advanceTo(T0 + MIN, physics);
    c.stop('r2');
    expect(c.mode()).toBe('idle');
    expect(c.view().targetTempC).toBeNull();
    c.advanceTo(T0 + 11 * MIN, physics);
    expect(c.waterTempC).toBeCloseTo(50, 9);
    c.advanceTo(T0 + 200 * MIN, physics);
    expect(c.waterTempC).toBe(20);
  });

  it('a START while cooking restarts the cook with the new values', () => {
    const c = cooker(60);
    start(c, 60, 60);
    c.advanceTo(T0 + 2 * MIN, physics);
    expect(c.mode()).toBe('done');
    start(c, 70, 600, 'r2');
    expect(c.mode()).toBe('preheating');
    expect(c.view()).toMatchObject({ targetTempC: 70, timerSeconds: 600, timerElapsedSeconds: 0 });
  });

  it('setWaterTemp can complete a preheat at once', () => {
    const c = cooker(20);
    start(c, 60, 60);
    c.advanceTo(T0 + MIN, physics);
    c.setWaterTemp(60.2);
    expect(c.mode()).toBe('cooking');
    expect(c.job?.enteredAtMs).toBe(T0 + MIN);
  });

  it('never runs time backwards', () => {
    const c = cooker(20);
    start(c, 60, 60);
    c.advanceTo(T0 + MIN, physics);
    c.advanceTo(T0, physics);
    expect(c.nowMs).toBe(T0 + MIN);
    expect(c.waterTempC).toBeCloseTo(30, 9);
  });

  it('keeps the last processed command ids, and B job.id from START/STOP only', () => {
    const c = cooker(20);
    for (let i = 0; i < PROCESSED_IDS_KEPT + 3; i++) c.setDisplayUnit(i % 2 ? 'F' : 'C', `u${i}`);
    expect(c.processedCommandIds).toHaveLength(PROCESSED_IDS_KEPT);
    expect(c.processedCommandIds[0]).toBe('u3');
    expect(c.displayUnit).toBe('C');
    start(c, 60, 60, 'start-1');
    c.setDisplayUnit('F', 'unit-2');
    expect(c.jobRequestId).toBe('start-1');
    expect(c.processedCommandIds.slice(-2)).toEqual(['start-1', 'unit-2']);
  });

  it('unofficial set-target/set-timer change a running cook only', () => {
    const c = cooker(60);
    c.setTarget(50, 'x');
    c.setTimer(100, 'y');
    expect(c.job).toBeNull();
    expect(c.processedCommandIds).toEqual([]);
    start(c, 60, 60);
    c.setTarget(65, 't');
    c.setTimer(3600, 'u');
    expect(c.view()).toMatchObject({ targetTempC: 65, timerSeconds: 3600 });
  });
});
