/**
 * The simulator's public surface: options, the in-process handle tests drive, and the fault
 * switches. The HTTP control API (control.ts) exposes the same switches for the demo and for
 * people testing their GPT.
 */
import type { EventEmitter } from 'node:events';
import type { Frame } from '../anova/protocol';
import type { Logger } from '../log';

/** Cooker types the simulator can play: a7/a6 speak schema C, a4/a5/pro speak schema B. */
export type SimCookerType = 'a7' | 'a6' | 'a4' | 'a5' | 'pro';

export interface SimCookerConfig {
  /** Default: a random 22-character alphanumeric id. */
  cookerId?: string;
  /** Default 'a7'. */
  type?: SimCookerType;
  /** Default 'Anova Precision Cooker 3.0' for a6/a7, 'Anova Precision Cooker' otherwise. */
  name?: string;
  /** Starting water temperature, °C (default: ambient). */
  waterTempC?: number;
  /** Plugged in (pushes states) at start; default true. */
  plugged?: boolean;
}

export interface SimulatorOptions {
  /** WebSocket port; 0 (default) picks a free one. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Accepted tokens (each must start with 'anova-'); default one random token. */
  tokens?: string[];
  /** Default: one a7. */
  cookers?: SimCookerConfig[];
  /** Simulated seconds per real second; default 1. 60 runs a 90-minute cook in 90 s. */
  timeScale?: number;
  /** Real milliseconds between state pushes per plugged cooker; default 2000. */
  pushIntervalMs?: number;
  /** Heating rate in °C per simulated minute; default 2.5. */
  heatingRateCPerMin?: number;
  /** Cooling rate toward ambient in °C per simulated minute when not heating; default 0.5. */
  coolingRateCPerMin?: number;
  /** Default 20. */
  ambientTempC?: number;
  /** Port for the HTTP control API; undefined/null = none. 0 = any free port. */
  controlPort?: number | null;
  /** Starting values of the switchable protocol behaviours (see SimBehavior). */
  behavior?: Partial<SimBehavior>;
  /** Connection/command/fault lines (never tokens); default silent. */
  logger?: Logger;
}

/** The physics knobs (same meaning and defaults as the options of the same names). */
export interface SimPhysics {
  heatingRateCPerMin: number;
  coolingRateCPerMin: number;
  ambientTempC: number;
}

/**
 * Protocol behaviours the research notes mark (L): unknown on the real cloud, so switchable
 * (docs/anova-protocol.md §6). Defaults are the most likely real behaviour, or the harder one for a client.
 */
export interface SimBehavior {
  /** How an unknown token is refused at connect (revokeToken picks per token). Default 'http401'. */
  tokenRejection: TokenRejection;
  /**
   * Wrong field names or unusable values (cookTimeSeconds, unit "c", no type, a target outside 0-95 °C):
   * 'ack' = "ok" but no effect (default), 'reject' = non-ok answer.
   */
  wrongFields: 'ack' | 'reject';
  /** A command to an unplugged cooker: 'silent' = no RESPONSE (default), 'error' = non-ok answer. */
  offlineCommands: 'silent' | 'error';
  /** An unknown command name: 'silent' = no answer (default), 'error' = non-ok answer. */
  unknownCommands: 'silent' | 'error';
  /**
   * CMD_APC_SET_TARGET_TEMP / CMD_APC_SET_TIMER, not allowed for PATs: 'reject' = non-ok (default, per the docs),
   * 'ignore' = "ok" but no effect, 'apply' = applied to a running cook ("ok", no effect while idle).
   */
  unofficialCommands: 'reject' | 'ignore' | 'apply';
  /** Real ms between an accepted command and the device applying it (it shows on a later push); default 0. */
  applyDelayMs: number;
  /**
   * More than maxCommands frames within windowMs (real) on one socket: the server closes it with closeCode.
   * null = off. Default 30 per 60 s, close code 1008.
   */
  rateLimit: { maxCommands: number; windowMs: number; closeCode: number } | null;
  /** The server closes a socket (1001) this many real ms after it opened; null = never (default). New sockets only. */
  maxConnectionAgeMs: number | null;
  /** Real ms between pushes for an idle cooker (the "30 s idle, 2 s cooking" preset); null = pushIntervalMs (default). */
  idlePushIntervalMs: number | null;
}

/** Connect-sequence quirks (§6 item 8, §5 pitfall 6); all off by default. */
export interface ConnectQuirks {
  /** One EVENT_APC_STATE per cooker before the device list. */
  stateBeforeList: boolean;
  /** The device list again at the end of the sequence. */
  duplicateList: boolean;
  /** An event name no client knows, right after the list. */
  unknownEvent: boolean;
}

export interface SimFaults {
  blackhole: boolean;
  answerPings: boolean;
  refuseConnections: boolean;
  commandAnswer: CommandAnswer;
  responseDelayMs: number;
  connectQuirks: ConnectQuirks;
}

/** Everything GET / of the control API shows (no tokens). */
export interface SimStatus {
  url: string;
  controlUrl: string | null;
  timeScale: number;
  pushIntervalMs: number;
  physics: SimPhysics;
  connections: number;
  cookers: SimCookerView[];
  faults: SimFaults;
  behavior: SimBehavior;
}

/** How a bad or revoked token is refused (docs/anova-protocol.md §6 item 3). */
export type TokenRejection = 'http401' | 'close1008';

/** How commands are answered. */
export type CommandAnswer =
  | { mode: 'ok' }
  | { mode: 'error'; payload?: Record<string, unknown> } // default payload {status:'error'}
  | { mode: 'silent' }; // never answer

export interface ReceivedFrame {
  /** Epoch ms (real clock). */
  at: number;
  connectionId: number;
  frame: Frame;
}

export interface SimCookerView {
  cookerId: string;
  type: SimCookerType;
  name: string;
  plugged: boolean;
  mode: 'idle' | 'preheating' | 'cooking' | 'done';
  waterTempC: number;
  targetTempC: number | null;
  /** Timer length in seconds (0 = no timer). */
  timerSeconds: number;
  /** Simulated seconds since the timer started (0 while preheating); keeps counting after done. */
  timerElapsedSeconds: number;
  lowWater: 'ok' | 'warning' | 'empty';
  /** Display preference set by CMD_APC_SET_TEMPERATURE_UNIT (values stay °C). */
  displayUnit: 'C' | 'F';
}

/**
 * Events on SimulatorHandle.events:
 * - 'connection' (connectionId: number)         a client completed the handshake
 * - 'rejected' (reason: string)                 a handshake was refused (bad token, or refusing connections)
 * - 'disconnect' (connectionId: number)
 * - 'frame' (r: ReceivedFrame)                  any frame received from a client
 * - 'command' (r: ReceivedFrame)                a CMD_* frame received
 * - 'push' ({connectionId, frame})              any frame sent to a client
 * - 'ping' (connectionId: number)               a WebSocket ping arrived
 *
 * Methods that take input throw a SimulatorError (errors.ts) on a bad value or an unknown cooker.
 */
export interface SimulatorHandle {
  /** ws://host:port, without a token. */
  readonly url: string;
  /** The first accepted token. */
  readonly token: string;
  /** http://host:port of the control API, or null. */
  readonly controlUrl: string | null;
  readonly events: EventEmitter;

  // ---- inspection
  /** Simulated epoch ms: the time the cookers live in (the real time at start, then `timeScale` times faster). */
  now(): number;
  /** Every frame received from clients, oldest first. */
  received(): ReceivedFrame[];
  /** Open client sockets right now. */
  connectionCount(): number;
  cookers(): SimCookerView[];
  /** One cooker; default the first. */
  cooker(cookerId?: string): SimCookerView;
  /** Settings, faults, cookers and connection count at a glance (no tokens). */
  status(): SimStatus;

  // ---- devices and physics
  addCooker(c: SimCookerConfig): SimCookerView;
  removeCooker(cookerId: string): void;
  /** Stops that cooker's pushes (socket stays open); schema C then sends one online:false state if `announce`. */
  unplug(cookerId?: string, announce?: boolean): void;
  plug(cookerId?: string): void;
  setWaterTemp(cookerId: string | undefined, celsius: number): void;
  setLowWater(cookerId: string | undefined, level: 'ok' | 'warning' | 'empty'): void;
  /** Forces a raw state string into the next pushes (B: job-status.state, C: state.mode), e.g. 'STOP_COOK'. null clears. */
  forceStateString(cookerId: string | undefined, value: string | null): void;
  /** Someone pressed stop on the cooker (or in the Anova app): idle, with no command from a client. */
  stopOnDevice(cookerId?: string): void;
  /** Time added on the cooker itself: the running timer grows by `seconds`. */
  addTimeOnDevice(cookerId: string | undefined, seconds: number): void;
  /** A heater fault (false): the cooker still reports its cook while the water cools toward ambient. */
  setHeaterWorking(cookerId: string | undefined, works: boolean): void;
  /** The cooker loses power: no more pushes (no event, the socket stays open) and its cook is gone. */
  powerCut(cookerId?: string): void;
  /** Power is back: the cooker reconnects and reports idle (water as it cooled meanwhile). */
  restorePower(cookerId?: string): void;
  setTimeScale(scale: number): void;
  /** Changes heating/cooling rates or ambient from now on (the past is integrated with the old values). */
  setPhysics(p: Partial<SimPhysics>): void;
  /** Sends one state push for every plugged cooker to every client now. */
  pushNow(): void;

  // ---- faults
  /** Closes every client socket: 'close' = clean 1000/1001 close, 'abort' = TCP destroy (1006 for the client). */
  dropConnections(how?: 'close' | 'abort'): void;
  /** Sockets stay open, nothing is sent, pings are not answered, new frames are ignored. */
  setBlackhole(on: boolean): void;
  /** Answer pings or not (default true). */
  setAnswerPings(on: boolean): void;
  /** Refuse new connections at the handshake (HTTP 503) while on: a cloud outage. */
  setRefuseConnections(on: boolean): void;
  setCommandAnswer(answer: CommandAnswer): void;
  /** Delay before each RESPONSE (real ms); default 0. */
  setResponseDelayMs(ms: number): void;
  /** Connect-sequence quirks; the fields given replace the current ones, the others stay. */
  setConnectQuirks(q: Partial<ConnectQuirks>): void;
  /** Switches the (L) protocol behaviours; the fields given replace the current ones. */
  setBehavior(b: Partial<SimBehavior>): void;
  revokeToken(token: string, how?: TokenRejection): void;
  acceptToken(token: string): void;

  /** Back to the options given at start (cookers idle, faults off, log cleared). */
  reset(): void;
  close(): Promise<void>;
}
