/**
 * Start / stop / status of a cook, and the life of the cook this server started: the busy
 * lock, the record of the cook, its journal (events and samples), its live food-safety monitor,
 * and its recovery after a restart of the server. Talks to the cooker only through CookerPort,
 * to the journal through CookJournalPort and to the monitor through a factory, so it holds no
 * I/O of its own.
 *
 * A cook ends as docs/api.md, GET /cooks, defines: "stopped" through this API; "done" once the
 * timer ran out; "stopped_on_device" when the cooker went idle while online before the timer
 * ran out; "interrupted" when it went offline (or out of our sight) before the timer ran out and
 * came back idle. After the last two the monitor keeps running until the next start or stop:
 * the food may be sitting in cooling water, and its danger budget keeps counting.
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../errors';
import { CookerError, projectTimer, type CookerPort, type CookerSnapshot, type DeviceState } from './cooker';
import type { CookMonitorLike, MonitorFactory } from './cook-monitor-port';
import type { Observation as MonitorObservation } from './monitor';
import { CookError } from './errors';
import type { FoodCategory } from './food-safety/classify';
import type { CookEvent, CookJournalPort, EndReason, SampleState, StoredCookDetail } from './journal-port';
import type { CookRequest } from './request';
import { buildStatusView, heatUpSeconds, type StatusView } from './status';

/** What we know about the cook this server started (the device knows nothing of cook ids or food). */
export interface CookRecord {
  cookId: string;
  requestId: string | null;
  targetTempC: number;
  timeMinutes: number;
  foodType: string | null;
  /**
   * sending: command in flight. acked: the cloud said "ok". uncertain: no answer (timeout or a
   * dropped socket), so the cooker may or may not have started; only its next states can tell.
   */
  phase: 'sending' | 'acked' | 'uncertain';
  /** Epoch ms when `phase` was entered. */
  since: number;
  /** A state showed the cook running (or listed our requestId as processed). */
  seenOnDevice: boolean;
  estimatedCompletionAt: number;
}

/** A cook being followed: the record plus what the server has seen of it. */
interface ActiveCook {
  record: CookRecord;
  categories: FoodCategory[];
  monitor: CookMonitorLike;
  /** The timer ran out (the cooker reported done). */
  timerRanOut: boolean;
  /** The cooker was out of sight (offline, or the server was down) since it was last seen running. */
  unseenSince: number | null;
  /** A stop through the API is on its way: an idle state now is that stop. */
  stopRequested: boolean;
  /** Set once the cook ended; a lingering cook keeps its monitor until the next start or stop. */
  ended: EndReason | null;
  /** Device alerts of the last state (for raised/cleared events). */
  deviceAlerts: ReadonlySet<string>;
  /** The last state this cook followed (a state is followed once; a start in flight follows none). */
  followed: DeviceState | null;
}

export interface StartResult {
  cookId: string;
  deviceState: 'preheating';
  targetTempC: number;
  timeMinutes: number;
  estimatedCompletionAt: number;
  foodType: string | null;
  warnings: CookRequest['warnings'];
  thicknessAssumedMm: number | null;
}

export interface StopResult {
  finalTempC: number | null;
}

/** Every event the service records, also emitted (the notifier listens). */
export interface ServiceEvents {
  cookEvent: [{ cookId: string; event: CookEvent }];
}

export interface CookServiceOptions {
  cooker: CookerPort;
  journal: CookJournalPort;
  createMonitor: MonitorFactory;
  clock?: () => number;
  newId?: () => string;
  /**
   * How long an acknowledged or unanswered start keeps the cooker "busy" while its states still
   * say idle: the device applies a command on a later push (docs/anova-protocol.md §2.2).
   */
  confirmWindowMs?: number;
  /** How often the monitor is advanced while no state arrives (an offline cooker); default 15 s. */
  tickMs?: number;
}

const ACTIVE_MODES = new Set<DeviceState['mode']>(['preheating', 'cooking', 'done', 'unknown']);
const RUNNING_MODES = new Set<DeviceState['mode']>(['preheating', 'cooking', 'done']);
/** A recovered cook is ours only if the cooker still holds the same setpoint (0.1 °C steps). */
const SAME_SETPOINT_C = 0.05;
/** ... and a timer that could have run since we started it (clock skew and rounding). */
const TIMER_SLACK_SECONDS = 120;
/**
 * At most this many journal samples are replayed into the monitor at recovery: 10,000 from the
 * start (a week at one a minute: the longest timer, 5999 minutes, and every budget fit in it) and
 * 10,000 up to the restart. The stretch between, of a cook older than that, counts as unseen.
 */
export const MAX_REPLAYED_SAMPLES = 20_000;
/**
 * A lingering cook (ended on the device, its food maybe in cooling water) is rebuilt after a
 * restart if it ended at most this long ago. Its heat was lost at the end at the latest, so the
 * 2 hours of heat lost run out within 2 hours of it; the 4-hour (below 55 °C) and 6-hour
 * (come-up) budgets count from the food-in, before the end. 6 hours covers the longest budget,
 * with room for a discard_food already raised to stay shown; food left longer than that has
 * long been told to be thrown away.
 */
export const LINGERING_RECOVERY_MS = 6 * 3_600_000;

export class CookService extends EventEmitter<ServiceEvents> {
  private readonly cooker: CookerPort;
  private readonly journal: CookJournalPort;
  private readonly createMonitor: MonitorFactory;
  private readonly clock: () => number;
  private readonly newId: () => string;
  private readonly confirmWindowMs: number;
  private readonly tickMs: number;
  private active: ActiveCook | null = null;
  /** A cook the journal says was running when the server stopped; decided at the cooker's first state. */
  private recovering: StoredCookDetail | null = null;
  private ticker: NodeJS.Timeout | null = null;
  /** True while a state is being followed (see onCookerState). */
  private following = false;
  private readonly unsubscribe: () => void;

  constructor(opts: CookServiceOptions) {
    super();
    this.cooker = opts.cooker;
    this.journal = opts.journal;
    this.createMonitor = opts.createMonitor;
    this.clock = opts.clock ?? Date.now;
    this.newId = opts.newId ?? (() => crypto.randomUUID());
    this.confirmWindowMs = opts.confirmWindowMs ?? 15_000;
    this.tickMs = opts.tickMs ?? 15_000;
    const offState = opts.cooker.onState((state) => {
      if (state.cookerId === this.cooker.selected()?.info.cookerId) this.onCookerState(state);
    });
    const offOnline = opts.cooker.onOnlineChange((online) => this.onCookerOnline(online));
    this.unsubscribe = () => {
      offState();
      offOnline();
    };
  }

  // ------------------------------------------------------------------------------- the API

  /** The current status, served from pushed state (no cloud round trip). */
  status(): StatusView {
    // docs/api.md: /status reports a lost cloud connection as DEVICE_OFFLINE too.
    let snapshot: CookerSnapshot;
    try {
      snapshot = this.requireOnlineCooker('DEVICE_OFFLINE');
    } catch (err) {
      throw this.withFoodSafety(err);
    }
    this.reconcileLazily(snapshot);
    const now = this.clock();
    // A cook recovered on another cooker is not what this cooker runs.
    const cook = this.recovering && this.recovering.cookerId !== snapshot.info.cookerId ? null : this.active;
    return buildStatusView(snapshot, cook?.record ?? null, now, {
      lingering: cook?.ended != null,
      foodSafety: cook ? { ...cook.monitor.view(now) } : null,
      alerts: cook ? cook.monitor.alerts() : [],
    });
  }

  /**
   * While a cook is followed, "the cooker is offline" is not all a person needs to hear: the
   * monitor's word on the food (it may be sitting in cooling water) goes with it.
   */
  private withFoodSafety(err: unknown): unknown {
    const cook = this.active;
    if (!cook || !(err instanceof CookerError) || err.code !== 'DEVICE_OFFLINE') return err;
    const food = cook.record.foodType ?? 'the food';
    const urgent = cook.monitor.activeAlerts().at(-1)?.message ?? cook.monitor.view(this.clock()).message;
    return new AppError(
      'DEVICE_OFFLINE',
      `The cooker can't be reached right now (offline, or the server's link to Anova's cloud is down) while ${food} is in the bath. ${urgent}`,
      { logMessage: err.message },
    );
  }

  /** The /status body when it can be built, else null (for notifications). */
  statusOrNull(): StatusView | null {
    try {
      return this.status();
    } catch {
      return null;
    }
  }

  async start(req: CookRequest): Promise<StartResult> {
    const snapshot = this.requireOnlineCooker();
    this.reconcileLazily(snapshot);
    const running = this.active && !this.active.ended;
    if (running || (snapshot.state && ACTIVE_MODES.has(snapshot.state.mode))) {
      throw busyError(this.active?.record ?? null, snapshot.state);
    }
    const now = this.clock();
    const heatUp = heatUpSeconds(snapshot.state?.currentTempC ?? null, req.temperatureC);
    // Claimed before the first await, so a second start in the same tick is already busy.
    const record: CookRecord = {
      cookId: this.newId(),
      requestId: null,
      targetTempC: req.temperatureC,
      timeMinutes: req.timeMinutes,
      foodType: req.foodType,
      phase: 'sending',
      since: now,
      seenOnDevice: false,
      estimatedCompletionAt: now + (heatUp + req.timeMinutes * 60) * 1000,
    };
    this.setActive(this.newActiveCook(record, req.categories, req.thicknessUsedMm));
    try {
      const ack = await this.cooker.startCook({ targetTempC: req.temperatureC, timerSeconds: req.timeMinutes * 60 });
      if (this.active?.record === record) {
        record.requestId = ack.requestId;
        record.phase = 'acked';
        record.since = this.clock();
        this.journalStart(record, req, snapshot.info.cookerId, now);
        this.record(record.cookId, 'started', now, { request_id: ack.requestId });
        this.sample(this.active, snapshot.state, now);
      }
    } catch (err) {
      if (this.active?.record === record) {
        const maybeApplied = err instanceof CookerError && (err.code === 'TIMEOUT' || err.code === 'CLOUD_UNREACHABLE');
        if (maybeApplied) {
          record.phase = 'uncertain';
          record.since = this.clock();
          // It may be cooking: journal it now; if it never shows up, it ends as interrupted.
          this.journalStart(record, req, snapshot.info.cookerId, now);
          this.record(record.cookId, 'started', now, { unconfirmed: true });
        } else {
          this.setActive(null);
        }
      }
      throw err;
    }
    return {
      cookId: record.cookId,
      deviceState: 'preheating',
      targetTempC: record.targetTempC,
      timeMinutes: record.timeMinutes,
      estimatedCompletionAt: record.estimatedCompletionAt,
      foodType: record.foodType,
      warnings: req.warnings,
      thicknessAssumedMm: req.thicknessAssumed ? req.thicknessUsedMm : null,
    };
  }

  async stop(): Promise<StopResult> {
    const snapshot = this.requireOnlineCooker();
    this.reconcileLazily(snapshot);
    const deviceActive = snapshot.state !== null && ACTIVE_MODES.has(snapshot.state.mode);
    if (!this.active && !deviceActive) {
      throw new CookError('NO_ACTIVE_COOK', 'Nothing is cooking right now, so there is nothing to stop.');
    }
    // A start still in flight is queued before this stop by the client, so the stop wins.
    const stopping = this.active;
    if (stopping) stopping.stopRequested = true; // the idle push may arrive before the ack
    try {
      await this.cooker.stopCook();
    } catch (err) {
      if (stopping) stopping.stopRequested = false;
      throw err;
    }
    const cook = this.active;
    if (cook) {
      const at = this.clock();
      // docs/api.md: "done" once the timer ran out, whoever stopped it afterwards.
      if (!cook.ended) this.end(cook, cook.timerRanOut ? 'done' : 'stopped', at, {});
      else this.release(cook, at);
      this.setActive(null);
    }
    const temp = this.cooker.selected()?.state?.currentTempC ?? null;
    return { finalTempC: temp };
  }

  /**
   * A stop lets go of a lingering cook: its alerts end, and the `stopped` event (its end reason
   * unchanged: it ended on the cooker) tells a restart not to bring it back.
   */
  private release(cook: ActiveCook, at: number): void {
    for (const alert of cook.monitor.alerts()) {
      this.record(cook.record.cookId, 'alert_cleared', at, { alert, reason: 'stopped through the API' });
    }
    this.record(cook.record.cookId, 'stopped', at, { after_end: true });
  }

  private journalStart(record: CookRecord, req: CookRequest, cookerId: string, now: number): void {
    this.journal.recordStart({
      cookId: record.cookId,
      cookerId,
      startedAt: now,
      targetC: req.temperatureC,
      timeMinutes: req.timeMinutes,
      foodType: req.foodType,
      thicknessMm: req.thicknessUsedMm,
      thicknessAssumed: req.thicknessAssumed,
      categories: req.categories,
      governingRule: req.governingRule,
      warnings: req.warnings,
      request: {
        temperature_celsius: req.temperatureC,
        time_minutes: req.timeMinutes,
        food_type: req.foodType,
        thickness_mm: req.thicknessMm,
      },
      estimatedCompletionAt: record.estimatedCompletionAt,
      pasteurised: req.pasteurises ? false : null,
    });
  }

  /** The journal's last unfinished cook (read at start-up): rebuilt now, decided by a state of its cooker. */
  recover(): void {
    const stored = this.journal.unfinishedCookForRecovery(MAX_REPLAYED_SAMPLES);
    if (!stored) {
      this.recoverLingering();
      return;
    }
    const cook = this.rebuild(stored);
    cook.timerRanOut = stored.events.some((e) => e.type === 'done');
    // The cooker's alarms as last journalled: one still on is not raised (and notified) again.
    cook.deviceAlerts = cookerAlertsOf(stored.events);
    this.setActive(cook);
    this.recovering = stored;
    const state = this.cooker.selected()?.state;
    if (state) this.onCookerState(state);
  }

  /**
   * Nothing was running: the newest cook may still linger (docs/api.md, GET /status). Rebuilt as
   * it was, ended as it ended (nothing is closed again): its monitor goes on counting, the time
   * the server was down as heat lost, until the next start or stop.
   */
  private recoverLingering(): void {
    const stored = this.journal.newestCookForRecovery(MAX_REPLAYED_SAMPLES);
    if (!stored || stored.endedAt === null || !lingersAfterRestart(stored, this.clock())) return;
    const cook = this.rebuild(stored);
    const lastSeen = cook.unseenSince ?? stored.endedAt;
    cook.unseenSince = null;
    // The idle state that ended it, as the monitor saw it then.
    const end = endEventOf(stored);
    const waterC = typeof end?.detail.water_celsius === 'number' ? end.detail.water_celsius : null;
    cook.monitor.observe({ at: stored.endedAt, mode: 'idle', waterC, targetC: null, timerRemainingSeconds: null });
    // What it raised until the server last wrote was journalled then: caught up without events.
    cook.monitor.advance(lastSeen);
    cook.ended = stored.endReason as EndReason;
    cook.record.seenOnDevice = true; // it ran and ended there: not a start still awaited
    cook.deviceAlerts = cookerAlertsOf(stored.events);
    this.setActive(cook);
    const at = this.clock();
    this.record(stored.cookId, 'server_restarted', at, {
      reattached: false,
      lingering: true,
      end_reason: stored.endReason,
      unseen_seconds: Math.round((at - lastSeen) / 1000),
    });
    const state = this.cooker.selected()?.state;
    if (state) this.onCookerState(state);
  }

  /** A journalled cook with its monitor rebuilt from what was written; `unseenSince` is the last write. */
  private rebuild(stored: StoredCookDetail): ActiveCook {
    const record: CookRecord = {
      cookId: stored.cookId,
      requestId: stringOrNull(stored.events.find((e) => e.type === 'started')?.detail.request_id),
      targetTempC: stored.targetC,
      timeMinutes: stored.timeMinutes,
      foodType: stored.foodType,
      phase: 'acked',
      since: stored.startedAt,
      seenOnDevice: false,
      estimatedCompletionAt: stored.estimatedCompletionAt ?? stored.startedAt + stored.timeMinutes * 60_000,
    };
    const cook = this.newActiveCook(record, stored.categories as FoodCategory[], stored.thicknessMm);
    // The monitor rebuilt from what was written; the time since the last write was not seen.
    cook.unseenSince = replayInto(cook.monitor, stored);
    return cook;
  }

  /** The selected cooker went offline or came back (the client's staleness limit). */
  private onCookerOnline(online: boolean): void {
    const cook = this.active;
    if (!cook || cook.ended || cook.record.phase === 'sending') return;
    if (this.recovering && this.cooker.selected()?.info.cookerId !== this.recovering.cookerId) return;
    const at = this.clock();
    if (online) {
      this.record(cook.record.cookId, 'device_online', at, {});
      return;
    }
    const interrupted = !cook.timerRanOut;
    cook.unseenSince ??= at;
    this.record(cook.record.cookId, 'device_offline', at, { interrupted });
    this.observe(cook, { at, mode: 'offline', waterC: null, targetC: null, timerRemainingSeconds: null });
    this.sample(cook, null, at);
  }

  close(): void {
    this.unsubscribe();
    this.setActive(null);
  }

  // ------------------------------------------------------------------------------- following the cooker

  private onCookerState(state: DeviceState): void {
    const cook = this.active;
    // A state is followed once. A listener of the events recorded while following one (the
    // notifier asks for the /status body) must not follow it again from inside.
    if (!cook || this.following || state === cook.followed) return;
    this.following = true;
    try {
      if (this.recovering) {
        if (!this.fromRecoveredCooker(this.recovering, state)) return;
        // A device alarm does not say whether our cook still runs: followed (its alerts are news),
        // but the cook stays undecided and out of sight until the cooker runs or is idle.
        if (state.mode !== 'unknown') {
          this.recovering = null;
          this.decideRecovery(cook, state);
          if (this.active !== cook) return;
        }
      }
      this.follow(cook, state);
    } finally {
      this.following = false;
    }
  }

  /**
   * Can this state decide the recovered cook? Not one of another cooker (the selection may not be
   * settled yet), nor one of a cooker that is not online: the cloud replays an offline cooker's
   * last state at connect (docs/anova-protocol.md §2.4), old news stamped now.
   */
  private fromRecoveredCooker(stored: StoredCookDetail, state: DeviceState): boolean {
    const snapshot = this.cooker.selected();
    return (
      state.cookerId === stored.cookerId &&
      snapshot?.info.cookerId === stored.cookerId &&
      snapshot.online &&
      state.reportsOnline !== false
    );
  }

  /** Reattach the recovered cook when the cooker still runs it; otherwise `follow` closes it. */
  private decideRecovery(cook: ActiveCook, state: DeviceState): void {
    const at = this.clock();
    const rec = cook.record;
    const downtimeSeconds = Math.round((at - (cook.unseenSince ?? at)) / 1000);
    const same = sameCook(rec, state, at);
    this.record(rec.cookId, 'server_restarted', at, {
      reattached: same,
      cooker_state: state.mode,
      unseen_seconds: downtimeSeconds,
    });
    if (same) {
      rec.seenOnDevice = true;
      return;
    }
    if (RUNNING_MODES.has(state.mode)) {
      // The cooker runs something else now: ours was stopped and replaced on the device.
      this.end(cook, cook.timerRanOut ? 'done' : 'stopped_on_device', at, { replaced: true });
      this.setActive(null);
      return;
    }
    // Idle: `follow` ends it as done or interrupted, like any cook seen idle after being out of sight.
    rec.seenOnDevice = true;
  }

  /** One state of the selected cooker while we follow a cook. */
  private follow(cook: ActiveCook, state: DeviceState): void {
    const rec = cook.record;
    if (rec.phase === 'sending') return; // looked at again once the start is acknowledged
    cook.followed = state;
    const at = this.clock();
    if (!cook.ended) {
      if (RUNNING_MODES.has(state.mode) || state.mode === 'unknown') {
        if (!this.recovering) {
          rec.seenOnDevice = true;
          cook.unseenSince = null;
        }
      } else if (state.mode === 'idle' && state.observedAt > rec.since) {
        const processedOurs = rec.requestId !== null && state.processedCommandIds.includes(rec.requestId);
        if (!rec.seenOnDevice && !processedOurs) return; // our start has not reached the device yet
      } else {
        return;
      }
    }
    this.diffDeviceAlerts(cook, state, at);
    if (!cook.ended && state.mode === 'idle') {
      // Decided before the monitor hears of it, so its alert comes after the end it explains.
      const reason: EndReason = cook.timerRanOut
        ? 'done'
        : cook.stopRequested
          ? 'stopped'
          : cook.unseenSince !== null
            ? 'interrupted'
            : 'stopped_on_device';
      this.end(cook, reason, at, { water_celsius: state.currentTempC });
      if (reason === 'done' || reason === 'stopped') {
        this.setActive(null);
        return;
      }
    }
    this.observe(cook, {
      at,
      mode: state.mode,
      waterC: state.currentTempC,
      targetC: state.targetTempC,
      timerRemainingSeconds: projectTimer(state, at).remainingSeconds,
    });
    if (cook.ended) return;
    this.sample(cook, state, at);
    if (state.mode === 'done' && !cook.timerRanOut) {
      cook.timerRanOut = true;
      this.record(rec.cookId, 'done', at, {});
    } else if (state.mode === 'cooking' && cook.timerRanOut && (projectTimer(state, at).remainingSeconds ?? 0) > 0) {
      // Time added on the cooker after the timer ran out: the cook goes on, and an idle cooker
      // before the new timer runs out is not done (the monitor resets its own flag alike).
      cook.timerRanOut = false;
    }
    if (state.mode === 'cooking' || state.mode === 'preheating') this.updateEstimate(cook, state, at);
  }

  /** While cooking, the device's timer is the truth (time may be added on the cooker itself). */
  private updateEstimate(cook: ActiveCook, state: DeviceState, at: number): void {
    const remaining = projectTimer(state, at).remainingSeconds;
    if (remaining === null) return;
    const fromDevice =
      state.mode === 'cooking'
        ? at + remaining * 1000
        : Math.max(
            cook.record.estimatedCompletionAt,
            at + (heatUpSeconds(state.currentTempC, cook.record.targetTempC) + remaining) * 1000,
          );
    if (Math.abs(fromDevice - cook.record.estimatedCompletionAt) < 60_000) return;
    cook.record.estimatedCompletionAt = fromDevice;
    this.journal.recordEstimate(cook.record.cookId, fromDevice);
  }

  private diffDeviceAlerts(cook: ActiveCook, state: DeviceState, at: number): void {
    const before = cook.deviceAlerts;
    const now = new Set<string>(state.alerts);
    cook.deviceAlerts = now; // first: whatever the events below set off sees the new set
    for (const alert of now) {
      if (!before.has(alert)) this.record(cook.record.cookId, 'alert_raised', at, { alert, source: 'cooker' });
    }
    for (const alert of before) {
      if (!now.has(alert)) this.record(cook.record.cookId, 'alert_cleared', at, { alert, source: 'cooker' });
    }
  }

  private observe(cook: ActiveCook, obs: MonitorObservation): void {
    for (const e of cook.monitor.observe(obs)) this.record(cook.record.cookId, e.type, e.at, e.detail);
  }

  private tick(): void {
    const cook = this.active;
    if (!cook || cook.record.phase === 'sending') return;
    const at = this.clock();
    if (!cook.ended && !this.cooker.selected()?.online) cook.unseenSince ??= at;
    for (const e of cook.monitor.advance(at)) this.record(cook.record.cookId, e.type, e.at, e.detail);
    if (!cook.ended && cook.unseenSince !== null) this.sample(cook, null, at);
  }

  private end(cook: ActiveCook, reason: EndReason, at: number, detail: Record<string, unknown>): void {
    cook.ended = reason;
    // `done` as an event is the timer running out; a cook that ends after it ends with `stopped`.
    const type = reason === 'interrupted' ? 'interrupted' : 'stopped';
    // The end first: whoever hears the event can already read how the cook ended.
    this.journal.recordEnd(cook.record.cookId, reason, at);
    this.record(cook.record.cookId, type, at, { end_reason: reason, ...detail });
  }

  private sample(cook: ActiveCook | null, state: DeviceState | null, at: number): void {
    if (!cook || cook.record.phase === 'sending') return;
    const offline = state === null;
    const mode: SampleState = offline ? 'offline' : state.mode;
    this.journal.offerSample(cook.record.cookId, {
      at,
      state: mode,
      waterC: offline ? null : round1(state.currentTempC),
      targetC: offline ? null : round1(state.targetTempC),
      coreC: cook.monitor.coreTempC(),
    });
  }

  private record(cookId: string, type: CookEvent['type'], at: number, detail: Record<string, unknown>): void {
    const event: CookEvent = { at, type, detail };
    this.journal.recordEvent(cookId, event);
    this.emit('cookEvent', { cookId, event });
  }

  private newActiveCook(record: CookRecord, categories: FoodCategory[], thicknessMm: number): ActiveCook {
    return {
      record,
      categories,
      monitor: this.createMonitor({
        categories,
        thicknessMm,
        targetTempC: record.targetTempC,
        timeMinutes: record.timeMinutes,
        foodType: record.foodType,
      }),
      timerRanOut: false,
      unseenSince: null,
      stopRequested: false,
      followed: null,
      ended: null,
      deviceAlerts: new Set(),
    };
  }

  /** The one place the followed cook changes, so the monitor's ticker runs exactly while there is one. */
  private setActive(cook: ActiveCook | null): void {
    this.active = cook;
    if (cook && !this.ticker) this.ticker = setInterval(() => this.tick(), this.tickMs).unref();
    if (!cook && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  /** The cooker must be known and online; otherwise the typed error says why. */
  private requireOnlineCooker(cloudDown: 'CLOUD_UNREACHABLE' | 'DEVICE_OFFLINE' = 'CLOUD_UNREACHABLE'): CookerSnapshot {
    const cloud = this.cooker.cloudStatus().state;
    if (cloud === 'auth_failed') throw new CookerError('ANOVA_AUTH_FAILED', 'cloud rejected the token');
    if (cloud !== 'connected') throw new CookerError(cloudDown, `cloud connection is ${cloud}`);
    const snapshot = this.cooker.selected();
    if (!snapshot || !snapshot.online) {
      throw new CookerError('DEVICE_OFFLINE', snapshot ? 'cooker offline' : 'no cooker selected');
    }
    return snapshot;
  }

  private reconcileLazily(snapshot: CookerSnapshot): void {
    if (snapshot.state) this.onCookerState(snapshot.state);
    // An acked start the device never showed, or an unanswered one, stops blocking after the window.
    const cook = this.active;
    const rec = cook?.record;
    if (!cook || !rec || cook.ended || rec.phase === 'sending' || rec.seenOnDevice || this.recovering) return;
    if (this.clock() - rec.since > this.confirmWindowMs && snapshot.state?.mode === 'idle') {
      // Both were journalled (an unanswered start may have started): close the record honestly.
      this.end(cook, 'interrupted', this.clock(), { never_seen_on_cooker: true });
      this.setActive(null);
    }
  }
}

/** Does the cooker still run the cook we recorded (same setpoint, a timer that fits)? */
function sameCook(rec: CookRecord, state: DeviceState, now: number): boolean {
  if (!RUNNING_MODES.has(state.mode) || state.targetTempC === null) return false;
  if (Math.abs(state.targetTempC - rec.targetTempC) > SAME_SETPOINT_C) return false;
  const total = state.timerTotalSeconds;
  // Time added on the cooker is allowed; a shorter timer is someone else's cook.
  if (total !== null && total < rec.timeMinutes * 60) return false;
  const elapsed = projectTimer(state, now).elapsedSeconds ?? 0;
  return elapsed <= (now - rec.since) / 1000 + TIMER_SLACK_SECONDS;
}

function observationOf(s: StoredCookDetail['samples'][number]): MonitorObservation {
  return { at: s.at, mode: s.state, waterC: s.waterC, targetC: s.targetC, timerRemainingSeconds: null };
}

/**
 * Replays a recovered cook into its new monitor; returns when the server last wrote anything of
 * it. The first observation is the start itself, running: samples wait up to 10 minutes in memory,
 * so a crash soon after the start may have left none, and the monitor must not take the first state
 * after the restart as the moment the food went in (the time the server was down is unseen time).
 */
function replayInto(monitor: CookMonitorLike, stored: StoredCookDetail): number {
  const { startedAt, samples } = stored;
  // The sample taken with the start is the cooker before it (idle): only its water is of use.
  const atStart = samples.length > 0 && samples[0].at <= startedAt ? samples[0].waterC : null;
  monitor.observe({
    at: startedAt,
    mode: 'preheating',
    waterC: atStart,
    targetC: stored.targetC,
    timerRemainingSeconds: null,
  });
  let lastSeen = startedAt;
  for (const s of samples) {
    if (s.at <= startedAt) continue;
    monitor.observe(observationOf(s));
    if (s.at > lastSeen) lastSeen = s.at;
  }
  for (const e of stored.events) if (e.at > lastSeen) lastSeen = e.at;
  return lastSeen;
}

/** The event that ended a journalled cook (`stopped` or `interrupted`), if it was written. */
function endEventOf(stored: StoredCookDetail): CookEvent | undefined {
  return stored.events.find(
    (e) => (e.type === 'stopped' || e.type === 'interrupted') && e.detail.end_reason === stored.endReason,
  );
}

/** Did this ended cook linger when the server stopped, and can it still matter? */
function lingersAfterRestart(stored: StoredCookDetail, now: number): boolean {
  if (stored.endReason !== 'stopped_on_device' && stored.endReason !== 'interrupted') return false;
  if (stored.endedAt === null || now - stored.endedAt > LINGERING_RECOVERY_MS) return false;
  // Not kept at its end: replaced by another cook on the device, or never seen on it.
  const end = endEventOf(stored)?.detail;
  if (end?.replaced === true || end?.never_seen_on_cooker === true) return false;
  // Let go of by a stop through the API since.
  return !stored.events.some((e) => e.type === 'stopped' && e.detail.after_end === true);
}

/** The cooker's own alerts still on at the end of a journal (raised and not cleared since). */
function cookerAlertsOf(events: readonly CookEvent[]): Set<string> {
  const on = new Set<string>();
  for (const e of events) {
    const alert = e.detail.alert;
    if (e.detail.source !== 'cooker' || typeof alert !== 'string') continue;
    if (e.type === 'alert_raised') on.add(alert);
    if (e.type === 'alert_cleared') on.delete(alert);
  }
  return on;
}

function busyError(record: CookRecord | null, state: DeviceState | null): CookError {
  if (record && record.phase === 'uncertain') {
    return new CookError(
      'DEVICE_BUSY',
      'The previous start was not confirmed by the cooker yet, so a second one could double-start it. Check the status in a few seconds before trying again.',
    );
  }
  const what = state?.mode === 'done' ? 'has finished a cook and is still holding temperature' : 'is already cooking';
  return new CookError(
    'DEVICE_BUSY',
    `The cooker ${what}. Stop the current cook first if you want to start a new one.`,
  );
}

function round1(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
