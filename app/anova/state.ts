/**
 * EVENT_APC_STATE payload → DeviceState, for all three schema families (docs/anova-protocol.md §2.6,
 * §4.1, §5). Pure and total: any input gives a DeviceState, or null when there is no cooker id
 * or no state object at all; it never throws. Unknown enum strings come back in `unknownValues`
 * for the caller to log once, because new firmware strings are normal (§5.6) and must not kill
 * the reader.
 */
import {
  fahrenheitToCelsius,
  type CookerAlert,
  type CookerMode,
  type DeviceState,
  type StateSchema,
} from '../cooking/cooker';

/** Result of parsing one EVENT_APC_STATE payload. */
export interface ParseResult {
  state: DeviceState;
  /** Unrecognised enum strings met while parsing, e.g. `B job-status.state "STOP_COOK"`, to log once. */
  unknownValues: string[];
}

/**
 * Reads one EVENT_APC_STATE `payload` ({cookerId, type, state}) received at `observedAt` (epoch ms).
 * Null only when it names no cooker or carries no state object; fields it cannot read come back
 * null (mode 'unknown').
 */
export function parseApcState(payload: unknown, observedAt: number): ParseResult | null {
  try {
    return parse(payload, observedAt);
  } catch {
    // Unreachable for JSON input; only a hostile object (throwing getter, Proxy) gets here, and
    // a broken state must never take the socket reader down with it (§5.6).
    return null;
  }
}

function parse(payload: unknown, observedAt: number): ParseResult | null {
  const cookerId = field(payload, 'cookerId');
  const state = field(payload, 'state');
  if (typeof cookerId !== 'string' || cookerId === '' || !isRecord(state)) return null;
  const rawType = field(payload, 'type');
  const type = typeof rawType === 'string' ? rawType : '';

  const unknownValues: string[] = [];
  const note = (description: string) => {
    if (!unknownValues.includes(description)) unknownValues.push(description);
  };
  const schema = chooseSchema(type, state, note);
  const noteForSchema: NoteUnknown = (where, value) => note(`${schema} ${where} ${quote(value)}`);
  const reading = READERS[schema](state, observedAt, noteForSchema);
  return { state: { cookerId, type, schema, ...reading, observedAt }, unknownValues };
}

// ---------------------------------------------------------------------------------------------
// Schema choice (§2.5, pitfall 8): by `type`, overruled by the keys the state actually holds.

const SCHEMA_BY_TYPE = new Map<string, StateSchema>([
  ['a3', 'A'],
  // Gen 2 Wi-Fi. "honey-badger" is an A4 variant: the Anova app routes it to its A4 device class
  // and parses every non-a3, non-Gen-3 state as the kebab-case body (docs/anova-protocol.md §2.5).
  ['a4', 'B'],
  ['honey-badger', 'B'],
  ['a5', 'B'],
  ['pro', 'B'],
  // Gen 3 ("isThirdGenerationWifiCooker"): a6 Nano 3.0, a7 3.0, a8 Mini, a9 Pro 3.0. The app
  // parses all four as the nodes/systemInfo document (docs/anova-protocol.md §2.5).
  ['a6', 'C'],
  ['a7', 'C'],
  ['a8', 'C'],
  ['a9', 'C'],
]);

/** The key that gives each family away, in the order the spec lists them. */
const MARKER_KEYS: ReadonlyArray<[StateSchema, string]> = [
  ['B', 'job'],
  ['C', 'nodes'],
  ['A', 'isCooking'],
];

function chooseSchema(type: string, state: Record<string, unknown>, note: (description: string) => void): StateSchema {
  const byType = SCHEMA_BY_TYPE.get(type.toLowerCase());
  if (byType === undefined && type !== '') note(`type ${quote(type)}`);
  const byKeys = MARKER_KEYS.filter(([, key]) => field(state, key) !== undefined).map(([s]) => s);
  if (byType !== undefined && (byKeys.length === 0 || byKeys.includes(byType))) return byType;
  if (byKeys.length > 0) {
    if (byType !== undefined) note(`type ${quote(type)} but state has schema ${byKeys[0]} keys`);
    return byKeys[0];
  }
  // Nothing to go on: C, the current family. Its reader finds no keys and reports 'unknown'.
  return 'C';
}

// ---------------------------------------------------------------------------------------------
// Readers: one per family. Each reads the raw fields; `timerFields` applies the shared timer rules.

type Reading = Omit<DeviceState, 'cookerId' | 'type' | 'schema' | 'observedAt'>;
type NoteUnknown = (where: string, value: string) => void;
type Reader = (state: Record<string, unknown>, observedAt: number, note: NoteUnknown) => Reading;

const READERS: Record<StateSchema, Reader> = { A: readSchemaA, B: readSchemaB, C: readSchemaC };

const A_STAGES = enumTable<CookerMode>([
  ['none', 'idle'],
  ['heating', 'preheating'],
  ['preheating', 'preheating'], // older REST wording
  ['cooking', 'cooking'],
  ['keeping_warm', 'done'],
]);

/** a3: flat camelCase, temperatures in the display unit (§2.6 A). */
function readSchemaA(state: Record<string, unknown>, _observedAt: number, note: NoteUnknown): Reading {
  const job = field(state, 'currentJob');
  const stage = readEnum(field(job, 'jobStage'), A_STAGES, 'jobStage', note);
  const isCooking = field(state, 'isCooking');

  let mode: CookerMode;
  if (field(state, 'isKeepingWarm') === true) mode = 'done';
  else if (isCooking === false) mode = 'idle';
  else mode = stage ?? 'unknown';

  const toCelsius = readA3Unit(state, note);
  const inCelsius = (value: number | null) => (value === null || toCelsius === null ? null : toCelsius(value));
  const online = field(state, 'isConnected');

  return {
    reportsOnline: typeof online === 'boolean' ? online : null,
    mode,
    currentTempC: inCelsius(num(field(state, 'currentTemperature'))),
    targetTempC: inCelsius(num(field(state, 'targetTemperature')) ?? num(field(job, 'targetTemperature'))),
    ...timerFields({
      mode,
      phase: mode,
      total: num(field(job, 'timerLength')),
      reportedRemaining: num(field(state, 'timerInSeconds')),
      countingDown: field(state, 'isTimerRunning') === true,
    }),
    alerts: field(state, 'isAlarmActive') === true ? ['device_alarm'] : [],
    processedCommandIds: [],
  };
}

/** °C converter for the a3's display unit; null when the unit is unknown (never guess °C). */
function readA3Unit(state: Record<string, unknown>, note: NoteUnknown): ((value: number) => number | null) | null {
  const raw = field(state, 'unit') ?? field(field(state, 'currentJob'), 'tempUnit');
  if (typeof raw !== 'string') return null;
  switch (raw.trim().toLowerCase()) {
    case 'c':
      return (c) => c;
    case 'f':
      return readingFromFahrenheit;
    default:
      note('unit', raw);
      return null;
  }
}

/**
 * job.mode values (docs/anova-protocol.md §2.6 B). Only COOK runs a cook; STARTUP, OTA and
 * PROVISIONING are the device busy with something other than heating, so they read as idle.
 * LOW WATER, HIGH TEMP and DEVICE FAILURE are alarms: the sources do not say whether the heater
 * is off, so they read as unknown (never idle), with their alert.
 */
type BJobMode = { kind: 'cook' } | { kind: 'off' } | { kind: 'alarm'; alert: CookerAlert };
const B_JOB_MODES = enumTable<BJobMode>([
  ['IDLE', { kind: 'off' }],
  ['COOK', { kind: 'cook' }],
  ['STARTUP', { kind: 'off' }],
  ['OTA', { kind: 'off' }],
  ['PROVISIONING', { kind: 'off' }],
  ['LOW WATER', { kind: 'alarm', alert: 'low_water' }],
  ['HIGH TEMP', { kind: 'alarm', alert: 'water_too_hot' }],
  ['DEVICE FAILURE', { kind: 'alarm', alert: 'heater_fault' }],
]);

const B_JOB_STATES = enumTable<CookerMode>([
  ['', 'idle'],
  ['START_COOK', 'idle'],
  ['SET TIMER', 'idle'],
  ['PREHEATING', 'preheating'],
  ['COOKING', 'cooking'],
  ['MAINTAINING', 'done'],
  ['TIMER EXPIRED', 'done'],
]);

/** pin-info flags. `motor-stuck` shows on a real Pro's pin-info (docs/anova-protocol.md §2.6 B). */
const B_PIN_ALERTS: ReadonlyArray<[string, CookerAlert]> = [
  ['water-level-low', 'low_water'],
  ['water-level-critical', 'water_empty'],
  ['water-leak', 'water_leak'],
  ['water-temp-too-high', 'water_too_hot'],
  ['motor-stuck', 'motor_stuck'],
];

/** a4 / honey-badger / a5 / pro: kebab-case job, always °C (§2.6 B). */
function readSchemaB(state: Record<string, unknown>, _observedAt: number, note: NoteUnknown): Reading {
  const job = field(state, 'job');
  const status = field(state, 'job-status');
  const jobMode = readEnum(field(job, 'mode'), B_JOB_MODES, 'job.mode', note);
  const jobState = readEnum(field(status, 'state'), B_JOB_STATES, 'job-status.state', note);

  // What job-status says the cook is doing, for the timer even when the mode itself is unknown.
  const phase = jobState ?? 'unknown';
  let mode: CookerMode;
  if (jobMode?.kind === 'cook') mode = phase;
  else if (jobMode?.kind === 'off') mode = 'idle';
  else mode = 'unknown'; // an alarm, a mode we do not know, or none: a heater may be running

  const alerts = new Set<CookerAlert>();
  if (jobMode?.kind === 'alarm') alerts.add(jobMode.alert);
  const pins = field(state, 'pin-info');
  for (const [pin, alert] of B_PIN_ALERTS) {
    if (isSet(field(pins, pin))) alerts.add(alert);
  }
  const jobId = field(job, 'id');

  return {
    reportsOnline: null,
    mode,
    currentTempC: num(field(field(state, 'temperature-info'), 'water-temperature')),
    targetTempC: num(field(job, 'target-temperature')),
    ...timerFields({
      mode,
      phase, // an alarm over a COOKING status keeps its time left, not running
      total: num(field(job, 'cook-time-seconds')),
      reportedRemaining: num(field(status, 'cook-time-remaining')),
      countingDown: true, // B has no pause: COOKING always counts down
    }),
    alerts: orderedAlerts(alerts),
    processedCommandIds: typeof jobId === 'string' && jobId !== '' ? [jobId] : [],
  };
}

/**
 * state.mode values: the app's SousVideCookerMode (docs/anova-protocol.md §2.6 C). Besides idle
 * and cook, four are alarms. The cooker has left `cook` for them, but nothing says its heater is
 * off, so they read as unknown (never idle), with their alert. The app treats `lowWater` like
 * `nodes.lowWater.empty` (its own "water low" test is `empty || mode == lowWater`), hence
 * water_empty rather than the low_water warning.
 */
type CStateMode = { kind: 'idle' } | { kind: 'cook' } | { kind: 'alarm'; alert: CookerAlert };
const C_STATE_MODES = enumTable<CStateMode>([
  ['idle', { kind: 'idle' }],
  ['cook', { kind: 'cook' }],
  ['lowWater', { kind: 'alarm', alert: 'water_empty' }],
  ['waterLeak', { kind: 'alarm', alert: 'water_leak' }],
  ['highTemp', { kind: 'alarm', alert: 'water_too_hot' }],
  ['motorStuck', { kind: 'alarm', alert: 'motor_stuck' }],
]);
type TimerMode = 'idle' | 'running' | 'paused' | 'completed';
const C_TIMER_MODES = enumTable<TimerMode>((['idle', 'running', 'paused', 'completed'] as const).map((m) => [m, m]));
const C_STAGE_MODES = enumTable<'entering' | 'running'>([
  ['entering', 'entering'],
  ['running', 'running'],
]);

/** a6 / a7 / a8 / a9 (Gen 3): nodes + systemInfo, explicit celsius, no remaining field (§2.6 C). */
function readSchemaC(state: Record<string, unknown>, observedAt: number, note: NoteUnknown): Reading {
  const inner = field(state, 'state');
  const nodes = field(state, 'nodes');
  const timer = field(nodes, 'timer');
  const sensor = field(nodes, 'waterTemperatureSensor');
  const systemInfo = field(state, 'systemInfo');

  const stateMode = readEnum(field(inner, 'mode'), C_STATE_MODES, 'state.mode', note);
  const rawTimerMode = field(timer, 'mode');
  const timerMode = readEnum(rawTimerMode, C_TIMER_MODES, 'nodes.timer.mode', note);
  const stageMode = readEnum(
    field(field(state, 'cook'), 'activeStageMode'),
    C_STAGE_MODES,
    'cook.activeStageMode',
    note,
  );
  const initial = num(field(timer, 'initial'));
  const hasTimer = initial !== null && initial > 0;

  // Where the cook (if any) stands by its stage and timer; it decides the mode only under `cook`.
  let phase: CookerMode;
  if (stageMode === 'entering') phase = 'preheating';
  else if (timerMode === 'running' || timerMode === 'paused') phase = 'cooking';
  else if (timerMode === 'completed') phase = 'done';
  // An absent timer mode reads as 'idle' (not started); an unrecognised one is unknown.
  else if (timerMode === 'idle' || rawTimerMode === undefined || rawTimerMode === null)
    phase = hasTimer ? 'preheating' : 'cooking'; // a set timer starts once the water is at temperature
  else phase = 'unknown';

  let mode: CookerMode;
  if (stateMode?.kind === 'idle') mode = 'idle';
  else if (stateMode?.kind === 'cook') mode = phase;
  else mode = 'unknown'; // an alarm, a mode we do not know, or none

  const now = dateMs(field(state, 'updatedTimestamp')) ?? observedAt;
  const startedAt = dateMs(field(timer, 'startedAtTimestamp'));
  const online = field(systemInfo, 'online');
  const lowWater = field(nodes, 'lowWater');

  const alerts = new Set<CookerAlert>();
  if (stateMode?.kind === 'alarm') alerts.add(stateMode.alert);
  if (isSet(field(lowWater, 'warning'))) alerts.add('low_water');
  if (isSet(field(lowWater, 'empty'))) alerts.add('water_empty');
  if (isSet(field(systemInfo, 'triacsFailed'))) alerts.add('heater_fault');

  const commandIds = field(inner, 'processedCommandIds');

  return {
    reportsOnline: typeof online === 'boolean' ? online : null,
    mode,
    currentTempC: readNodeCelsius(field(sensor, 'current')),
    targetTempC: readNodeCelsius(field(sensor, 'setpoint')),
    ...timerFields({
      mode,
      phase, // an alarm or unknown mode still shows where the timer stood, not running
      total: initial,
      // Anova sends no remaining field: derive it from the start time and the state's own clock.
      reportedRemaining: initial === null || startedAt === null ? null : initial - (now - startedAt) / 1000,
      countingDown: timerMode === 'running',
    }),
    alerts: orderedAlerts(alerts),
    processedCommandIds: Array.isArray(commandIds)
      ? commandIds.filter((id): id is string => typeof id === 'string')
      : [],
  };
}

/** `{celsius}` (or, per one client's model, only `{fahrenheit}`) → °C. */
function readNodeCelsius(node: unknown): number | null {
  const celsius = num(field(node, 'celsius'));
  if (celsius !== null) return celsius;
  const fahrenheit = num(field(node, 'fahrenheit'));
  return fahrenheit === null ? null : readingFromFahrenheit(fahrenheit);
}

/** A °F reading in °C to 0.01; null when absurdly large values overflow. */
function readingFromFahrenheit(fahrenheit: number): number | null {
  return num(round2(fahrenheitToCelsius(fahrenheit)));
}

// ---------------------------------------------------------------------------------------------
// Timer rules shared by the families (§4.1, pitfall 3).

interface TimerInput {
  /** The mode reported: only 'cooking' lets the timer read as running. */
  mode: CookerMode;
  /**
   * Where the cook stands by the state's other fields (B job-status, C stage and timer): the
   * timer rules follow it. It differs from `mode` when the mode is unknown (an alarm, say) but
   * the state still shows where the cook stood; the timer then never reads as running. An idle
   * `mode` or `phase` drops the timer.
   */
  phase: CookerMode;
  /** Timer length in seconds as reported; 0 or less means no timer. */
  total: number | null;
  /** Seconds left as reported or derived; may be out of range (B counts up after expiry). */
  reportedRemaining: number | null;
  /** The device says its timer is ticking. */
  countingDown: boolean;
}

type TimerFields = Pick<
  DeviceState,
  'timerTotalSeconds' | 'timerElapsedSeconds' | 'timerRemainingSeconds' | 'timerRunning'
>;

function timerFields({ mode, phase, total, reportedRemaining, countingDown }: TimerInput): TimerFields {
  // An idle cooker may still carry the last job's timer (B): it is not a timer for anyone now.
  if (total === null || total <= 0 || mode === 'idle' || phase === 'idle') {
    return noTimer();
  }
  if (phase === 'preheating') return timer(total, total, false); // the timer starts at temperature
  if (phase === 'done') return timer(total, 0, false); // never report the count-up
  if (reportedRemaining === null || !Number.isFinite(reportedRemaining)) {
    return {
      timerTotalSeconds: total,
      timerElapsedSeconds: null,
      timerRemainingSeconds: null,
      timerRunning: false,
    };
  }
  const remaining = clamp(Math.round(reportedRemaining), 0, total);
  return timer(total, remaining, countingDown && mode === 'cooking' && remaining > 0);
}

function timer(total: number, remaining: number, running: boolean): TimerFields {
  return {
    timerTotalSeconds: total,
    timerElapsedSeconds: total - remaining,
    timerRemainingSeconds: remaining,
    timerRunning: running,
  };
}

function noTimer(): TimerFields {
  return {
    timerTotalSeconds: null,
    timerElapsedSeconds: null,
    timerRemainingSeconds: null,
    timerRunning: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Defensive readers: every access goes through these, so odd input cannot throw.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of an object; undefined for anything else (so "__proto__" reads nothing). */
function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Finite numbers only: strings, NaN and Infinity read as absent. */
function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Pin and alert flags arrive as 1/0 (B) or true/false (C). */
function isSet(value: unknown): boolean {
  return value === true || value === 1;
}

function dateMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Enum spelling that ignores case and separators: "TIMER EXPIRED" = "timer_expired" = "timerExpired". */
function enumKey(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A lookup table keyed as the wire spells the values, matched by `enumKey`. */
function enumTable<T>(entries: ReadonlyArray<readonly [string, T]>): ReadonlyMap<string, T> {
  return new Map(entries.map(([wire, value]) => [enumKey(wire), value]));
}

/** Looks a string up in an `enumTable`. Notes a string it does not know; non-strings read as absent. */
function readEnum<T>(value: unknown, table: ReadonlyMap<string, T>, where: string, note: NoteUnknown): T | undefined {
  if (typeof value !== 'string') return undefined;
  const found = table.get(enumKey(value));
  if (found === undefined) note(where, value);
  return found;
}

/**
 * Every alert, in the order the API lists them (the CookerAlert order), so a state's `alerts`
 * never depends on which field raised an alert first.
 */
const ALERT_ORDER = [
  'low_water',
  'water_empty',
  'heater_fault',
  'water_leak',
  'water_too_hot',
  'device_alarm',
  'motor_stuck',
] as const satisfies readonly CookerAlert[];
// Compile-time check that ALERT_ORDER names every CookerAlert.
const _everyAlertOrdered: Exclude<CookerAlert, (typeof ALERT_ORDER)[number]> extends never ? true : never = true;
void _everyAlertOrdered;

function orderedAlerts(alerts: ReadonlySet<CookerAlert>): CookerAlert[] {
  return ALERT_ORDER.filter((alert) => alerts.has(alert));
}

/** Quoted and bounded, so a hostile string cannot flood the log. */
function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
