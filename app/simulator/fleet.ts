/**
 * The cookers paired to the simulated account, on the simulated clock. Every read advances
 * the physics lazily to "now" (there is no loop ticking the water), so reading is always exact
 * and an idle simulator costs nothing.
 */
import { randomInt } from 'node:crypto';
import type { Frame } from '../anova/protocol';
import { type SimClock } from './clock';
import type { CookerAction } from './commands';
import { SimCooker } from './cooker';
import { assertNumberInRange, invalid, SimulatorError } from './errors';
import { schemaOf, stateFrame } from './payloads';
import type { SimCookerConfig, SimCookerType, SimPhysics } from './types';

export const COOKER_TYPES: readonly SimCookerType[] = ['a7', 'a6', 'a4', 'a5', 'pro'];

const DAY_MS = 86_400_000;

/** A config with every default filled in, so reset() rebuilds the very same cookers. */
export type ResolvedCookerConfig = Required<SimCookerConfig>;

export class Fleet {
  private readonly cookers = new Map<string, SimCooker>();
  /** The last state an unplugged schema C cooker gave the cloud, replayed (online:false) at connect. */
  private readonly staleStates = new Map<string, Frame>();

  constructor(
    private readonly clock: SimClock,
    private physicsNow: SimPhysics,
  ) {}

  get physics(): SimPhysics {
    return { ...this.physicsNow };
  }

  /** Fills defaults and checks a cooker config (ids are drawn here). */
  resolve(config: SimCookerConfig): ResolvedCookerConfig {
    if (typeof config !== 'object' || config === null) throw invalid('a cooker must be an object');
    const type = config.type ?? 'a7';
    if (!COOKER_TYPES.includes(type)) throw invalid(`type must be one of ${COOKER_TYPES.join(', ')}`);
    const cookerId = config.cookerId ?? randomAlphanumeric(22);
    if (typeof cookerId !== 'string' || cookerId.trim() === '' || cookerId.length > 64) {
      throw invalid('cookerId must be a non-empty string of at most 64 characters');
    }
    const name = config.name ?? (schemaOf(type) === 'C' ? 'Anova Precision Cooker 3.0' : 'Anova Precision Cooker');
    if (typeof name !== 'string' || name.length > 64) throw invalid('name must be a string of at most 64 characters');
    const waterTempC = config.waterTempC ?? this.physicsNow.ambientTempC;
    assertNumberInRange('waterTempC', waterTempC, -10, 100);
    const plugged = config.plugged ?? true;
    if (typeof plugged !== 'boolean') throw invalid('plugged must be true or false');
    return { cookerId, type, name, waterTempC, plugged };
  }

  add(config: SimCookerConfig): SimCooker {
    const c = this.resolve(config);
    if (this.cookers.has(c.cookerId)) throw new SimulatorError('conflict', 'a cooker with this id already exists');
    const now = this.clock.now();
    // A cooker unplugged from the start was last heard of a day ago: the cloud replays that
    // state with an old updatedTimestamp (§2.4).
    const lastSeenMs = c.plugged ? now : now - DAY_MS;
    const cooker = new SimCooker(
      {
        cookerId: c.cookerId,
        type: c.type,
        name: c.name,
        pairedAtMs: now - 30 * DAY_MS,
        bootedAtMs: now,
        bootId: randomAlphanumeric(16),
      },
      {
        waterTempC: c.waterTempC,
        plugged: c.plugged,
        nowMs: now,
        lastConnectedMs: c.plugged ? now : now - 2 * DAY_MS,
        lastDisconnectedMs: c.plugged ? now - 2 * DAY_MS : lastSeenMs,
      },
    );
    this.cookers.set(c.cookerId, cooker);
    if (!c.plugged) this.rememberStaleState(cooker, lastSeenMs);
    return cooker;
  }

  remove(cookerId: string): void {
    this.get(cookerId);
    this.cookers.delete(cookerId);
    this.staleStates.delete(cookerId);
  }

  clear(): void {
    this.cookers.clear();
    this.staleStates.clear();
  }

  /** Every cooker, physics advanced to now, in pairing order. */
  all(): SimCooker[] {
    return [...this.cookers.values()].map((c) => this.advanced(c));
  }

  /** One cooker advanced to now; the first when no id is given. */
  get(cookerId?: string): SimCooker {
    const cooker = cookerId === undefined ? this.cookers.values().next().value : this.cookers.get(cookerId);
    if (!cooker) {
      throw new SimulatorError('not_found', cookerId === undefined ? 'the simulator has no cooker' : 'no such cooker');
    }
    return this.advanced(cooker);
  }

  typeOf(cookerId: string): SimCookerType | undefined {
    return this.cookers.get(cookerId)?.type;
  }

  /** The live state push for a cooker (as of now). */
  stateOf(cooker: SimCooker): Frame {
    return stateFrame(this.advanced(cooker), { nowMs: cooker.nowMs, online: true });
  }

  /** The replayed online:false state of an unplugged schema C cooker; undefined for others. */
  staleStateOf(cookerId: string): Frame | undefined {
    return this.staleStates.get(cookerId);
  }

  /** The cooker drops off the cloud (its device model keeps running). Returns its last state for C. */
  unplug(cookerId?: string): Frame | undefined {
    const cooker = this.get(cookerId);
    if (!cooker.plugged) return this.staleStates.get(cooker.cookerId);
    cooker.plugged = false;
    cooker.lastDisconnectedMs = cooker.nowMs;
    return this.rememberStaleState(cooker, cooker.nowMs);
  }

  plug(cookerId?: string): SimCooker {
    const cooker = this.get(cookerId);
    if (cooker.plugged) return cooker;
    cooker.plugged = true;
    cooker.lastConnectedMs = cooker.nowMs;
    this.staleStates.delete(cooker.cookerId);
    return cooker;
  }

  setPhysics(physics: SimPhysics): void {
    this.all(); // the time so far is integrated with the old values
    this.physicsNow = { ...physics };
  }

  apply(cookerId: string, action: CookerAction, requestId: string | undefined): SimCooker | undefined {
    if (!this.cookers.has(cookerId)) return undefined; // removed while the command was in flight
    const cooker = this.get(cookerId);
    switch (action.kind) {
      case 'start':
        cooker.start({
          targetC: action.targetC,
          timerSeconds: action.timerSeconds,
          requestId,
          cookId: randomAlphanumeric(22),
          stageId: randomAlphanumeric(22),
        });
        break;
      case 'stop':
        cooker.stop(requestId);
        break;
      case 'set-unit':
        cooker.setDisplayUnit(action.unit, requestId);
        break;
      case 'set-target':
        cooker.setTarget(action.targetC, requestId);
        break;
      case 'set-timer':
        cooker.setTimer(action.timerSeconds, requestId);
        break;
    }
    return cooker;
  }

  private advanced(cooker: SimCooker): SimCooker {
    cooker.advanceTo(this.clock.now(), this.physicsNow);
    return cooker;
  }

  private rememberStaleState(cooker: SimCooker, seenAtMs: number): Frame | undefined {
    if (schemaOf(cooker.type) !== 'C') return undefined;
    const frame = stateFrame(cooker, { nowMs: seenAtMs, online: false });
    this.staleStates.set(cooker.cookerId, frame);
    return frame;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids shaped like real a4/a7 cooker ids (22 alphanumerics, §2.3). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}
