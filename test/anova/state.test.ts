import { parseApcState } from '../../app/anova/state';
import { celsiusToFahrenheit, fahrenheitToCelsius, projectTimer } from '../../app/cooking/cooker';
import type { CookerAlert, CookerMode, DeviceState, StateSchema } from '../../app/cooking/cooker';
import type { ParseResult } from '../../app/anova/state';
import * as F from '../fixtures/anova-states';
import { mulberry32 } from '../helpers/random';
import { ALL_STATE_FIXTURES, OBSERVED_AT, REQUEST_IDS, variant, type ApcStatePayload } from '../fixtures/anova-states';

// ---------------------------------------------------------------------------------------------
// Helpers

type TimerPart = Pick<
  DeviceState,
  'timerTotalSeconds' | 'timerElapsedSeconds' | 'timerRemainingSeconds' | 'timerRunning'
>;

const NO_TIMER: TimerPart = {
  timerTotalSeconds: null,
  timerElapsedSeconds: null,
  timerRemainingSeconds: null,
  timerRunning: false,
};

function timer(total: number, elapsed: number, remaining: number, running: boolean): TimerPart {
  return {
    timerTotalSeconds: total,
    timerElapsedSeconds: elapsed,
    timerRemainingSeconds: remaining,
    timerRunning: running,
  };
}

/** A full DeviceState: what the payload names, unreadable defaults, then `fields`. */
function expected(payload: ApcStatePayload, schema: StateSchema, fields: Partial<DeviceState>): DeviceState {
  return {
    cookerId: payload.cookerId,
    type: payload.type,
    schema,
    reportsOnline: null,
    mode: 'unknown',
    currentTempC: null,
    targetTempC: null,
    ...NO_TIMER,
    alerts: [],
    processedCommandIds: [],
    observedAt: OBSERVED_AT,
    ...fields,
  };
}

function parse(payload: unknown, observedAt = OBSERVED_AT): ParseResult {
  const result = parseApcState(payload, observedAt);
  if (result === null) throw new Error('expected a parse result, got null');
  assertWellFormed(result);
  return result;
}

const MODES: CookerMode[] = ['idle', 'preheating', 'cooking', 'done', 'unknown'];
const ALERTS: CookerAlert[] = [
  'low_water',
  'water_empty',
  'heater_fault',
  'water_leak',
  'water_too_hot',
  'device_alarm',
  'motor_stuck',
];

/** Invariants every parse result must hold, whatever went in. */
function assertWellFormed(result: ParseResult): void {
  // One plain check per invariant and a single expect: fast enough to run on every fuzz case,
  // and a failure names every broken invariant at once.
  expect({ violations: violations(result), result }).toEqual({ violations: [], result });
}

function violations({ state, unknownValues }: ParseResult): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, invariant: string) => {
    if (!ok) broken.push(invariant);
  };
  const { timerTotalSeconds: total, timerElapsedSeconds: elapsed, timerRemainingSeconds: remaining } = state;
  check(MODES.includes(state.mode), 'mode is a CookerMode');
  check(['A', 'B', 'C'].includes(state.schema), 'schema is A, B or C');
  check(typeof state.cookerId === 'string' && state.cookerId !== '', 'cookerId is a non-empty string');
  check(typeof state.type === 'string', 'type is a string');
  check([true, false, null].includes(state.reportsOnline), 'reportsOnline is boolean or null');
  for (const t of [state.currentTempC, state.targetTempC]) {
    check(t === null || Number.isFinite(t), 'temperatures are finite or null');
  }
  if (total === null) {
    check(elapsed === null && remaining === null && !state.timerRunning, 'no timer: all timer fields empty');
  } else {
    check(Number.isFinite(total) && total > 0, 'timer total is finite and positive');
    check((elapsed === null) === (remaining === null), 'elapsed and remaining both known or both null');
    if (remaining !== null) {
      check(remaining >= 0 && remaining <= total, 'remaining within [0, total]');
      check(elapsed === total - remaining, 'elapsed + remaining = total');
    }
  }
  if (state.timerRunning) {
    check(state.mode === 'cooking', 'a running timer means cooking');
    check(remaining !== null && remaining > 0, 'a running timer has time left');
  }
  check(state.mode !== 'idle' || total === null, 'idle has no timer');
  check(state.mode !== 'done' || total === null || remaining === 0, 'done has 0 remaining');
  check(
    state.alerts.every((a) => ALERTS.includes(a)),
    'alerts are CookerAlerts',
  );
  check(new Set(state.alerts).size === state.alerts.length, 'alerts are distinct');
  check(
    state.processedCommandIds.every((id) => typeof id === 'string'),
    'command ids are strings',
  );
  check(
    unknownValues.every((v) => typeof v === 'string' && v.length < 200),
    'unknown values are short strings',
  );
  check(new Set(unknownValues).size === unknownValues.length, 'unknown values are distinct');
  return broken;
}

// ---------------------------------------------------------------------------------------------
// Every fixture, every field.

interface Row {
  name: string;
  payload: ApcStatePayload;
  schema: StateSchema;
  fields: Partial<DeviceState>;
  unknownValues?: string[];
}

const A_COOKING_F_FIELDS: Partial<DeviceState> = {
  reportsOnline: true,
  mode: 'cooking',
  currentTempC: 57.11, // 134.8 °F
  targetTempC: 57.22, // 135 °F
  ...timer(5400, 1800, 3600, true),
};

const B_COOKING_FIELDS: Partial<DeviceState> = {
  mode: 'cooking',
  currentTempC: 56.96,
  targetTempC: 57.0,
  ...timer(7200, 1075, 6125, true),
  processedCommandIds: [REQUEST_IDS.startHex],
};

const C_COOKING_FIELDS: Partial<DeviceState> = {
  reportsOnline: true,
  mode: 'cooking',
  currentTempC: 57.1,
  targetTempC: 57.0,
  ...timer(7200, 1110, 6090, true),
  processedCommandIds: [REQUEST_IDS.start],
};

const ROWS: Row[] = [
  // A) a3
  {
    name: 'A idle ("None" stage)',
    payload: F.A_IDLE,
    schema: 'A',
    fields: { reportsOnline: true, mode: 'idle', currentTempC: 20.5, targetTempC: 57.22 },
  },
  {
    name: 'A preheating (heating)',
    payload: F.A_PREHEATING,
    schema: 'A',
    fields: {
      reportsOnline: true,
      mode: 'preheating',
      currentTempC: 37,
      targetTempC: 57.22,
      ...timer(5400, 0, 5400, false),
    },
  },
  { name: 'A cooking in °F', payload: F.A_COOKING_F, schema: 'A', fields: A_COOKING_F_FIELDS },
  {
    name: 'A cooking in °C ("Cooking" capitalised)',
    payload: F.A_COOKING_C,
    schema: 'A',
    fields: {
      reportsOnline: true,
      mode: 'cooking',
      currentTempC: 56.9,
      targetTempC: 57.0,
      ...timer(3600, 2400, 1200, true),
    },
  },
  {
    name: 'A keeping warm = done',
    payload: F.A_KEEPING_WARM,
    schema: 'A',
    fields: {
      reportsOnline: true,
      mode: 'done',
      currentTempC: 57.28,
      targetTempC: 57.22,
      ...timer(5400, 5400, 0, false),
    },
  },
  {
    name: 'A alarm',
    payload: F.A_ALARM,
    schema: 'A',
    fields: { ...A_COOKING_F_FIELDS, alerts: ['device_alarm'] },
  },
  {
    name: 'A disconnected',
    payload: F.A_DISCONNECTED,
    schema: 'A',
    fields: { ...A_COOKING_F_FIELDS, reportsOnline: false },
  },
  {
    name: 'A unknown stage "reconnecting"',
    payload: F.A_RECONNECTING,
    schema: 'A',
    fields: { ...A_COOKING_F_FIELDS, mode: 'unknown', timerRunning: false },
    unknownValues: ['A jobStage "reconnecting"'],
  },

  // B) a4 / a5 / pro
  {
    name: 'B idle (mode IDLE, state "") ignores the last job\'s timer',
    payload: F.B_IDLE,
    schema: 'B',
    fields: { mode: 'idle', currentTempC: 22.3, targetTempC: 57.0, processedCommandIds: [REQUEST_IDS.startHex] },
  },
  {
    name: 'B START_COOK = idle',
    payload: F.B_START_COOK,
    schema: 'B',
    fields: { mode: 'idle', currentTempC: 22.4, targetTempC: 57.0, processedCommandIds: [REQUEST_IDS.startHex] },
  },
  {
    name: 'B pro preheating: remaining = total',
    payload: F.B_PREHEATING_PRO,
    schema: 'B',
    fields: {
      mode: 'preheating',
      currentTempC: 41.2,
      targetTempC: 63.5,
      ...timer(5400, 0, 5400, false),
      processedCommandIds: [REQUEST_IDS.start],
    },
  },
  {
    name: 'B cooking (°C although the display unit is F)',
    payload: F.B_COOKING,
    schema: 'B',
    fields: B_COOKING_FIELDS,
  },
  {
    name: 'B cooking, no timer',
    payload: F.B_COOKING_NO_TIMER,
    schema: 'B',
    fields: { mode: 'cooking', currentTempC: 59.94, targetTempC: 60.0, processedCommandIds: [REQUEST_IDS.startHex] },
  },
  {
    name: 'B maintaining: the count-up is never reported',
    payload: F.B_MAINTAINING_COUNT_UP,
    schema: 'B',
    fields: {
      mode: 'done',
      currentTempC: 57.01,
      targetTempC: 57.0,
      ...timer(7200, 7200, 0, false),
      processedCommandIds: [REQUEST_IDS.startHex],
    },
  },
  {
    name: 'B TIMER EXPIRED = done',
    payload: F.B_TIMER_EXPIRED,
    schema: 'B',
    fields: {
      mode: 'done',
      currentTempC: 57.0,
      targetTempC: 57.0,
      ...timer(7200, 7200, 0, false),
      processedCommandIds: [REQUEST_IDS.startHex],
    },
  },
  {
    name: 'B LOW WATER mode + pin: one alert, mode unknown (an alarm is not idle)',
    payload: F.B_LOW_WATER_MODE,
    schema: 'B',
    fields: {
      mode: 'unknown',
      currentTempC: 55.3,
      targetTempC: 57.0,
      alerts: ['low_water'],
      processedCommandIds: [REQUEST_IDS.startHex],
    },
  },
  {
    name: 'B water critical while cooking',
    payload: F.B_WATER_EMPTY,
    schema: 'B',
    fields: {
      ...B_COOKING_FIELDS,
      currentTempC: 56.2,
      ...timer(7200, 4200, 3000, true),
      alerts: ['low_water', 'water_empty'],
    },
  },
  {
    name: 'B HIGH TEMP mode + pin, mode unknown',
    payload: F.B_HIGH_TEMP,
    schema: 'B',
    fields: {
      mode: 'unknown',
      currentTempC: 97.5,
      targetTempC: 57.0,
      alerts: ['water_too_hot'],
      processedCommandIds: [REQUEST_IDS.startHex],
    },
  },
  {
    name: 'B DEVICE FAILURE, mode unknown',
    payload: F.B_DEVICE_FAILURE,
    schema: 'B',
    fields: {
      mode: 'unknown',
      currentTempC: 31.0,
      targetTempC: 57.0,
      alerts: ['heater_fault'],
      processedCommandIds: [REQUEST_IDS.startHex],
    },
  },
  {
    name: 'B water leak (boolean pin)',
    payload: F.B_WATER_LEAK,
    schema: 'B',
    fields: { ...B_COOKING_FIELDS, currentTempC: 56.99, ...timer(7200, 3200, 4000, true), alerts: ['water_leak'] },
  },
  {
    name: 'B unknown state "STOP_COOK"',
    payload: F.B_STOP_COOK,
    schema: 'B',
    fields: { ...B_COOKING_FIELDS, mode: 'unknown', currentTempC: 56.99, ...timer(7200, 3200, 4000, false) },
    unknownValues: ['B job-status.state "STOP_COOK"'],
  },
  {
    name: 'B unknown job.mode "CALIBRATE" while COOKING: unknown, never idle; timer read but not running',
    payload: F.B_UNKNOWN_JOB_MODE,
    schema: 'B',
    fields: { ...B_COOKING_FIELDS, mode: 'unknown', currentTempC: 56.98, ...timer(7200, 3200, 4000, false) },
    unknownValues: ['B job.mode "CALIBRATE"'],
  },
  {
    name: 'B honey-badger (A4 variant) by type',
    payload: F.B_HONEY_BADGER_COOKING,
    schema: 'B',
    fields: {
      ...B_COOKING_FIELDS,
      currentTempC: 60.97,
      targetTempC: 61.0,
      ...timer(5400, 3000, 2400, true),
    },
  },
  {
    name: 'B pro with pin-info motor-stuck: still cooking, motor_stuck alert',
    payload: F.B_PRO_MOTOR_STUCK,
    schema: 'B',
    fields: {
      mode: 'cooking',
      currentTempC: 63.38,
      targetTempC: 63.5,
      ...timer(5400, 2300, 3100, true),
      alerts: ['motor_stuck'],
      processedCommandIds: [REQUEST_IDS.start],
    },
  },
  {
    name: 'B a5 with sparse blocks',
    payload: F.B_A5_COOKING,
    schema: 'B',
    fields: {
      mode: 'cooking',
      currentTempC: 54.7,
      targetTempC: 54.72,
      ...timer(10800, 1800, 9000, true),
      processedCommandIds: [REQUEST_IDS.start],
    },
  },

  // C) a6 / a7
  {
    name: 'C idle',
    payload: F.C_IDLE,
    schema: 'C',
    fields: {
      reportsOnline: true,
      mode: 'idle',
      currentTempC: 21.4,
      targetTempC: 57.0,
      processedCommandIds: [REQUEST_IDS.start, REQUEST_IDS.stop],
    },
  },
  {
    name: 'C preheating (stage entering)',
    payload: F.C_PREHEATING_ENTERING,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, mode: 'preheating', currentTempC: 38.2, ...timer(7200, 0, 7200, false) },
  },
  {
    name: 'C timer set but not started = preheating',
    payload: F.C_TIMER_NOT_STARTED,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, mode: 'preheating', currentTempC: 56.6, ...timer(7200, 0, 7200, false) },
  },
  {
    name: 'C cooking: remaining from initial, start and updatedTimestamp',
    payload: F.C_COOKING,
    schema: 'C',
    fields: C_COOKING_FIELDS,
  },
  {
    name: 'C cooking, no timer',
    payload: F.C_COOKING_NO_TIMER,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, currentTempC: 60.02, targetTempC: 60.0, ...NO_TIMER },
  },
  {
    name: 'C paused = cooking, timer not running',
    payload: F.C_PAUSED,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, timerRunning: false },
  },
  {
    name: 'C completed = done',
    payload: F.C_COMPLETED,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, mode: 'done', currentTempC: 57.02, ...timer(3600, 3600, 0, false) },
  },
  {
    name: 'C low water warning',
    payload: F.C_LOW_WATER,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, alerts: ['low_water'] },
  },
  {
    name: 'C water empty',
    payload: F.C_WATER_EMPTY,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, currentTempC: 55.8, alerts: ['low_water', 'water_empty'] },
  },
  {
    name: 'C triacs failed',
    payload: F.C_TRIACS_FAILED,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, currentTempC: 49.0, alerts: ['heater_fault'] },
  },
  {
    name: 'C offline stale replay: online false, remaining as of its own timestamp',
    payload: F.C_OFFLINE_STALE,
    schema: 'C',
    fields: {
      ...C_COOKING_FIELDS,
      reportsOnline: false,
      currentTempC: 61.9,
      targetTempC: 62.0,
      ...timer(10800, 2643, 8157, true),
    },
  },
  {
    name: 'C unknown mode "descaling"',
    payload: F.C_DESCALING,
    schema: 'C',
    fields: {
      reportsOnline: true,
      mode: 'unknown',
      currentTempC: 45.0,
      targetTempC: 57.0,
      processedCommandIds: [REQUEST_IDS.start],
    },
    unknownValues: ['C state.mode "descaling"'],
  },
  {
    name: 'C a6 with fahrenheit only',
    payload: F.C_A6_FAHRENHEIT_ONLY,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, currentTempC: 57, targetTempC: 57.22 },
  },
  { name: 'C both units: celsius wins', payload: F.C_BOTH_UNITS, schema: 'C', fields: C_COOKING_FIELDS },
  {
    name: 'C unparseable updatedTimestamp: "now" = observedAt',
    payload: F.C_BAD_UPDATED_TIMESTAMP,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, ...timer(7200, 1112, 6088, true) },
  },
  {
    name: 'C a9 (Pro 3.0) by type',
    payload: F.C_A9_COOKING,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, currentTempC: 63.04, targetTempC: 63.0 },
  },
  {
    name: 'C alarm lowWater: unknown, water_empty from the mode plus the low_water warning; timer frozen',
    payload: F.C_ALARM_LOW_WATER,
    schema: 'C',
    fields: {
      ...C_COOKING_FIELDS,
      mode: 'unknown',
      currentTempC: 55.9,
      timerRunning: false,
      alerts: ['low_water', 'water_empty'],
    },
  },
  {
    name: 'C alarm waterLeak during preheat: unknown, water_leak, timer not started',
    payload: F.C_ALARM_WATER_LEAK,
    schema: 'C',
    fields: {
      ...C_COOKING_FIELDS,
      mode: 'unknown',
      currentTempC: 40.1,
      ...timer(7200, 0, 7200, false),
      alerts: ['water_leak'],
    },
  },
  {
    name: 'C alarm highTemp after the timer completed: unknown, water_too_hot, 0 left',
    payload: F.C_ALARM_HIGH_TEMP,
    schema: 'C',
    fields: {
      ...C_COOKING_FIELDS,
      mode: 'unknown',
      currentTempC: 96.5,
      ...timer(3600, 3600, 0, false),
      alerts: ['water_too_hot'],
    },
  },
  {
    name: 'C alarm motorStuck without cook block or timer: unknown, motor_stuck',
    payload: F.C_ALARM_MOTOR_STUCK,
    schema: 'C',
    fields: { ...C_COOKING_FIELDS, mode: 'unknown', currentTempC: 48.3, ...NO_TIMER, alerts: ['motor_stuck'] },
  },
];

describe('parseApcState: fixtures', () => {
  it('covers every fixture', () => {
    expect(new Set(ROWS.map((r) => r.payload))).toEqual(new Set(Object.values(ALL_STATE_FIXTURES)));
  });

  it.each(ROWS)('$name', ({ payload, schema, fields, unknownValues = [] }) => {
    const before = JSON.stringify(payload);
    const result = parse(payload);
    expect(result.state).toEqual(expected(payload, schema, fields));
    expect(result.unknownValues).toEqual(unknownValues);
    expect(JSON.stringify(payload)).toBe(before); // frozen fixtures: also proves no mutation
  });

  it('parses a payload taken straight from a JSON frame', () => {
    const frame = JSON.parse(JSON.stringify(F.stateFrame(F.C_COOKING)));
    expect(parse(frame.payload).state).toEqual(expected(F.C_COOKING, 'C', C_COOKING_FIELDS));
  });
});

// ---------------------------------------------------------------------------------------------
// Schema A details

describe('parseApcState: schema A (a3)', () => {
  it.each([
    ['135 °F', 135, 57.22],
    ['32 °F', 32, 0],
    ['212 °F', 212, 100],
    ['-40 °F', -40, -40],
    ['130.5 °F', 130.5, 54.72],
  ])('converts %s to °C rounded to 0.01', (_label, fahrenheit, celsius) => {
    const payload = variant(F.A_COOKING_F, (s) => {
      s.currentTemperature = fahrenheit;
    });
    expect(parse(payload).state.currentTempC).toBe(celsius);
  });

  it('reads the unit case-insensitively', () => {
    const payload = variant(F.A_COOKING_F, (s) => {
      s.unit = 'F';
    });
    expect(parse(payload).state.targetTempC).toBe(57.22);
  });

  it('falls back to currentJob.tempUnit and currentJob.targetTemperature', () => {
    const payload = variant(F.A_COOKING_F, (s) => {
      delete s.unit;
      delete s.targetTemperature;
    });
    const { state } = parse(payload);
    expect([state.currentTempC, state.targetTempC]).toEqual([57.11, 57.22]);
  });

  it('reads no temperatures when the unit is unknown (never guesses °C)', () => {
    const missing = variant(F.A_COOKING_F, (s) => {
      delete s.unit;
      delete s.currentJob.tempUnit;
    });
    const odd = variant(F.A_COOKING_F, (s) => {
      s.unit = 'k';
    });
    expect(parse(missing).state).toMatchObject({ currentTempC: null, targetTempC: null, mode: 'cooking' });
    expect(parse(missing).unknownValues).toEqual([]);
    expect(parse(odd).state).toMatchObject({ currentTempC: null, targetTempC: null });
    expect(parse(odd).unknownValues).toEqual(['A unit "k"']);
  });

  it.each<[string, Record<string, unknown>, CookerMode]>([
    ['isCooking false wins over a stale stage', { isCooking: false, stage: 'cooking' }, 'idle'],
    ['isKeepingWarm wins', { isKeepingWarm: true, stage: 'cooking' }, 'done'],
    ['"NONE" any case', { stage: 'NONE' }, 'idle'],
    ['"preheating" (older REST)', { stage: 'preheating' }, 'preheating'],
    ['"KEEPING_WARM"', { stage: 'KEEPING_WARM' }, 'done'],
    ['"keeping warm" with a space', { stage: 'keeping warm' }, 'done'],
    ['no stage while cooking', { stage: undefined }, 'unknown'],
  ])('mode: %s', (_label, { isCooking = true, isKeepingWarm = false, stage }, mode) => {
    const payload = variant(F.A_COOKING_F, (s) => {
      s.isCooking = isCooking;
      s.isKeepingWarm = isKeepingWarm;
      if (stage === undefined) delete s.currentJob.jobStage;
      else s.currentJob.jobStage = stage;
    });
    expect(parse(payload).state.mode).toBe(mode);
  });

  it('timer: timerLength 0 means no timer; remaining is clamped to the total', () => {
    const noTimer = variant(F.A_COOKING_F, (s) => {
      s.currentJob.timerLength = 0;
    });
    const over = variant(F.A_COOKING_F, (s) => {
      s.timerInSeconds = 9999;
    });
    const stopped = variant(F.A_COOKING_F, (s) => {
      s.isTimerRunning = false;
    });
    expect(parse(noTimer).state).toMatchObject(NO_TIMER);
    expect(parse(over).state).toMatchObject(timer(5400, 0, 5400, true));
    expect(parse(stopped).state).toMatchObject(timer(5400, 1800, 3600, false));
  });

  it('reportsOnline is null when isConnected is not a boolean', () => {
    const payload = variant(F.A_COOKING_F, (s) => {
      s.isConnected = 'yes';
    });
    expect(parse(payload).state.reportsOnline).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Schema B details

function bWith(jobMode: unknown, jobState: unknown, extra: (s: Record<string, any>) => void = () => {}) {
  return variant(F.B_COOKING, (s) => {
    s.job.mode = jobMode;
    s['job-status'].state = jobState;
    extra(s);
  });
}

describe('parseApcState: schema B (a4/a5/pro)', () => {
  it.each<[unknown, unknown, CookerMode, string[]]>([
    ['COOK', 'PREHEATING', 'preheating', []],
    ['cook', 'cooking', 'cooking', []],
    ['Cook', 'Maintaining', 'done', []],
    ['COOK', 'timer_expired', 'done', []],
    ['COOK', 'Timer Expired', 'done', []],
    ['COOK', 'SET TIMER', 'idle', []],
    ['COOK', 'set_timer', 'idle', []],
    ['COOK', '', 'idle', []],
    ['IDLE', 'COOKING', 'idle', []], // mode decides first
    ['STARTUP', '', 'idle', []],
    ['OTA', '', 'idle', []],
    ['PROVISIONING', '', 'idle', []],
    ['DESCALE', '', 'unknown', ['B job.mode "DESCALE"']], // unknown mode: never idle, a heater may be on
    ['DESCALE', 'COOKING', 'unknown', ['B job.mode "DESCALE"']],
    ['LOW WATER', '', 'unknown', []], // alarms: never idle, never the job-status phase
    ['LOW WATER', 'COOKING', 'unknown', []],
    ['low_water', 'PREHEATING', 'unknown', []],
    ['HIGH TEMP', 'MAINTAINING', 'unknown', []],
    ['Device Failure', 'COOKING', 'unknown', []],
    ['COOK', 'STOP_COOK', 'unknown', ['B job-status.state "STOP_COOK"']],
    ['IDLE', 'STOP_COOK', 'idle', ['B job-status.state "STOP_COOK"']],
    ['LOW WATER', 'STOP_COOK', 'unknown', ['B job-status.state "STOP_COOK"']],
    ['COOK', undefined, 'unknown', []],
    [undefined, 'COOKING', 'unknown', []],
    [42, 'COOKING', 'unknown', []],
    ['COOK', 7, 'unknown', []],
  ])('job.mode %p + state %p → %s', (jobMode, jobState, mode, unknownValues) => {
    const result = parse(bWith(jobMode, jobState));
    expect(result.state.mode).toBe(mode);
    expect(result.unknownValues).toEqual(unknownValues);
  });

  it.each<[string, unknown, number | null, number | null, boolean]>([
    ['in range', 6125, 1075, 6125, true],
    ['above the total', 9000, 0, 7200, true],
    ['negative', -5, 7200, 0, false],
    ['fractional', 6125.4, 1075, 6125, true],
    ['missing', undefined, null, null, false],
    ['a string', '6125', null, null, false],
  ])('COOKING remaining %s', (_label, remaining, elapsedSeconds, remainingSeconds, running) => {
    const payload = variant(F.B_COOKING, (s) => {
      s['job-status']['cook-time-remaining'] = remaining;
    });
    expect(parse(payload).state).toMatchObject({
      timerTotalSeconds: 7200,
      timerElapsedSeconds: elapsedSeconds,
      timerRemainingSeconds: remainingSeconds,
      timerRunning: running,
    });
  });

  it('preheating ignores the reported remaining (the timer starts at temperature)', () => {
    const payload = bWith('COOK', 'PREHEATING', (s) => {
      s['job-status']['cook-time-remaining'] = 7100;
    });
    expect(parse(payload).state).toMatchObject(timer(7200, 0, 7200, false));
  });

  it.each([0, -60, '7200', null])('cook-time-seconds %p means no timer', (seconds) => {
    const payload = variant(F.B_COOKING, (s) => {
      s.job['cook-time-seconds'] = seconds;
    });
    expect(parse(payload).state).toMatchObject({ mode: 'cooking', ...NO_TIMER });
  });

  it.each<[string, unknown, CookerAlert[]]>([
    ['water-level-low 1', { 'water-level-low': 1 }, ['low_water']],
    ['water-level-critical true', { 'water-level-critical': true }, ['water_empty']],
    ['water-leak 1', { 'water-leak': 1 }, ['water_leak']],
    ['water-temp-too-high 1', { 'water-temp-too-high': 1 }, ['water_too_hot']],
    ['motor-stuck 1', { 'motor-stuck': 1 }, ['motor_stuck']],
    ['motor-stuck true', { 'motor-stuck': true }, ['motor_stuck']],
    ['motor-stuck 0', { 'motor-stuck': 0 }, []],
    [
      'all pins',
      {
        'motor-stuck': 1,
        'water-level-low': 1,
        'water-level-critical': 1,
        'water-leak': 1,
        'water-temp-too-high': 1,
      },
      ['low_water', 'water_empty', 'water_leak', 'water_too_hot', 'motor_stuck'],
    ],
    ['string "1" and 2 are not flags', { 'water-level-low': '1', 'water-leak': 2 }, []],
    ['device-safe is not an alert', { 'device-safe': 0 }, []],
    ['empty pin-info', {}, []],
    ['pin-info is an array', [1, 1, 1], []],
  ])('pin-info: %s', (_label, pins, alerts) => {
    const payload = variant(F.B_COOKING, (s) => {
      s['pin-info'] = pins;
    });
    expect(parse(payload).state.alerts).toEqual(alerts);
  });

  it('processedCommandIds is [job.id] only for a non-empty string', () => {
    const empty = variant(F.B_COOKING, (s) => {
      s.job.id = '';
    });
    const numeric = variant(F.B_COOKING, (s) => {
      s.job.id = 12;
    });
    expect(parse(F.B_COOKING).state.processedCommandIds).toEqual([REQUEST_IDS.startHex]);
    expect(parse(empty).state.processedCommandIds).toEqual([]);
    expect(parse(numeric).state.processedCommandIds).toEqual([]);
  });

  it('temperatures stay °C whatever temperature-unit says', () => {
    const celsius = variant(F.B_COOKING, (s) => {
      s.job['temperature-unit'] = 'C';
    });
    expect(parse(celsius).state).toMatchObject({ currentTempC: 56.96, targetTempC: 57.0 });
    expect(parse(F.B_COOKING).state).toMatchObject({ currentTempC: 56.96, targetTempC: 57.0 });
  });

  it('reports each unknown value once', () => {
    const payload = bWith('WEIRD', 'WEIRDER');
    expect(parse(payload).unknownValues).toEqual(['B job.mode "WEIRD"', 'B job-status.state "WEIRDER"']);
  });

  it.each<[string, unknown, unknown, CookerAlert[]]>([
    ['LOW WATER', 'LOW WATER', '', ['low_water']],
    ['HIGH TEMP', 'HIGH TEMP', '', ['water_too_hot']],
    ['DEVICE FAILURE', 'DEVICE FAILURE', '', ['heater_fault']],
    ['an unknown mode', 'CALIBRATE', '', []],
    ['a missing mode', undefined, 'COOKING', []],
  ])('job.mode %s: mode unknown, never idle, with its alert', (_label, jobMode, jobState, alerts) => {
    const { state } = parse(bWith(jobMode, jobState, (s) => (s['pin-info'] = {})));
    expect([state.mode, state.alerts]).toEqual(['unknown', alerts]);
  });

  it.each<[string, unknown, Partial<DeviceState>]>([
    ['COOKING: time left as reported', 'COOKING', timer(7200, 1075, 6125, false)],
    ['PREHEATING: the full timer', 'PREHEATING', timer(7200, 0, 7200, false)],
    ['MAINTAINING: none left', 'MAINTAINING', timer(7200, 7200, 0, false)],
    ['"" (idle status): no timer', '', NO_TIMER],
    ['an unknown status: time left as reported', 'STOP_COOK', timer(7200, 1075, 6125, false)],
  ])('an alarm over job-status %s, never running', (_label, jobState, fields) => {
    expect(parse(bWith('LOW WATER', jobState)).state).toMatchObject({ mode: 'unknown', ...fields });
  });

  it.each(['STARTUP', 'OTA', 'PROVISIONING', 'IDLE'])(
    '%s is idle with no timer (the device is not heating)',
    (jobMode) => {
      expect(parse(bWith(jobMode, 'COOKING')).state).toMatchObject({ mode: 'idle', ...NO_TIMER });
    },
  );

  it('alerts come in API order, whichever field raised them', () => {
    const payload = bWith('HIGH TEMP', '', (s) => {
      s['pin-info'] = { 'motor-stuck': 1, 'water-temp-too-high': 1, 'water-level-low': 1 };
    });
    expect(parse(payload).state.alerts).toEqual(['low_water', 'water_too_hot', 'motor_stuck']);
  });
});

// ---------------------------------------------------------------------------------------------
// Schema C details

function cWith(change: (s: Record<string, any>) => void) {
  return variant(F.C_COOKING, change);
}

describe('parseApcState: schema C (a6/a7)', () => {
  it.each([
    ['just received', OBSERVED_AT],
    ['local clock a day behind', OBSERVED_AT - 86_400_000],
    ['local clock an hour ahead', OBSERVED_AT + 3_600_000],
    ['local clock at epoch 0', 0],
  ])('remaining uses updatedTimestamp, not the local clock (%s)', (_label, observedAt) => {
    expect(parse(F.C_COOKING, observedAt).state).toMatchObject(timer(7200, 1110, 6090, true));
  });

  const C_START = '2026-03-01T18:02:10Z'; // as in C_COOKING
  const C_NOW = '2026-03-01T18:20:40Z';
  const UNKNOWN_REMAINING = { ...NO_TIMER, timerTotalSeconds: 7200 };
  it.each<[string, unknown, unknown, Partial<DeviceState>]>([
    ['simulated clock far ahead', C_START, '2026-03-01T19:02:10Z', timer(7200, 3600, 3600, true)],
    ['start after "now" (skew): clamped', '2026-03-01T18:30:00Z', C_NOW, timer(7200, 0, 7200, true)],
    ['past the end, not yet completed', '2026-03-01T10:00:00Z', C_NOW, timer(7200, 7200, 0, false)],
    ['milliseconds round to whole seconds', '2026-03-01T18:02:10.400Z', C_NOW, timer(7200, 1110, 6090, true)],
    ['timestamps with a zone offset', '2026-03-01T19:02:10+01:00', C_NOW, timer(7200, 1110, 6090, true)],
    ['no start time', undefined, C_NOW, UNKNOWN_REMAINING],
    ['start time garbage', 'soon', C_NOW, UNKNOWN_REMAINING],
    ['numeric updatedTimestamp: observedAt instead', C_START, 1772389240000, timer(7200, 1112, 6088, true)],
  ])('timer: %s', (_label, startedAt, updated, fields) => {
    const payload = cWith((s) => {
      s.nodes.timer.startedAtTimestamp = startedAt;
      s.updatedTimestamp = updated;
    });
    expect(parse(payload).state).toMatchObject(fields);
  });

  it.each<[string, unknown, unknown, number, CookerMode, boolean]>([
    ['entering wins over a running timer', 'entering', 'running', 7200, 'preheating', false],
    ['running timer', 'running', 'running', 7200, 'cooking', true],
    ['paused timer', 'running', 'paused', 7200, 'cooking', false],
    ['completed timer', 'running', 'completed', 7200, 'done', false],
    ['idle timer with a timer set', 'running', 'idle', 7200, 'preheating', false],
    ['idle timer without a timer', 'running', 'idle', 0, 'cooking', false],
    ['no timer mode, no timer', 'running', undefined, 0, 'cooking', false],
    ['no timer mode, timer set', 'running', undefined, 7200, 'preheating', false],
    ['no cook block at all', undefined, 'running', 7200, 'cooking', true],
    ['RUNNING in capitals', 'RUNNING', 'RUNNING', 7200, 'cooking', true],
  ])('mode: %s', (_label, stage, timerMode, initial, mode, running) => {
    const payload = cWith((s) => {
      if (stage === undefined) delete s.cook;
      else s.cook.activeStageMode = stage;
      if (timerMode === undefined) delete s.nodes.timer.mode;
      else s.nodes.timer.mode = timerMode;
      s.nodes.timer.initial = initial;
    });
    const { state, unknownValues } = parse(payload);
    expect([state.mode, state.timerRunning]).toEqual([mode, running]);
    expect(unknownValues).toEqual([]);
  });

  it('an unknown timer mode makes the mode unknown and is reported', () => {
    const payload = cWith((s) => {
      s.nodes.timer.mode = 'snoozing';
    });
    const { state, unknownValues } = parse(payload);
    expect(state).toMatchObject({ mode: 'unknown', ...timer(7200, 1110, 6090, false) });
    expect(unknownValues).toEqual(['C nodes.timer.mode "snoozing"']);
  });

  it('an unknown stage mode is reported but the timer still decides', () => {
    const payload = cWith((s) => {
      s.cook.activeStageMode = 'holding';
    });
    const { state, unknownValues } = parse(payload);
    expect(state.mode).toBe('cooking');
    expect(unknownValues).toEqual(['C cook.activeStageMode "holding"']);
  });

  it('state.mode idle wins over leftover timer and cook blocks', () => {
    const payload = cWith((s) => {
      s.state.mode = 'IDLE';
    });
    expect(parse(payload).state).toMatchObject({ mode: 'idle', ...NO_TIMER });
  });

  it('processedCommandIds keeps strings only', () => {
    const mixed = cWith((s) => {
      s.state.processedCommandIds = ['a', 5, null, 'b', { id: 'c' }];
    });
    const notArray = cWith((s) => {
      s.state.processedCommandIds = 'a';
    });
    expect(parse(mixed).state.processedCommandIds).toEqual(['a', 'b']);
    expect(parse(notArray).state.processedCommandIds).toEqual([]);
  });

  it.each([
    [undefined, null],
    ['true', null],
    [1, null],
    [true, true],
    [false, false],
  ])('systemInfo.online %p → reportsOnline %p', (online, reportsOnline) => {
    const payload = cWith((s) => {
      s.systemInfo.online = online;
    });
    expect(parse(payload).state.reportsOnline).toBe(reportsOnline);
  });

  it('temperatures: missing nodes read as null; non-numbers are ignored', () => {
    const noSensor = cWith((s) => {
      delete s.nodes.waterTemperatureSensor;
    });
    const stringy = cWith((s) => {
      s.nodes.waterTemperatureSensor.current = { celsius: '57.1', fahrenheit: 134.6 };
      s.nodes.waterTemperatureSensor.setpoint = { celsius: NaN };
    });
    expect(parse(noSensor).state).toMatchObject({ currentTempC: null, targetTempC: null });
    expect(parse(stringy).state).toMatchObject({ currentTempC: 57, targetTempC: null });
  });

  it('alerts accept 1 as well as true, and nothing else', () => {
    const ones = cWith((s) => {
      s.nodes.lowWater = { warning: 1, empty: 1 };
      s.systemInfo.triacsFailed = 1;
    });
    const strings = cWith((s) => {
      s.nodes.lowWater = { warning: 'true', empty: 'yes' };
      s.systemInfo.triacsFailed = 'false';
    });
    expect(parse(ones).state.alerts).toEqual(['low_water', 'water_empty', 'heater_fault']);
    expect(parse(strings).state.alerts).toEqual([]);
  });

  it.each<[string, CookerAlert]>([
    ['lowWater', 'water_empty'],
    ['waterLeak', 'water_leak'],
    ['highTemp', 'water_too_hot'],
    ['motorStuck', 'motor_stuck'],
    ['LOW_WATER', 'water_empty'],
    ['water leak', 'water_leak'],
    ['HIGHTEMP', 'water_too_hot'],
    ['motor-stuck', 'motor_stuck'],
  ])('alarm mode %p: unknown (not idle), alert %p, not reported as unknown', (alarm, alert) => {
    const payload = cWith((s) => {
      s.state.mode = alarm;
    });
    const { state, unknownValues } = parse(payload);
    expect([state.mode, state.alerts, unknownValues]).toEqual(['unknown', [alert], []]);
  });

  it('an alarm is never idle or running, whatever the stage and timer say', () => {
    const stages = [undefined, 'entering', 'running'];
    const timers = [undefined, 'idle', 'running', 'paused', 'completed'];
    const seen = new Set<string>();
    for (const alarm of ['lowWater', 'waterLeak', 'highTemp', 'motorStuck']) {
      for (const stage of stages) {
        for (const timerMode of timers) {
          const payload = cWith((s) => {
            s.state.mode = alarm;
            if (stage === undefined) delete s.cook;
            else s.cook.activeStageMode = stage;
            if (timerMode === undefined) delete s.nodes.timer.mode;
            else s.nodes.timer.mode = timerMode;
          });
          const { state } = parse(payload);
          seen.add(`${state.mode}/${state.timerRunning}`);
        }
      }
    }
    expect([...seen]).toEqual(['unknown/false']);
  });

  it('alarm and node alerts merge: distinct, in API order', () => {
    const leak = cWith((s) => {
      s.state.mode = 'waterLeak';
      s.nodes.lowWater = { warning: true, empty: true };
      s.systemInfo.triacsFailed = true;
    });
    const empty = cWith((s) => {
      s.state.mode = 'lowWater';
      s.nodes.lowWater = { warning: false, empty: true };
    });
    expect(parse(leak).state.alerts).toEqual(['low_water', 'water_empty', 'heater_fault', 'water_leak']);
    expect(parse(empty).state.alerts).toEqual(['water_empty']);
  });

  it('an unknown state.mode is unknown with no alert, and reported', () => {
    const payload = cWith((s) => {
      s.state.mode = 'overheated';
    });
    const { state, unknownValues } = parse(payload);
    expect([state.mode, state.alerts, state.timerRunning]).toEqual(['unknown', [], false]);
    expect(unknownValues).toEqual(['C state.mode "overheated"']);
  });
});

// ---------------------------------------------------------------------------------------------
// Schema choice

describe('parseApcState: schema choice', () => {
  const withType = (base: ApcStatePayload, type: unknown) => variant(base, () => {}, { type: type as string });
  const withoutType = (base: ApcStatePayload) => {
    const { type: _dropped, ...rest } = structuredClone(base);
    return rest;
  };

  it.each<[string, unknown, StateSchema, string, string[]]>([
    ['a3 by type', F.A_COOKING_F, 'A', 'a3', []],
    ['pro by type', F.B_PREHEATING_PRO, 'B', 'pro', []],
    ['a5 by type', F.B_A5_COOKING, 'B', 'a5', []],
    ['a6 by type', F.C_A6_FAHRENHEIT_ONLY, 'C', 'a6', []],
    ['type case-insensitive (A7)', withType(F.C_COOKING, 'A7'), 'C', 'A7', []],
    ['a8 (Mini) as C', withType(F.C_COOKING, 'a8'), 'C', 'a8', []],
    ['missing type, job → B', withoutType(F.B_COOKING), 'B', '', []],
    ['missing type, nodes → C', withoutType(F.C_COOKING), 'C', '', []],
    ['missing type, isCooking → A', withoutType(F.A_COOKING_F), 'A', '', []],
    ['numeric type, job → B', withType(F.B_COOKING, 4), 'B', '', []],
    ['a9 (Pro 3.0) by type', F.C_A9_COOKING, 'C', 'a9', []],
    ['honey-badger by type', F.B_HONEY_BADGER_COOKING, 'B', 'honey-badger', []],
    ['HONEY-BADGER case-insensitive', withType(F.B_COOKING, 'HONEY-BADGER'), 'B', 'HONEY-BADGER', []],
    [
      'a9 as B only when the state has B keys',
      withType(F.B_COOKING, 'a9'),
      'B',
      'a9',
      ['type "a9" but state has schema B keys'],
    ],
    [
      'honey-badger as C only when the state has C keys',
      withType(F.C_COOKING, 'honey-badger'),
      'C',
      'honey-badger',
      ['type "honey-badger" but state has schema C keys'],
    ],
    ['unknown type, nodes → C', withType(F.C_COOKING, 'a10'), 'C', 'a10', ['type "a10"']],
    ['unknown type, isCooking → A', withType(F.A_COOKING_F, 'a2a3'), 'A', 'a2a3', ['type "a2a3"']],
    ['unknown type, job → B', withType(F.B_COOKING, 'nano'), 'B', 'nano', ['type "nano"']],
    ['prototype key as type', withType(F.B_COOKING, '__proto__'), 'B', '__proto__', ['type "__proto__"']],
    ['type a4 but nodes → C', withType(F.C_COOKING, 'a4'), 'C', 'a4', ['type "a4" but state has schema C keys']],
    ['type a7 but job → B', withType(F.B_COOKING, 'a7'), 'B', 'a7', ['type "a7" but state has schema B keys']],
    ['type a7 but isCooking → A', withType(F.A_COOKING_F, 'a7'), 'A', 'a7', ['type "a7" but state has schema A keys']],
  ])('%s', (_label, payload, schema, type, unknownValues) => {
    const result = parse(payload);
    expect([result.state.schema, result.state.type]).toEqual([schema, type]);
    expect(result.unknownValues).toEqual(unknownValues);
  });

  it('type decides when the state holds keys of several families', () => {
    const mixed = variant(F.C_COOKING, (s) => {
      s.job = { mode: 'IDLE' };
    });
    expect(parse(mixed).state).toMatchObject({ schema: 'C', mode: 'cooking' });
  });

  it('a known type whose keys are missing keeps its schema and reads as unknown', () => {
    const payload = { cookerId: 'x', type: 'a4', state: {} };
    expect(parse(payload).state).toEqual(expected(payload, 'B', {}));
  });

  it('nothing to go on: an all-unknown state, not a crash', () => {
    const result = parse({ cookerId: 'x', state: { foo: 1 } });
    expect(result.state).toEqual(expected({ cookerId: 'x', type: '', state: {} }, 'C', {}));
    expect(result.unknownValues).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Garbage in: null or a well-formed state, never a throw.

describe('parseApcState: garbage', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', '{"cookerId":"x","state":{}}'],
    ['an array', [{ cookerId: 'x', state: {} }]],
    ['an empty object', {}],
    ['numeric cookerId', { cookerId: 5, state: {} }],
    ['empty cookerId', { cookerId: '', state: {} }],
    ['no state', { cookerId: 'x', type: 'a7' }],
    ['null state', { cookerId: 'x', type: 'a7', state: null }],
    ['array state', { cookerId: 'x', type: 'a7', state: [] }],
    ['string state', { cookerId: 'x', type: 'a7', state: '{}' }],
    ['inherited cookerId', Object.create({ cookerId: 'x', state: {} })],
  ])('null for %s', (_label, payload) => {
    expect(parseApcState(payload, OBSERVED_AT)).toBeNull();
  });

  it('null (not a throw) for an object whose getter throws', () => {
    const hostile = {
      cookerId: 'x',
      get state(): unknown {
        throw new Error('boom');
      },
    };
    expect(parseApcState(hostile, OBSERVED_AT)).toBeNull();
  });

  const ODD: unknown[] = [
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    -0,
    1e308,
    0.5,
    '',
    ' ',
    '57',
    'COOK',
    'cook',
    'running',
    'entering',
    'completed',
    '__proto__',
    'constructor',
    'toString',
    'x'.repeat(10_000),
    '2026-13-45T99:99:99Z',
    true,
    false,
    [],
    [1, 'a', null],
    {},
    { celsius: '57' },
    { celsius: NaN, fahrenheit: Infinity },
    { mode: 'running', initial: 1e308, startedAtTimestamp: '0000-01-01T00:00:00Z' },
    Symbol('odd'),
    10n,
    () => 1,
    new Date(0),
  ];

  const LEAF_REPLACEMENTS: Array<[string, unknown]> = [
    ['null', null],
    ['NaN', NaN],
    ['1e308', 1e308],
    ['"57"', '57'],
    ['[]', []],
    ['{}', {}],
    ['a 10 000-character string', 'x'.repeat(10_000)],
  ];

  it.each(
    Object.entries(ALL_STATE_FIXTURES).flatMap(([name, payload]) =>
      LEAF_REPLACEMENTS.map(([label, odd]) => [name, label, odd, payload] as const),
    ),
  )('%s with every leaf replaced by %s', (_name, _label, odd, payload) => {
    for (const path of leafPaths(payload.state)) {
      const result = parse({ ...payload, state: replaced(payload.state, path, odd) });
      expect(result.state.cookerId).toBe(payload.cookerId);
    }
  });

  it('fuzz: random odd values at random paths of every fixture (seeded)', () => {
    const random = mulberry32(20260301);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const fixtures = Object.values(ALL_STATE_FIXTURES);
    let parsed = 0;
    for (let round = 0; round < 4000; round++) {
      const base = pick(fixtures);
      let state: unknown = base.state;
      const edits = 1 + Math.floor(random() * 4);
      for (let i = 0; i < edits; i++) {
        const paths = allPaths(state);
        if (paths.length === 0) break;
        state = replaced(state, pick(paths), pick(ODD));
      }
      const type = random() < 0.2 ? pick(ODD) : base.type;
      const observedAt = random() < 0.1 ? pick([NaN, -1, 0, Infinity]) : OBSERVED_AT;
      const result = parseApcState({ cookerId: base.cookerId, type, state }, observedAt as number);
      // Usable (an object state under a cooker id) always gives a state that holds the invariants.
      if (isPlainObject(state)) {
        expect(result).not.toBeNull();
        assertWellFormed(result!);
        parsed++;
      } else {
        expect(result).toBeNull();
      }
    }
    expect(parsed).toBeGreaterThan(3000);
  });
});

// ---------------------------------------------------------------------------------------------
// projectTimer

describe('projectTimer', () => {
  const T = OBSERVED_AT;
  // B_COOKING as parsed: 7200 total, 1075 elapsed, 6125 remaining, running.
  const running = expected(F.B_COOKING, 'B', B_COOKING_FIELDS);

  it.each<[string, number, number, number]>([
    ['at the moment it was observed', T, 1075, 6125],
    ['90 s later', T + 90_000, 1165, 6035],
    ['whole seconds only (999 ms)', T + 999, 1075, 6125],
    ['exactly at the end', T + 6_125_000, 7200, 0],
    ['long past the end: clamped', T + 86_400_000, 7200, 0],
    ['a clock that went backwards: no change', T - 60_000, 1075, 6125],
    ['NaN now: no change', NaN, 1075, 6125],
  ])('running timer, %s', (_label, now, elapsedSeconds, remainingSeconds) => {
    expect(projectTimer(running, now)).toEqual({ elapsedSeconds, remainingSeconds });
  });

  it.each<[string, ApcStatePayload]>([
    ['preheating', F.B_PREHEATING_PRO],
    ['done', F.B_MAINTAINING_COUNT_UP],
    ['paused', F.C_PAUSED],
    ['idle', F.C_IDLE],
    ['cooking without a timer', F.B_COOKING_NO_TIMER],
    ['a C alarm (timer frozen where it stood)', F.C_ALARM_LOW_WATER],
    ['a B alarm over a COOKING status', F.B_UNKNOWN_JOB_MODE],
  ])('%s: returns the stored values', (_label, payload) => {
    const { state } = parse(payload);
    expect(projectTimer(state, state.observedAt + 600_000)).toEqual({
      elapsedSeconds: state.timerElapsedSeconds,
      remainingSeconds: state.timerRemainingSeconds,
    });
  });

  it('projects a C state from its receive time', () => {
    const state = parse(F.C_COOKING).state; // 6090 s left as of OBSERVED_AT
    expect(projectTimer(state, OBSERVED_AT + 60_000)).toEqual({ elapsedSeconds: 1170, remainingSeconds: 6030 });
  });

  it('a running state with unknown remaining stays unknown', () => {
    const odd: DeviceState = { ...running, timerElapsedSeconds: null, timerRemainingSeconds: null };
    expect(projectTimer(odd, T + 60_000)).toEqual({ elapsedSeconds: null, remainingSeconds: null });
  });
});

// ---------------------------------------------------------------------------------------------
// Conversions

describe('temperature conversions', () => {
  it.each([
    [0, 32],
    [100, 212],
    [-40, -40],
    [57, 134.6],
    [54, 129.2],
  ])('%p °C = %p °F', (celsius, fahrenheit) => {
    expect(celsiusToFahrenheit(celsius)).toBeCloseTo(fahrenheit, 10);
    expect(fahrenheitToCelsius(fahrenheit)).toBeCloseTo(celsius, 10);
  });

  it('does not round (callers round for display)', () => {
    expect(fahrenheitToCelsius(135)).toBeCloseTo(57.2222222, 6);
  });

  it('round-trips', () => {
    for (const c of [-12.5, 0.1, 37.7, 63.5, 95]) {
      expect(fahrenheitToCelsius(celsiusToFahrenheit(c))).toBeCloseTo(c, 10);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz helpers

type Path = Array<string | number>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every path into objects and arrays (containers included, so whole blocks get replaced too). */
function allPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null || value instanceof Date) return [];
  const paths: Path[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    paths.push(path, ...allPaths(inner, path));
  }
  return prefix.length === 0 ? [[], ...paths] : paths;
}

function leafPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

/** A copy of `root` with the value at `path` replaced (the empty path replaces the root). */
function replaced(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  copy[head] = replaced(copy[head], rest, replacement);
  return copy;
}
