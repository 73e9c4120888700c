/**
 * What the fake cloud says, as frames (docs/anova-protocol.md §2.3-2.6). Pure: a cooker and a
 * simulated time in, a frame out. Schema B (a4/a5/pro) and schema C (a6/a7) are rendered
 * exactly as the notes describe, including the quirks clients must cope with.
 */
import { EVENT, type Frame } from '../anova/protocol';
import { round, type SimCooker } from './cooker';
import type { SimCookerType } from './types';

/** Sent by the "unknown event" connect quirk: a name no client knows (§5 pitfall 6). */
export const UNKNOWN_EVENT = 'EVENT_SIM_UNANNOUNCED';

export type StateSchema = 'B' | 'C';

export function schemaOf(type: SimCookerType): StateSchema {
  return type === 'a6' || type === 'a7' ? 'C' : 'B';
}

const FIRMWARE_VERSION: Record<SimCookerType, string> = {
  a4: '1.4.4',
  a5: '2.1.8',
  pro: '1.2.10',
  a6: '01.01.25',
  a7: '01.01.25',
};

export function wifiListFrame(cookers: readonly SimCooker[]): Frame {
  return {
    command: EVENT.wifiList,
    payload: cookers.map((c) => ({
      cookerId: c.cookerId,
      name: c.identity.name,
      pairedAt: iso(c.identity.pairedAtMs),
      type: c.type,
    })),
  };
}

export function userStateFrame(): Frame {
  const noSubscription = { hasValidSubscription: false, isLegacyAccount: false };
  return {
    command: EVENT.userState,
    payload: {
      isConnectedToAlexa: false,
      isConnectedToGoogleHome: false,
      sousVideSubscription: noSubscription,
      ovenSubscription: noSubscription,
    },
  };
}

export function wifiVersionFrame(cookers: readonly SimCooker[]): Frame {
  return {
    command: EVENT.wifiVersion,
    payload: cookers.map((c) => ({ cookerId: c.cookerId, type: c.type, version: FIRMWARE_VERSION[c.type], ota: null })),
  };
}

/** The oven list a client gets when it asks for APO: this account has no oven. */
export function ovenListFrame(): Frame {
  return { command: EVENT.ovenList, payload: [] };
}

export function unknownEventFrame(): Frame {
  return { command: UNKNOWN_EVENT, payload: { note: 'an event this client has never heard of' } };
}

export function responseFrame(requestId: string | undefined, payload: Record<string, unknown>): Frame {
  return requestId === undefined
    ? { command: EVENT.response, payload }
    : { command: EVENT.response, requestId, payload };
}

/**
 * One EVENT_APC_STATE for a cooker whose physics has been advanced to `nowMs`. `online` only
 * shows in schema C (the only schema with an online flag); the stale replay of an unplugged
 * a6/a7 passes false.
 */
export function stateFrame(cooker: SimCooker, opts: { nowMs: number; online: boolean }): Frame {
  const state = schemaOf(cooker.type) === 'C' ? schemaCState(cooker, opts) : schemaBState(cooker, opts.nowMs);
  return { command: EVENT.state, payload: { cookerId: cooker.cookerId, type: cooker.type, state } };
}

// ---- schema B (a4/a5/pro): kebab-case, °C whatever the display unit, job.id = last requestId

const B_STATE = { preheating: 'PREHEATING', cooking: 'COOKING', done: 'MAINTAINING' } as const;

function schemaBState(c: SimCooker, nowMs: number): Record<string, unknown> {
  const job = c.job;
  const mode = c.mode();
  const idleState = c.hasCookedSinceBoot ? '' : 'START_COOK';
  const timer = job ? job.timerSeconds : c.lastTimerSeconds;
  const heaterOn = job !== null && c.waterTempC < job.targetC;
  return {
    job: {
      id: c.jobRequestId,
      mode: c.forcedJobMode ?? (job ? 'COOK' : 'IDLE'),
      ...(c.setpointC !== null && { 'target-temperature': round(c.setpointC, 2) }),
      'temperature-unit': c.displayUnit,
      'cook-time-seconds': timer,
      'ota-url': '',
    },
    'job-status': {
      state: c.forcedState ?? (mode === 'idle' ? idleState : B_STATE[mode]),
      'cook-time-remaining': schemaBRemaining(c),
      'job-start-systick': systick(c, job ? job.startedAtMs : c.identity.bootedAtMs),
      'state-change-systick': systick(c, Math.min(c.modeSinceMs(), nowMs)),
      'provisioning-pairing-code': 0,
    },
    'temperature-info': {
      'water-temperature': round(c.waterTempC, 2),
      'heater-temperature': round(c.waterTempC + (heaterOn ? 1.2 : 0.3), 2),
      'triac-temperature': round(c.waterTempC * 0.6 + 15, 2),
    },
    'pin-info': {
      'device-safe': 1,
      'water-leak': 0,
      'water-level-low': c.lowWater === 'ok' ? 0 : 1,
      'water-level-critical': c.lowWater === 'empty' ? 1 : 0,
      'water-temp-too-high': 0,
    },
    ...firmwareBlock(c.type),
    'network-info': { 'connection-status': 'connected-station', ssid: 'simulated-wifi' },
    'heater-control': { 'duty-cycle': heaterOn ? 100 : job ? 31.2 : 0 },
    'motor-control': { 'duty-cycle': job ? 75 : 0 },
    'boot-id': c.identity.bootId,
  };
}

/** Full time while preheating, time left while cooking, then time since expiry (counts UP). */
function schemaBRemaining(c: SimCooker): number {
  const job = c.job;
  if (!job || job.timerSeconds === 0) return 0;
  const elapsed = c.timerElapsedSeconds();
  switch (c.mode()) {
    case 'preheating':
      return job.timerSeconds;
    case 'cooking':
      return Math.ceil(job.timerSeconds - elapsed);
    default:
      return Math.floor(elapsed - job.timerSeconds);
  }
}

/** Milliseconds since boot on a 32-bit counter, as the firmware reports it. */
function systick(c: SimCooker, atMs: number): number {
  return Math.max(0, Math.floor(atMs - c.identity.bootedAtMs)) % 2 ** 32;
}

/** The firmware block differs by model (§2.6 B). */
function firmwareBlock(type: SimCookerType): Record<string, unknown> {
  const version = FIRMWARE_VERSION[type];
  switch (type) {
    case 'pro':
      return {
        'system-info-2640': { 'firmware-version': version },
        'system-info-3220': { 'firmware-version': version },
      };
    case 'a5':
      return {
        'system-info': { class: 'a5', type: 'wifi' },
        'system-info-details': { 'firmware-version': version },
      };
    default:
      return { 'system-info-3220': { 'firmware-version': version }, 'system-info-nxp': { 'version-string': version } };
  }
}

// ---- schema C (a6/a7): nodes, celsius only, no remaining field, cook missing when idle

function schemaCState(c: SimCooker, opts: { nowMs: number; online: boolean }): Record<string, unknown> {
  const job = c.job;
  return {
    version: 1,
    updatedTimestamp: iso(opts.nowMs),
    systemInfo: {
      deviceId: c.cookerId,
      online: opts.online,
      firmwareVersion: FIRMWARE_VERSION[c.type],
      hardwareVersion: '1.0.0',
      releaseTrack: 'production',
      triacsFailed: false,
      lastConnectedTimestamp: iso(c.lastConnectedMs),
      lastDisconnectedTimestamp: iso(c.lastDisconnectedMs),
      firmwareUpdatedTimestamp: iso(c.identity.pairedAtMs),
    },
    state: {
      mode: c.forcedState ?? (job ? 'cook' : 'idle'),
      temperatureUnit: c.displayUnit,
      processedCommandIds: [...c.processedCommandIds],
      resumeAfterPowerInterruption: false,
    },
    nodes: {
      waterTemperatureSensor: {
        enabled: true,
        current: { celsius: round(c.waterTempC, 1) },
        ...(c.setpointC !== null && { setpoint: { celsius: round(c.setpointC, 1) } }),
      },
      timer: schemaCTimer(c),
      lowWater: { warning: c.lowWater !== 'ok', empty: c.lowWater === 'empty' },
    },
    ...(job && {
      cook: {
        cookId: job.cookId,
        originSource: 'api',
        activeStageIndex: 0,
        activeStageId: job.stageId,
        activeStageMode: job.enteredAtMs === null ? 'entering' : 'running',
        startedTimestamp: iso(job.startedAtMs),
        activeStageStartedTimestamp: iso(job.startedAtMs),
        stageTransitionPendingUserAction: false,
        stages: [{ id: job.stageId }],
      },
    }),
    metadata: {},
  };
}

/** idle before the water is at temperature (and with no timer), running, then completed. */
function schemaCTimer(c: SimCooker): Record<string, unknown> {
  const job = c.job;
  if (!job || job.timerSeconds === 0) return { mode: 'idle', initial: 0 };
  if (job.enteredAtMs === null) return { mode: 'idle', initial: job.timerSeconds };
  return {
    mode: c.mode() === 'done' ? 'completed' : 'running',
    initial: job.timerSeconds,
    startedAtTimestamp: iso(job.enteredAtMs),
  };
}

function iso(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
