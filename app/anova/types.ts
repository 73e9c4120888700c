/**
 * The one internal model of a cooker, whatever schema (A, B or C) the cloud used to describe it.
 * Everything above the Anova adapter reads this, never a raw payload.
 */

/** What the cooker is doing. `done` = timer ran out, still holding temperature until stopped. */
export type CookerMode = 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown';

/**
 * Alert names exposed by the API's `alerts` array (snake_case; where each comes from is in
 * docs/anova-protocol.md §4.1). An alert means "tell the person", not "the cook has stopped":
 * read `mode` for that.
 */
export type CookerAlert =
  /** Water level is getting low (B pin water-level-low, LOW WATER mode; C nodes.lowWater.warning). */
  | 'low_water'
  /** Water is below the minimum (B pin water-level-critical; C nodes.lowWater.empty, state.mode lowWater). */
  | 'water_empty'
  /** Heater or its drive failed (C systemInfo.triacsFailed; B DEVICE FAILURE mode). */
  | 'heater_fault'
  /** The cooker detected a water leak (B pin water-leak; C state.mode waterLeak). */
  | 'water_leak'
  /** Over-temperature alarm (B pin water-temp-too-high, HIGH TEMP mode; C state.mode highTemp). */
  | 'water_too_hot'
  /** Unspecified device alarm (A isAlarmActive). */
  | 'device_alarm'
  /** The circulation motor is stuck (B pin motor-stuck; C state.mode motorStuck). */
  | 'motor_stuck';

/** Schema family of an EVENT_APC_STATE payload (see docs/anova-protocol.md §2.6). */
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
