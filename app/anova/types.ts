/**
 * The one internal model of a cooker, whatever schema (A, B or C) the cloud used to describe it.
 * Everything above the Anova adapter reads this, never a raw payload.
 */

/** What the cooker is doing. `done` = timer ran out, still holding temperature until stopped. */
export type CookerMode = 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown';

/** Alert names exposed by the API's `alerts` array. */
export type CookerAlert =
  | 'low_water'
  | 'water_empty'
  | 'heater_fault'
  | 'water_leak'
  | 'water_too_hot'
  | 'device_alarm';

/** Schema family of an EVENT_APC_STATE payload (see anova-protocol.md §2.6). */
export type StateSchema = 'A' | 'B' | 'C';

export interface DeviceState {
  cookerId: string;
  /** Device type as the cloud names it (a3, a4, a5, a6, a7, pro, ...). */
  type: string;
  schema: StateSchema;
  /**
   * Explicit online flag when the schema has one (C: systemInfo.online, A: isConnected),
   * else null. Silence-based offline detection is the client's job, not the parser's.
   */
  reportsOnline: boolean | null;
  mode: CookerMode;
  /** Water temperature, °C (a3's °F already converted). */
  currentTempC: number | null;
  /** Setpoint, °C. */
  targetTempC: number | null;
  /** Timer length in seconds; null when no timer is set. */
  timerTotalSeconds: number | null;
  /** Seconds of timer elapsed as of `observedAt`; null when no timer. Never exceeds the total. */
  timerElapsedSeconds: number | null;
  /** Seconds of timer left as of `observedAt`; null when no timer; 0 once done (never counts up). */
  timerRemainingSeconds: number | null;
  /** True while the timer is counting down (so a reader may project remaining time forward). */
  timerRunning: boolean;
  alerts: CookerAlert[];
  /** Command requestIds the device reports as processed (C: processedCommandIds, B: job.id). */
  processedCommandIds: string[];
  /** When this state was received (local clock, epoch ms). */
  observedAt: number;
}

/** Result of parsing one EVENT_APC_STATE payload. */
export interface ParseResult {
  state: DeviceState;
  /** Unrecognised enum strings met while parsing, e.g. `B job-status.state "STOP_COOK"`, to log once. */
  unknownValues: string[];
}

/** A cooker as listed by EVENT_APC_WIFI_LIST. */
export interface DeviceInfo {
  cookerId: string;
  type: string;
  name: string;
  pairedAt?: string;
}

/** Connection to Anova's cloud, as the rest of the process sees it. */
export type CloudConnectionState =
  | 'connecting' // first attempt in progress
  | 'connected'
  | 'reconnecting' // lost or failed; waiting to retry
  | 'auth_failed' // handshake rejected (401/403): retrying slowly
  | 'closed'; // shut down

export interface CloudStatus {
  state: CloudConnectionState;
  /** Consecutive failed attempts since the last healthy connection. */
  attempt: number;
  /** Epoch ms of the last state change. */
  since: number;
}

/** The selected cooker as the HTTP layer sees it. */
export interface CookerSnapshot {
  info: DeviceInfo;
  /** Latest parsed state, or null if none arrived yet. */
  state: DeviceState | null;
  /** Online = cloud connected, a state arrived within the staleness limit, and no explicit offline flag. */
  online: boolean;
  /** Epoch ms of the last state received for this cooker, or null. */
  lastStateAt: number | null;
}
