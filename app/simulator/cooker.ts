/**
 * One simulated cooker: the device, not the cloud (docs/anova-protocol.md §6 item 13). Pure: no I/O,
 * no clock of its own. Every method takes the simulated time, and the physics between two
 * calls is integrated exactly, so the model is the same whether it is read every 2 s or once
 * an hour, at any time scale.
 *
 * Life of a cook: START → preheating (the heater drives the water toward the setpoint) →
 * cooking once the water is within ±0.3 °C (the timer starts only then) → done when the timer
 * runs out, still holding temperature → STOP → idle, and the water drifts back to ambient.
 */
import type { SimCookerType, SimCookerView, SimPhysics } from './types';

/** How close the water must be to the setpoint for the cook stage to be entered (§2.6 C). */
export const SETPOINT_TOLERANCE_C = 0.3;

/** How many processed command ids a schema C cooker remembers (§2.6 C: "about the last 10"). */
export const PROCESSED_IDS_KEPT = 10;

export type CookerMode = SimCookerView['mode'];
export type LowWaterLevel = SimCookerView['lowWater'];
export type DisplayUnit = SimCookerView['displayUnit'];

export interface CookJob {
  readonly cookId: string;
  readonly stageId: string;
  targetC: number;
  /** 0 = no timer: cooking lasts until STOP. */
  timerSeconds: number;
  /** Simulated epoch ms when START was applied (the stage began, in "entering"). */
  readonly startedAtMs: number;
  /** Simulated epoch ms when the water reached the setpoint and the timer started; null while preheating. */
  enteredAtMs: number | null;
}

export interface CookerIdentity {
  cookerId: string;
  type: SimCookerType;
  name: string;
  pairedAtMs: number;
  /** Boot time: B's systick counters count from here. */
  bootedAtMs: number;
  bootId: string;
}

export interface StartJob {
  targetC: number;
  timerSeconds: number;
  requestId: string | undefined;
  cookId: string;
  stageId: string;
}

export class SimCooker {
  waterTempC: number;
  plugged: boolean;
  job: CookJob | null = null;
  /** Last setpoint the device was given; null until the first START. */
  setpointC: number | null = null;
  /** Timer of the last job, kept for B's idle `cook-time-seconds`. */
  lastTimerSeconds = 0;
  displayUnit: DisplayUnit = 'C';
  lowWater: LowWaterLevel = 'ok';
  /** A raw state string forced into pushes (B job-status.state, C state.mode); null = the real one. */
  forcedState: string | null = null;
  /**
   * A raw schema B job.mode forced into pushes (an alarm such as "LOW WATER", or an unknown
   * string); null = the real one. Schema C alarms (state.mode "motorStuck", ...) use forcedState.
   */
  forcedJobMode: string | null = null;
  /** requestId of the last START/STOP, which B echoes as job.id. */
  jobRequestId = '';
  /** requestIds of applied commands, oldest first (C state.processedCommandIds). */
  processedCommandIds: string[] = [];
  /** B reports START_COOK when idle since boot, and "" once a cook has been stopped. */
  hasCookedSinceBoot = false;
  /** A heater fault: the cooker keeps reporting its cook, but the water drifts toward ambient. */
  heaterWorks = true;
  idleSinceMs: number;
  lastConnectedMs: number;
  lastDisconnectedMs: number;
  /** The simulated instant the physics has been integrated up to. */
  private integratedToMs: number;

  constructor(
    readonly identity: CookerIdentity,
    init: { waterTempC: number; plugged: boolean; nowMs: number; lastConnectedMs: number; lastDisconnectedMs: number },
  ) {
    this.waterTempC = init.waterTempC;
    this.plugged = init.plugged;
    this.integratedToMs = init.nowMs;
    this.idleSinceMs = init.nowMs;
    this.lastConnectedMs = init.lastConnectedMs;
    this.lastDisconnectedMs = init.lastDisconnectedMs;
  }

  get cookerId(): string {
    return this.identity.cookerId;
  }

  get type(): SimCookerType {
    return this.identity.type;
  }

  /** Simulated time the state below describes. */
  get nowMs(): number {
    return this.integratedToMs;
  }

  /** Integrates the physics up to `toMs` (earlier times are ignored: time never runs back). */
  advanceTo(toMs: number, physics: SimPhysics): void {
    this.enterStageIfAtSetpoint(this.integratedToMs);
    if (toMs <= this.integratedToMs) return;
    let t = this.integratedToMs;
    const job = this.job;
    const heats = job !== null && this.heaterWorks;
    if (job && heats && job.enteredAtMs === null) {
      // Preheating: move toward the setpoint until the entry condition holds, then the timer starts.
      const gap = job.targetC - this.waterTempC;
      const direction = Math.sign(gap);
      const ratePerMs = (gap > 0 ? physics.heatingRateCPerMin : physics.coolingRateCPerMin) / 60_000;
      const distance = Math.abs(gap) - SETPOINT_TOLERANCE_C;
      const msToEnter = ratePerMs > 0 ? distance / ratePerMs : Infinity;
      if (t + msToEnter <= toMs) {
        this.waterTempC = job.targetC - direction * SETPOINT_TOLERANCE_C;
        t += msToEnter;
        job.enteredAtMs = t;
      } else {
        this.waterTempC += direction * ratePerMs * (toMs - t);
        t = toMs;
      }
    }
    if (t < toMs) {
      // Holding the setpoint (the heater only heats), or drifting toward ambient when idle or broken.
      const goal = heats ? job.targetC : physics.ambientTempC;
      const heating = heats && this.waterTempC < goal;
      const ratePerMs = (heating ? physics.heatingRateCPerMin : physics.coolingRateCPerMin) / 60_000;
      this.waterTempC = approach(this.waterTempC, goal, ratePerMs * (toMs - t));
    }
    this.integratedToMs = toMs;
  }

  mode(): CookerMode {
    const job = this.job;
    if (!job) return 'idle';
    if (job.enteredAtMs === null) return 'preheating';
    if (job.timerSeconds > 0 && this.timerElapsedSeconds() >= job.timerSeconds) return 'done';
    return 'cooking';
  }

  /** Simulated seconds since the timer started; keeps counting after done (B counts up from it). */
  timerElapsedSeconds(): number {
    const entered = this.job?.enteredAtMs;
    if (entered === null || entered === undefined) return 0;
    return (this.integratedToMs - entered) / 1000;
  }

  /** Simulated ms when the current mode began (B's state-change-systick). */
  modeSinceMs(): number {
    const job = this.job;
    if (!job) return this.idleSinceMs;
    if (job.enteredAtMs === null) return job.startedAtMs;
    if (this.mode() === 'done') return job.enteredAtMs + job.timerSeconds * 1000;
    return job.enteredAtMs;
  }

  /** Starts a new cook (a START while cooking restarts it: the client, not the device, refuses that). */
  start(job: StartJob): void {
    this.job = {
      cookId: job.cookId,
      stageId: job.stageId,
      targetC: job.targetC,
      timerSeconds: job.timerSeconds,
      startedAtMs: this.integratedToMs,
      enteredAtMs: null,
    };
    this.setpointC = job.targetC;
    this.lastTimerSeconds = job.timerSeconds;
    this.hasCookedSinceBoot = true;
    this.jobRequestId = job.requestId ?? '';
    this.recordProcessed(job.requestId);
    this.enterStageIfAtSetpoint(this.integratedToMs);
  }

  stop(requestId: string | undefined): void {
    if (this.job) this.idleSinceMs = this.integratedToMs;
    this.job = null;
    this.jobRequestId = requestId ?? '';
    this.recordProcessed(requestId);
  }

  setDisplayUnit(unit: DisplayUnit, requestId: string | undefined): void {
    this.displayUnit = unit;
    this.recordProcessed(requestId);
  }

  /** Unofficial CMD_APC_SET_TARGET_TEMP with "apply" semantics: moves a running cook's setpoint. */
  setTarget(targetC: number, requestId: string | undefined): void {
    if (!this.job) return;
    this.job.targetC = targetC;
    this.setpointC = targetC;
    this.recordProcessed(requestId);
  }

  /** Unofficial CMD_APC_SET_TIMER with "apply" semantics: changes a running cook's timer length. */
  setTimer(timerSeconds: number, requestId: string | undefined): void {
    if (!this.job) return;
    this.job.timerSeconds = timerSeconds;
    this.lastTimerSeconds = timerSeconds;
    this.recordProcessed(requestId);
  }

  /** The cooker loses power: the cook is gone, and it boots idle when power comes back. */
  losePower(): void {
    this.stop(undefined);
    this.hasCookedSinceBoot = false;
  }

  /** Time added on the cooker itself (its dial or the Anova app): the running timer gets longer. */
  addTime(seconds: number): void {
    if (!this.job) return;
    this.job.timerSeconds += seconds;
    this.lastTimerSeconds = this.job.timerSeconds;
  }

  /** Someone poured in water (or ice): the next pushes show it, and a preheat may be done. */
  setWaterTemp(celsius: number): void {
    this.waterTempC = celsius;
    this.enterStageIfAtSetpoint(this.integratedToMs);
  }

  view(): SimCookerView {
    const job = this.job;
    return {
      cookerId: this.cookerId,
      type: this.type,
      name: this.identity.name,
      plugged: this.plugged,
      mode: this.mode(),
      waterTempC: round(this.waterTempC, 2),
      targetTempC: job ? job.targetC : null,
      timerSeconds: job ? job.timerSeconds : 0,
      timerElapsedSeconds: round(this.timerElapsedSeconds(), 1),
      lowWater: this.lowWater,
      displayUnit: this.displayUnit,
    };
  }

  private enterStageIfAtSetpoint(atMs: number): void {
    const job = this.job;
    if (job && job.enteredAtMs === null && Math.abs(job.targetC - this.waterTempC) <= SETPOINT_TOLERANCE_C) {
      job.enteredAtMs = atMs;
    }
  }

  private recordProcessed(requestId: string | undefined): void {
    if (requestId === undefined) return;
    this.processedCommandIds.push(requestId);
    if (this.processedCommandIds.length > PROCESSED_IDS_KEPT) this.processedCommandIds.shift();
  }
}

/** Moves `from` toward `goal` by at most `step`, never past it. */
function approach(from: number, goal: number, step: number): number {
  return from < goal ? Math.min(goal, from + step) : Math.max(goal, from - step);
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
