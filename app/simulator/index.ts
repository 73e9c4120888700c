/**
 * A local stand-in for Anova's cloud: a real WebSocket server speaking the real protocol, with
 * simulated cookers and fault switches. Used by tests, `npm run demo`, the Docker demo stack,
 * and anyone trying their GPT without a cooker. See docs/simulator.md.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { silentLogger } from '../log';
import { SimClock } from './clock';
import { startControlApi, type ControlApi } from './control';
import { assertNumberInRange, invalid } from './errors';
import { Fleet, type ResolvedCookerConfig } from './fleet';
import { CloudServer } from './server';
import {
  DEFAULT_BEHAVIOR,
  DEFAULT_PHYSICS,
  delayMs,
  flag,
  mergeBehavior,
  mergePhysics,
  mergeQuirks,
  tokenRejection,
  validCommandAnswer,
} from './settings';
import { assertTokenShape, TokenBook } from './tokens';
import type {
  CommandAnswer,
  ConnectQuirks,
  ReceivedFrame,
  SimBehavior,
  SimCookerConfig,
  SimCookerView,
  SimPhysics,
  SimStatus,
  SimulatorHandle,
  SimulatorOptions,
  TokenRejection,
} from './types';

export * from './types';
export { SimulatorError } from './errors';

const DEFAULT_PUSH_INTERVAL_MS = 2000;

/** A fresh random token shaped like a real PAT's prefix. */
export function randomSimToken(): string {
  return `anova-sim-${randomBytes(18).toString('base64url')}`;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  assertPort('port', port);
  const controlPort = opts.controlPort ?? null;
  if (controlPort !== null) assertPort('controlPort', controlPort);
  const pushIntervalMs = opts.pushIntervalMs ?? DEFAULT_PUSH_INTERVAL_MS;
  if (!Number.isInteger(pushIntervalMs) || pushIntervalMs < 10 || pushIntervalMs > 3_600_000) {
    throw invalid('pushIntervalMs must be a whole number of milliseconds from 10 to 3600000');
  }
  const tokens = opts.tokens ?? [randomSimToken()];
  if (!Array.isArray(tokens) || tokens.length === 0) throw invalid('tokens must be a non-empty list');
  tokens.forEach((t) => assertTokenShape(t));
  const physics = mergePhysics(DEFAULT_PHYSICS, {
    heatingRateCPerMin: opts.heatingRateCPerMin,
    coolingRateCPerMin: opts.coolingRateCPerMin,
    ambientTempC: opts.ambientTempC,
  });
  const behavior = mergeBehavior(DEFAULT_BEHAVIOR, opts.behavior ?? {});
  const clock = new SimClock(opts.timeScale ?? 1);
  const fleet = new Fleet(clock, physics);
  const cookerConfigs = (opts.cookers ?? [{}]).map((c) => fleet.resolve(c));
  const start: StartState = { timeScale: clock.scale, physics, tokens: [...tokens], cookers: cookerConfigs, behavior };

  const logger = opts.logger ?? silentLogger;
  const events = new EventEmitter();
  const book = new TokenBook(tokens);
  cookerConfigs.forEach((c) => fleet.add(c));
  const server = await CloudServer.start({
    host,
    port,
    pushIntervalMs,
    fleet,
    tokens: book,
    events,
    behavior,
    logger,
  });
  const sim = new Simulator(server, fleet, clock, book, events, start, pushIntervalMs);
  if (controlPort !== null) {
    try {
      sim.attachControl(await startControlApi(sim, { host, port: controlPort, logger }));
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  return sim;
}

/** What reset() goes back to. */
interface StartState {
  timeScale: number;
  physics: SimPhysics;
  tokens: string[];
  cookers: ResolvedCookerConfig[];
  behavior: SimBehavior;
}

class Simulator implements SimulatorHandle {
  readonly token: string;
  private control: ControlApi | null = null;

  constructor(
    private readonly server: CloudServer,
    private readonly fleet: Fleet,
    private readonly clock: SimClock,
    private readonly tokens: TokenBook,
    readonly events: EventEmitter,
    private readonly start: StartState,
    private readonly pushIntervalMs: number,
  ) {
    this.token = start.tokens[0];
  }

  attachControl(control: ControlApi): void {
    this.control = control;
  }

  get url(): string {
    return this.server.url;
  }

  get controlUrl(): string | null {
    return this.control?.url ?? null;
  }

  // ---- inspection

  received(): ReceivedFrame[] {
    return this.server.received();
  }

  connectionCount(): number {
    return this.server.connectionCount();
  }

  cookers(): SimCookerView[] {
    return this.fleet.all().map((c) => c.view());
  }

  cooker(cookerId?: string): SimCookerView {
    return this.fleet.get(cookerId).view();
  }

  status(): SimStatus {
    return {
      url: this.url,
      controlUrl: this.controlUrl,
      timeScale: this.clock.scale,
      pushIntervalMs: this.pushIntervalMs,
      physics: this.fleet.physics,
      connections: this.connectionCount(),
      cookers: this.cookers(),
      faults: structuredClone(this.server.faults),
      behavior: structuredClone(this.server.behavior),
    };
  }

  // ---- devices and physics

  now(): number {
    return this.clock.now();
  }

  addCooker(c: SimCookerConfig): SimCookerView {
    // Clients are not told: the real cloud reports new cookers only on the next connect (§5 pitfall 12).
    return this.fleet.add(c).view();
  }

  removeCooker(cookerId: string): void {
    this.fleet.remove(cookerId);
  }

  unplug(cookerId?: string, announce = false): void {
    const lastState = this.fleet.unplug(cookerId);
    if (announce && lastState) this.server.broadcast(lastState);
  }

  plug(cookerId?: string): void {
    const cooker = this.fleet.plug(cookerId);
    this.server.pushCooker(cooker.cookerId);
  }

  setWaterTemp(cookerId: string | undefined, celsius: number): void {
    const cooker = this.fleet.get(cookerId);
    assertNumberInRange('celsius', celsius, -10, 100);
    cooker.setWaterTemp(celsius);
  }

  setLowWater(cookerId: string | undefined, level: 'ok' | 'warning' | 'empty'): void {
    const cooker = this.fleet.get(cookerId);
    if (level !== 'ok' && level !== 'warning' && level !== 'empty') {
      throw invalid('level must be one of "ok", "warning", "empty"');
    }
    cooker.lowWater = level;
  }

  forceStateString(cookerId: string | undefined, value: string | null): void {
    const cooker = this.fleet.get(cookerId);
    if (value !== null && (typeof value !== 'string' || value.length > 64)) {
      throw invalid('value must be a string of at most 64 characters, or null');
    }
    cooker.forcedState = value;
  }

  stopOnDevice(cookerId?: string): void {
    this.fleet.get(cookerId).stop(undefined);
  }

  addTimeOnDevice(cookerId: string | undefined, seconds: number): void {
    assertNumberInRange('seconds', seconds, 1, 359_940);
    this.fleet.get(cookerId).addTime(seconds);
  }

  setHeaterWorking(cookerId: string | undefined, works: boolean): void {
    if (typeof works !== 'boolean') throw invalid('works must be true or false');
    this.fleet.get(cookerId).heaterWorks = works;
  }

  powerCut(cookerId?: string): void {
    const cooker = this.fleet.get(cookerId);
    this.fleet.unplug(cooker.cookerId);
    cooker.losePower();
  }

  restorePower(cookerId?: string): void {
    this.plug(cookerId);
  }

  setTimeScale(scale: number): void {
    this.clock.setScale(scale);
  }

  setPhysics(p: Partial<SimPhysics>): void {
    this.fleet.setPhysics(mergePhysics(this.fleet.physics, p));
  }

  pushNow(): void {
    this.server.pushNow();
  }

  // ---- faults

  dropConnections(how: 'close' | 'abort' = 'close'): void {
    if (how !== 'close' && how !== 'abort') throw invalid('how must be "close" or "abort"');
    this.server.dropConnections(how);
  }

  setBlackhole(on: boolean): void {
    this.server.faults.blackhole = flag('blackhole', on);
  }

  setAnswerPings(on: boolean): void {
    this.server.faults.answerPings = flag('answerPings', on);
  }

  setRefuseConnections(on: boolean): void {
    this.server.faults.refuseConnections = flag('refuseConnections', on);
  }

  setCommandAnswer(answer: CommandAnswer): void {
    this.server.faults.commandAnswer = validCommandAnswer(answer);
  }

  setResponseDelayMs(ms: number): void {
    this.server.faults.responseDelayMs = delayMs('responseDelayMs', ms);
  }

  setConnectQuirks(q: Partial<ConnectQuirks>): void {
    this.server.faults.connectQuirks = mergeQuirks(this.server.faults.connectQuirks, q);
  }

  setBehavior(b: Partial<SimBehavior>): void {
    this.server.behavior = mergeBehavior(this.server.behavior, b);
  }

  revokeToken(token: string, how?: TokenRejection): void {
    this.tokens.revoke(token, how === undefined ? this.server.behavior.tokenRejection : tokenRejection(how));
    this.server.closeSocketsOf(token);
  }

  acceptToken(token: string): void {
    this.tokens.accept(token);
  }

  reset(): void {
    const s = this.start;
    this.tokens.reset(s.tokens);
    this.server.reset(s.behavior);
    this.clock.setScale(s.timeScale);
    this.fleet.setPhysics(s.physics);
    this.fleet.clear();
    s.cookers.forEach((c) => this.fleet.add(c));
  }

  async close(): Promise<void> {
    await Promise.all([this.control?.close(), this.server.close()]);
  }
}

function assertPort(name: string, port: unknown): void {
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65_535) {
    throw invalid(`${name} must be a whole number from 0 to 65535`);
  }
}
