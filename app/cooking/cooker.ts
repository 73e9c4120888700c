/**
 * The cooker as the cooking domain sees it: one model of its state whatever schema (A, B or C)
 * the cloud used to describe it, the port through which the domain drives it, and the typed
 * failures of that port. The domain owns this module; the Anova adapter (app/anova/) implements
 * the port and produces the model, so nothing above it ever reads a raw payload or a socket.
 */
import { AppError } from '../errors';

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

// ---------------------------------------------------------------------------------------------
// Reading it
// ---------------------------------------------------------------------------------------------

export function celsiusToFahrenheit(celsius: number): number {
  return (celsius * 9) / 5 + 32;
}

export function fahrenheitToCelsius(fahrenheit: number): number {
  return ((fahrenheit - 32) * 5) / 9;
}

/** Timer values as of a later moment than the state's `observedAt`. */
export interface TimerProjection {
  elapsedSeconds: number | null;
  remainingSeconds: number | null;
}

/**
 * Moves a running timer forward to `now` (epoch ms), so remaining time keeps counting down
 * between pushes. Whole seconds; a clock that went backwards projects nothing.
 */
export function projectTimer(state: DeviceState, now: number): TimerProjection {
  const stored = {
    elapsedSeconds: state.timerElapsedSeconds,
    remainingSeconds: state.timerRemainingSeconds,
  };
  const passed = Math.floor((now - state.observedAt) / 1000);
  if (!state.timerRunning || !Number.isFinite(passed) || passed <= 0) return stored;
  const { elapsedSeconds, remainingSeconds } = stored;
  const total = state.timerTotalSeconds;
  return {
    elapsedSeconds: elapsedSeconds === null ? null : Math.min(total ?? Infinity, elapsedSeconds + passed),
    remainingSeconds: remainingSeconds === null ? null : Math.max(0, remainingSeconds - passed),
  };
}

// ---------------------------------------------------------------------------------------------
// The port
// ---------------------------------------------------------------------------------------------

export interface StartCommand {
  /** °C, already validated and rounded to 0.1. Sent as `unit:"C"`. */
  targetTempC: number;
  /** Seconds (the cloud counts seconds, never minutes); 0 = no timer. */
  timerSeconds: number;
}

export interface CommandAck {
  /** The requestId the cloud acknowledged with status "ok". */
  requestId: string;
}

export interface CookerPort {
  /** Cloud connection state (for /health and error mapping). */
  cloudStatus(): CloudStatus;
  /** Every cooker on the account, as last listed by the cloud. */
  devices(): DeviceInfo[];
  /** The selected cooker, or null when none is known yet. `online` is computed at call time. */
  selected(): CookerSnapshot | null;
  /**
   * Sends CMD_APC_START to the selected cooker and resolves on its "ok" RESPONSE.
   * Rejects with CookerError: CLOUD_UNREACHABLE, ANOVA_AUTH_FAILED, DEVICE_OFFLINE, ANOVA_API_ERROR, TIMEOUT.
   * Commands to one cooker run one at a time, in call order.
   */
  startCook(cmd: StartCommand): Promise<CommandAck>;
  /** Sends CMD_APC_STOP to the selected cooker; same errors as startCook. */
  stopCook(): Promise<CommandAck>;
  /** Sends CMD_APC_SET_TEMPERATURE_UNIT (display preference only). */
  setTemperatureUnit(unit: 'C' | 'F'): Promise<CommandAck>;
  /** Subscribe to parsed states of any cooker (used to confirm commands). Returns an unsubscribe. */
  onState(listener: (state: DeviceState) => void): () => void;
  /**
   * Subscribe to the selected cooker going offline (silent beyond the staleness limit, or an
   * explicit offline flag) and coming back, while the cloud is connected. Returns an unsubscribe.
   */
  onOnlineChange(listener: (online: boolean) => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Its failures
// ---------------------------------------------------------------------------------------------

/**
 * Typed failures of the cooker port. `message` is for logs and never holds the token; what the
 * person is told comes from the edge's table (docs/api.md, error codes).
 */
export type CookerErrorCode =
  | 'ANOVA_AUTH_FAILED' // the cloud rejected the token
  | 'ANOVA_API_ERROR' // a command was answered with a non-"ok" status
  | 'DEVICE_OFFLINE' // selected cooker offline, or none on the account
  | 'CLOUD_UNREACHABLE' // no socket to the cloud right now
  | 'TIMEOUT'; // no RESPONSE within the command timeout

/** What to tell a person when the cooker cannot be reached or refuses (the log message says more). */
const PUBLIC_MESSAGES: Record<CookerErrorCode, string> = {
  ANOVA_AUTH_FAILED:
    "Anova's cloud rejected this server's access token. Create a new Personal Access Token in the Anova Oven app (More → Developer → Personal Access Tokens) and put it in ANOVA_TOKEN on the server.",
  ANOVA_API_ERROR: "Anova's cloud refused the command. Check the cooker in the Anova app, then try again.",
  DEVICE_OFFLINE:
    "The cooker can't be reached right now: it is offline or not on the Anova account, or the server's link to Anova's cloud is down and reconnecting. Check that the cooker is plugged in and on Wi-Fi, then try again in a minute.",
  CLOUD_UNREACHABLE:
    "The server cannot reach Anova's cloud right now and is reconnecting on its own. Try again in a minute.",
  TIMEOUT:
    "Anova's cloud did not answer in time, so it is not certain whether the cooker got the command. Check the status before trying again.",
};

export class CookerError extends AppError<CookerErrorCode> {
  override readonly name = 'CookerError';
  constructor(code: CookerErrorCode, logMessage: string) {
    super(code, PUBLIC_MESSAGES[code], { logMessage });
  }
}
