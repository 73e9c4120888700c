import { EVENT } from '../../app/anova/protocol';
import { SimCooker } from '../../app/simulator/cooker';
import { schemaOf, stateFrame, wifiListFrame, wifiVersionFrame, responseFrame } from '../../app/simulator/payloads';
import type { SimCookerType, SimPhysics } from '../../app/simulator/types';
import { stateOf } from './peer';

const physics: SimPhysics = { heatingRateCPerMin: 10, coolingRateCPerMin: 1, ambientTempC: 20 };
const T0 = Date.UTC(2026, 2, 1, 18, 0, 0);
const SEC = 1000;
const MIN = 60 * SEC;

function cooker(type: SimCookerType, waterTempC = 20): SimCooker {
  return new SimCooker(
    {
      cookerId: `id-${type}`,
      type,
      name: `Cooker ${type}`,
      pairedAtMs: T0 - 30 * 86_400_000,
      bootedAtMs: T0 - MIN,
      bootId: 'boot',
    },
    { waterTempC, plugged: true, nowMs: T0, lastConnectedMs: T0, lastDisconnectedMs: T0 - MIN },
  );
}

function render(c: SimCooker, atMs: number, online = true) {
  c.advanceTo(atMs, physics);
  return stateFrame(c, { nowMs: atMs, online });
}

/** Remaining seconds the way a client must compute them for schema C (§2.6 C). */
function remainingFromC(state: {
  updatedTimestamp: string;
  nodes: { timer: { initial: number; startedAtTimestamp: string } };
}) {
  const t = state.nodes.timer;
  return Math.max(0, t.initial - (Date.parse(state.updatedTimestamp) - Date.parse(t.startedAtTimestamp)) / 1000);
}

describe('schema selection', () => {
  it.each<[SimCookerType, 'B' | 'C']>([
    ['a7', 'C'],
    ['a6', 'C'],
    ['a4', 'B'],
    ['a5', 'B'],
    ['pro', 'B'],
  ])('%s speaks schema %s', (type, schema) => {
    expect(schemaOf(type)).toBe(schema);
    const state = stateOf(render(cooker(type), T0));
    expect(schema === 'C' ? 'nodes' in state : 'job' in state).toBe(true);
  });
});

describe('schema C (a6/a7)', () => {
  it('idle: mode idle, no cook, celsius only, online flag and simulated updatedTimestamp', () => {
    const frame = render(cooker('a7', 21.26), T0 + 5 * SEC);
    expect(frame.command).toBe(EVENT.state);
    expect(frame.payload).toMatchObject({ cookerId: 'id-a7', type: 'a7' });
    const s = stateOf(frame);
    expect(s.updatedTimestamp).toBe(new Date(T0 + 5 * SEC).toISOString());
    expect(s.systemInfo).toMatchObject({ deviceId: 'id-a7', online: true, triacsFailed: false });
    expect(s.state).toEqual({
      mode: 'idle',
      temperatureUnit: 'C',
      processedCommandIds: [],
      resumeAfterPowerInterruption: false,
    });
    // 21.26 °C minus 5 s of cooling at 1 °C/min, to one decimal.
    expect(s.nodes.waterTemperatureSensor.current).toEqual({ celsius: 21.2 });
    expect(s.nodes.timer).toEqual({ mode: 'idle', initial: 0 });
    expect(s.cook).toBeUndefined();
    expect(JSON.stringify(s)).not.toMatch(/remaining|fahrenheit/i);
  });

  it('entering → running → completed, with remaining derivable from updatedTimestamp and startedAtTimestamp', () => {
    const c = cooker('a7', 20);
    c.start({ targetC: 60, timerSeconds: 600, requestId: 'req-start', cookId: 'cook-1', stageId: 'stage-1' });

    const preheat = stateOf(render(c, T0 + MIN));
    expect(preheat.state).toMatchObject({ mode: 'cook', processedCommandIds: ['req-start'] });
    expect(preheat.cook).toMatchObject({
      cookId: 'cook-1',
      activeStageId: 'stage-1',
      activeStageMode: 'entering',
      startedTimestamp: new Date(T0).toISOString(),
      activeStageStartedTimestamp: new Date(T0).toISOString(),
    });
    expect(preheat.nodes.timer).toEqual({ mode: 'idle', initial: 600 });
    expect(preheat.nodes.waterTemperatureSensor).toMatchObject({ current: { celsius: 30 }, setpoint: { celsius: 60 } });

    // 39.7 °C at 10 °C/min: the timer starts 238.2 s after START.
    const enteredAt = T0 + 238_200;
    const cooking = stateOf(render(c, enteredAt + 100 * SEC));
    expect(cooking.cook.activeStageMode).toBe('running');
    expect(cooking.nodes.timer).toEqual({
      mode: 'running',
      initial: 600,
      startedAtTimestamp: new Date(enteredAt).toISOString(),
    });
    expect(remainingFromC(cooking)).toBe(500);

    const done = stateOf(render(c, enteredAt + 700 * SEC));
    expect(done.state.mode).toBe('cook'); // still holding temperature
    expect(done.cook.activeStageMode).toBe('running');
    expect(done.nodes.timer.mode).toBe('completed');
    expect(remainingFromC(done)).toBe(0);
  });

  it('cooking without a timer shows a running stage and an idle timer', () => {
    const c = cooker('a6', 60);
    c.start({ targetC: 60, timerSeconds: 0, requestId: 'r', cookId: 'k', stageId: 's' });
    const s = stateOf(render(c, T0 + MIN));
    expect(s.cook.activeStageMode).toBe('running');
    expect(s.nodes.timer).toEqual({ mode: 'idle', initial: 0 });
  });

  it('shows low water, the display unit, a forced state string and online:false when asked', () => {
    const c = cooker('a7');
    c.lowWater = 'empty';
    c.setDisplayUnit('F', 'u1');
    c.forcedState = 'STOP_COOK';
    const s = stateOf(render(c, T0, false));
    expect(s.nodes.lowWater).toEqual({ warning: true, empty: true });
    expect(s.state.temperatureUnit).toBe('F');
    expect(s.nodes.waterTemperatureSensor.current).toEqual({ celsius: 20 });
    expect(s.state.mode).toBe('STOP_COOK');
    expect(s.systemInfo.online).toBe(false);
  });
});

describe('schema B (a4/a5/pro)', () => {
  it('idle since boot: IDLE job, START_COOK state, kebab-case blocks', () => {
    const s = stateOf(render(cooker('a4', 20), T0));
    expect(s.job).toEqual({ id: '', mode: 'IDLE', 'temperature-unit': 'C', 'cook-time-seconds': 0, 'ota-url': '' });
    expect(s['job-status']).toMatchObject({ state: 'START_COOK', 'cook-time-remaining': 0 });
    expect(s['temperature-info']['water-temperature']).toBe(20);
    expect(s['pin-info']).toMatchObject({ 'water-level-low': 0, 'water-level-critical': 0 });
    expect(s['system-info-3220']).toEqual({ 'firmware-version': expect.any(String) });
  });

  it('preheating → cooking → maintaining, remaining counts down then UP after expiry; job.id echoes the requestId', () => {
    const c = cooker('a4', 20);
    c.setDisplayUnit('F', 'unit');
    c.start({ targetC: 60, timerSeconds: 600, requestId: 'req-b', cookId: 'k', stageId: 's' });
    const enteredAt = T0 + 238_200;

    const preheat = stateOf(render(c, T0 + MIN));
    expect(preheat.job).toMatchObject({
      id: 'req-b',
      mode: 'COOK',
      'target-temperature': 60,
      'temperature-unit': 'F',
      'cook-time-seconds': 600,
    });
    expect(preheat['job-status']).toMatchObject({ state: 'PREHEATING', 'cook-time-remaining': 600 });
    expect(preheat['temperature-info']['water-temperature']).toBe(30); // °C whatever the display unit

    const cooking = stateOf(render(c, enteredAt + 100 * SEC));
    expect(cooking['job-status']).toMatchObject({ state: 'COOKING', 'cook-time-remaining': 500 });

    const maintaining = stateOf(render(c, enteredAt + 750 * SEC));
    expect(maintaining.job.mode).toBe('COOK');
    expect(maintaining['job-status']).toMatchObject({ state: 'MAINTAINING', 'cook-time-remaining': 150 });
    const later = stateOf(render(c, enteredAt + 900 * SEC));
    expect(later['job-status']['cook-time-remaining']).toBe(300);
  });

  it('after STOP: IDLE with "" state, job.id = the STOP requestId', () => {
    const c = cooker('pro', 60);
    c.start({ targetC: 60, timerSeconds: 0, requestId: 'go', cookId: 'k', stageId: 's' });
    c.stop('halt');
    const s = stateOf(render(c, T0 + MIN));
    expect(s.job).toMatchObject({ id: 'halt', mode: 'IDLE', 'target-temperature': 60 });
    expect(s['job-status'].state).toBe('');
    expect(s['system-info-2640']).toBeDefined();
  });

  it('maps low water to pin-info and a forced state to job-status.state', () => {
    const c = cooker('a5');
    c.lowWater = 'warning';
    c.forcedState = 'STOP_COOK';
    const s = stateOf(render(c, T0));
    expect(s['pin-info']).toMatchObject({ 'water-level-low': 1, 'water-level-critical': 0 });
    expect(s['job-status'].state).toBe('STOP_COOK');
  });
});

describe('connect-sequence frames', () => {
  it('lists every cooker with id, name, pairedAt, type; versions with ota null', () => {
    const cookers = [cooker('a7'), cooker('a4')];
    expect(wifiListFrame(cookers)).toEqual({
      command: EVENT.wifiList,
      payload: [
        { cookerId: 'id-a7', name: 'Cooker a7', pairedAt: new Date(T0 - 30 * 86_400_000).toISOString(), type: 'a7' },
        { cookerId: 'id-a4', name: 'Cooker a4', pairedAt: new Date(T0 - 30 * 86_400_000).toISOString(), type: 'a4' },
      ],
    });
    const versions = wifiVersionFrame(cookers).payload as { cookerId: string; ota: null }[];
    expect(versions.map((v) => [v.cookerId, v.ota])).toEqual([
      ['id-a7', null],
      ['id-a4', null],
    ]);
  });

  it('a RESPONSE carries the requestId at the top level', () => {
    expect(responseFrame('abc', { status: 'ok' })).toEqual({
      command: 'RESPONSE',
      requestId: 'abc',
      payload: { status: 'ok' },
    });
  });
});
