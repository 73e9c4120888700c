/**
 * Alarms a test can force on a simulated cooker, and what the app's parser makes of them: a B
 * job.mode alarm (forcedJobMode) and a C state.mode alarm (forcedState) both read as mode
 * unknown, never idle, with their alert.
 */
import { parseApcState } from '../../app/anova/state';
import { SimCooker } from '../../app/simulator/cooker';
import { stateFrame } from '../../app/simulator/payloads';
import type { SimCookerType, SimPhysics } from '../../app/simulator/types';
import { stateOf } from './peer';

const physics: SimPhysics = { heatingRateCPerMin: 10, coolingRateCPerMin: 1, ambientTempC: 20 };
const T0 = Date.UTC(2026, 2, 1, 18, 0, 0);
const MIN = 60_000;

function cooker(type: SimCookerType, waterTempC = 60): SimCooker {
  return new SimCooker(
    {
      cookerId: `id-${type}`,
      type,
      name: `Cooker ${type}`,
      pairedAtMs: T0 - 86_400_000,
      bootedAtMs: T0 - MIN,
      bootId: 'boot',
    },
    { waterTempC, plugged: true, nowMs: T0, lastConnectedMs: T0, lastDisconnectedMs: T0 - MIN },
  );
}

/** A cooker already cooking at its setpoint, with a 10-minute timer running. */
function cooking(type: SimCookerType): SimCooker {
  const c = cooker(type);
  c.start({ targetC: 60, timerSeconds: 600, requestId: 'req', cookId: 'k', stageId: 's' });
  return c;
}

function parsed(c: SimCooker, atMs: number) {
  c.advanceTo(atMs, physics);
  const frame = stateFrame(c, { nowMs: atMs, online: true });
  const result = parseApcState(frame.payload, atMs);
  if (result === null) throw new Error('the simulator sent an unparseable state');
  return { raw: stateOf(frame), ...result };
}

describe('forcedJobMode (schema B)', () => {
  it('defaults to the real job.mode', () => {
    const c = cooking('a4');
    expect(c.forcedJobMode).toBeNull();
    const { raw, state } = parsed(c, T0 + MIN);
    expect(raw.job.mode).toBe('COOK');
    expect(state.mode).toBe('cooking');
  });

  it.each<[SimCookerType, string, string[]]>([
    ['a4', 'LOW WATER', ['low_water']],
    ['a5', 'HIGH TEMP', ['water_too_hot']],
    ['pro', 'DEVICE FAILURE', ['heater_fault']],
  ])('%s forced to %s mid-cook: mode unknown, timer not running, alerts %p', (type, jobMode, alerts) => {
    const c = cooking(type);
    c.forcedJobMode = jobMode;
    const { raw, state, unknownValues } = parsed(c, T0 + MIN);
    expect(raw.job.mode).toBe(jobMode);
    expect(raw['job-status'].state).toBe('COOKING'); // job-status is left as the device has it
    expect(state).toMatchObject({ mode: 'unknown', timerRunning: false, timerRemainingSeconds: 540, alerts });
    expect(unknownValues).toEqual([]);
  });

  it('an idle cooker forced to an unknown job.mode is unknown (not idle) and the string is reported', () => {
    const c = cooker('a4', 20);
    c.forcedJobMode = 'CALIBRATE';
    const { state, unknownValues } = parsed(c, T0);
    expect(state).toMatchObject({ mode: 'unknown', alerts: [], timerTotalSeconds: null });
    expect(unknownValues).toEqual(['B job.mode "CALIBRATE"']);
  });

  it('does not touch schema C pushes', () => {
    const c = cooking('a7');
    c.forcedJobMode = 'LOW WATER';
    const { raw, state } = parsed(c, T0 + MIN);
    expect(raw.job).toBeUndefined();
    expect(raw.state.mode).toBe('cook');
    expect(state.mode).toBe('cooking');
  });

  it('clearing it restores the real mode', () => {
    const c = cooking('pro');
    c.forcedJobMode = 'LOW WATER';
    parsed(c, T0 + MIN);
    c.forcedJobMode = null;
    expect(parsed(c, T0 + 2 * MIN).state.mode).toBe('cooking');
  });
});

describe('forcedState with a Gen 3 alarm (schema C)', () => {
  it.each<[string, string[]]>([
    ['lowWater', ['water_empty']],
    ['waterLeak', ['water_leak']],
    ['highTemp', ['water_too_hot']],
    ['motorStuck', ['motor_stuck']],
  ])('state.mode %s: mode unknown, timer frozen where it stood, alerts %p', (alarm, alerts) => {
    const c = cooking('a7');
    c.forcedState = alarm;
    const { raw, state, unknownValues } = parsed(c, T0 + MIN);
    expect(raw.state.mode).toBe(alarm);
    expect(state).toMatchObject({ mode: 'unknown', timerRunning: false, timerRemainingSeconds: 540, alerts });
    expect(unknownValues).toEqual([]);
  });
});
