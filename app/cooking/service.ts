/**
 * Start / stop / status of a cook: the busy lock, the record of the cook we started, and the
 * estimates. Talks to the cooker only through CookerPort, so it holds no I/O of its own.
 */
import { AnovaError } from '../anova/errors';
import type { CookerPort } from '../anova/port';
import type { CookerSnapshot, DeviceState } from '../anova/types';
import { CookError } from './errors';
import { DEFAULT_THICKNESS_MM } from './food-safety/tables';
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

export interface CookServiceOptions {
  cooker: CookerPort;
  clock?: () => number;
  newId?: () => string;
  /**
   * How long an acknowledged or unanswered start keeps the cooker "busy" while its states still
   * say idle: the device applies a command on a later push (anova-protocol.md §2.2).
   */
  confirmWindowMs?: number;
}

const ACTIVE_MODES = new Set<DeviceState['mode']>(['preheating', 'cooking', 'done', 'unknown']);

export class CookService {
  private readonly cooker: CookerPort;
  private readonly clock: () => number;
  private readonly newId: () => string;
  private readonly confirmWindowMs: number;
  private record: CookRecord | null = null;

  constructor(opts: CookServiceOptions) {
    this.cooker = opts.cooker;
    this.clock = opts.clock ?? Date.now;
    this.newId = opts.newId ?? (() => crypto.randomUUID());
    this.confirmWindowMs = opts.confirmWindowMs ?? 15_000;
    opts.cooker.onState((state) => {
      if (this.record && state.cookerId === this.cooker.selected()?.info.cookerId) this.follow(state);
    });
  }

  /** The current status, served from pushed state (no cloud round trip). */
  status(): StatusView {
    // api.md: /status reports a lost cloud connection as DEVICE_OFFLINE too.
    const snapshot = this.requireOnlineCooker('DEVICE_OFFLINE');
    this.reconcileLazily(snapshot);
    return buildStatusView(snapshot, this.record, this.clock());
  }

  async start(req: CookRequest): Promise<StartResult> {
    const snapshot = this.requireOnlineCooker();
    this.reconcileLazily(snapshot);
    if (this.record || (snapshot.state && ACTIVE_MODES.has(snapshot.state.mode))) {
      throw busyError(this.record, snapshot.state);
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
    this.record = record;
    try {
      const ack = await this.cooker.startCook({ targetTempC: req.temperatureC, timerSeconds: req.timeMinutes * 60 });
      if (this.record === record) {
        record.requestId = ack.requestId;
        record.phase = 'acked';
        record.since = this.clock();
      }
    } catch (err) {
      if (this.record === record) {
        const maybeApplied = err instanceof AnovaError && (err.code === 'TIMEOUT' || err.code === 'CLOUD_UNREACHABLE');
        if (maybeApplied) {
          record.phase = 'uncertain';
          record.since = this.clock();
        } else {
          this.record = null;
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
      thicknessAssumedMm: req.thicknessAssumed ? DEFAULT_THICKNESS_MM : null,
    };
  }

  async stop(): Promise<StopResult> {
    const snapshot = this.requireOnlineCooker();
    this.reconcileLazily(snapshot);
    const deviceActive = snapshot.state !== null && ACTIVE_MODES.has(snapshot.state.mode);
    if (!this.record && !deviceActive) {
      throw new CookError('NO_ACTIVE_COOK', 'Nothing is cooking right now, so there is nothing to stop.');
    }
    // A start still in flight is queued before this stop by the client, so the stop wins.
    await this.cooker.stopCook();
    this.record = null;
    const temp = this.cooker.selected()?.state?.currentTempC ?? null;
    return { finalTempC: temp };
  }

  /** The cooker must be known and online; otherwise the typed error says why. */
  private requireOnlineCooker(cloudDown: 'CLOUD_UNREACHABLE' | 'DEVICE_OFFLINE' = 'CLOUD_UNREACHABLE'): CookerSnapshot {
    const cloud = this.cooker.cloudStatus().state;
    if (cloud === 'auth_failed') throw new AnovaError('ANOVA_AUTH_FAILED', 'cloud rejected the token');
    if (cloud !== 'connected') throw new AnovaError(cloudDown, `cloud connection is ${cloud}`);
    const snapshot = this.cooker.selected();
    if (!snapshot || !snapshot.online) {
      throw new AnovaError('DEVICE_OFFLINE', snapshot ? 'cooker offline' : 'no cooker selected');
    }
    return snapshot;
  }

  private reconcileLazily(snapshot: CookerSnapshot): void {
    if (snapshot.state) this.follow(snapshot.state);
    // An acked start the device never showed, or an unanswered one, stops blocking after the window.
    const rec = this.record;
    if (rec && rec.phase !== 'sending' && !rec.seenOnDevice && this.clock() - rec.since > this.confirmWindowMs) {
      const idle = snapshot.state?.mode === 'idle';
      if (idle) this.record = null;
    }
  }

  /** Follows the selected cooker: confirms our cook when it shows up, forgets it once idle again. */
  private follow(state: DeviceState): void {
    const rec = this.record;
    if (!rec || rec.phase === 'sending') return;
    if (ACTIVE_MODES.has(state.mode)) {
      rec.seenOnDevice = true;
      return;
    }
    if (state.mode !== 'idle' || state.observedAt <= rec.since) return;
    // Idle after our cook ran (or after processing our start): it was stopped on the device or in the app.
    const processedOurs = rec.requestId !== null && state.processedCommandIds.includes(rec.requestId);
    if (rec.seenOnDevice || processedOurs) this.record = null;
  }
}

function busyError(record: CookRecord | null, state: DeviceState | null): CookError {
  if (record && record.phase === 'uncertain') {
    return new CookError(
      'DEVICE_BUSY',
      'The previous start was not confirmed by the cooker yet, so a second one could double-start it. Check the status in a few seconds before trying again.',
    );
  }
  const what = state?.mode === 'done' ? 'has finished a cook and is still holding temperature' : 'is already cooking';
  return new CookError('DEVICE_BUSY', `The cooker ${what}. Stop the current cook first if you want to start a new one.`);
}
