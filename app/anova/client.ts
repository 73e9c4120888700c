/**
 * The connection to Anova's cloud (docs/anova-protocol.md §1.1, §2, §4, §5): one WebSocket per
 * client, kept alive with pings and a silence watchdog, reconnected with jittered backoff,
 * device discovery and selection, state cache, and command correlation.
 *
 * Habits of the real cloud it is built to survive: frames in any order or garbage, states for
 * cookers not listed yet, stale offline replays at connect, unplugged cookers that simply go
 * silent, half-open sockets, outages, and revoked tokens.
 *
 * The token only ever lives in the connection URL handed to `ws`; logs get redactUrl(), and
 * every error text from the socket is scrubbed before it is logged.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from '../log';
import { Backoff } from './backoff';
import { CommandQueue, type CommandTarget } from './commands';
import { CookerDirectory, type CookerRecord, type SelectionChange } from './directory';
import {
  CookerError,
  type CloudConnectionState,
  type CloudStatus,
  type CommandAck,
  type CookerPort,
  type CookerSnapshot,
  type DeviceInfo,
  type DeviceState,
  type StartCommand,
} from '../cooking/cooker';
import {
  COMMAND,
  DEFAULT_ANOVA_WS_URL,
  EVENT,
  type Frame,
  connectionUrl,
  parseFrame,
  redactUrl,
  setUnitFrame,
  startFrame,
  stopFrame,
} from './protocol';
import type { Selection } from './selection';
import { parseApcState } from './state';

export interface AnovaClientOptions {
  /** ANOVA_WS_URL; default wss://devices.anovaculinary.io. */
  url?: string;
  /** The Personal Access Token. Never logged. */
  token: string;
  /** ANOVA_DEVICE_ID: the cooker to drive when the account has several. */
  deviceId?: string;
  /** A cooker with no state for this long is offline (default 120 s). */
  offlineAfterMs?: number;
  /** WebSocket ping cadence; ~3 intervals without any frame or pong recycles the socket (default 30 s). */
  pingIntervalMs?: number;
  /** Total wait for a command, from the call, queued time included (default 10 s). */
  commandTimeoutMs?: number;
  /** Give up on an opening handshake after this long (default 15 s). */
  connectTimeoutMs?: number;
  backoff?: {
    /** First reconnect delay (default 1 s). */
    initialMs?: number;
    /** Largest reconnect delay (default 60 s). */
    maxMs?: number;
    /** A connection that stays up this long resets the backoff (default 60 s). */
    healthyAfterMs?: number;
  };
  /** Retry cadence while the cloud rejects the token (default 60 s). */
  authRetryMs?: number;
  logger: Logger;
  /** Epoch ms; default Date.now. */
  clock?: () => number;
  /** requestId generator; default crypto.randomUUID. */
  newId?: () => string;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
}

/** Events (all synchronous, emitted after the client's own state was updated). */
export type AnovaClientEvents = {
  /** Any change of cloudStatus(). */
  status: [CloudStatus];
  /** The device list changed. */
  devices: [DeviceInfo[]];
  /** A parsed EVENT_APC_STATE of any cooker. */
  state: [DeviceState];
  /** The selected cooker changed (null: none). */
  selected: [DeviceInfo | null];
  /** The selected cooker went online or offline while the cloud was connected. */
  online: [boolean, DeviceInfo];
};

/** Frames and pongs missing for this many consecutive ping ticks mean a dead (half-open) socket. */
const DEAD_AFTER_SILENT_TICKS = 3;
/** How long close() waits for the server's close frame before cutting the TCP connection. */
const CLOSE_GRACE_MS = 1000;
/** State frames are a few KB; refuse anything absurd instead of buffering it on a Pi. */
const MAX_FRAME_BYTES = 1024 * 1024;

interface Settings {
  url: string;
  token: string;
  deviceId: string | undefined;
  offlineAfterMs: number;
  pingIntervalMs: number;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  healthyAfterMs: number;
  authRetryMs: number;
}

/** One socket and what we learnt about it before it closed. */
interface Connection {
  ws: WebSocket;
  /** Clock time of 'open', null while the handshake runs. */
  openedAt: number | null;
  /** Why it failed, recorded by the error/handshake/watchdog paths before 'close' arrives. */
  failure: string | null;
  authRejected: boolean;
  /** A frame arrived: the cloud accepted the token (pongs do not count: they prove no more than TCP). */
  heardFrom: boolean;
  trafficSinceTick: boolean;
  silentTicks: number;
  detach: () => void;
}

export class AnovaClient extends EventEmitter<AnovaClientEvents> implements CookerPort {
  private readonly settings: Settings;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly backoff: Backoff;
  private readonly commands: CommandQueue;
  /** The token as it may appear inside URLs and error texts, for scrubbing. */
  private readonly secretForms: string[];

  private status: CloudStatus;
  private started = false;
  private closed = false;
  private closing: Promise<void> = Promise.resolve();
  private conn: Connection | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private healthyTimer: NodeJS.Timeout | null = null;

  private readonly directory: CookerDirectory;
  /** Last online/offline reported for the selected cooker. */
  private reportedOnline: { cookerId: string; online: boolean } | null = null;
  private readonly loggedOnce = new Set<string>();

  constructor(opts: AnovaClientOptions) {
    super();
    const url = opts.url ?? DEFAULT_ANOVA_WS_URL;
    assertWebSocketUrl(url);
    if (typeof opts.token !== 'string' || opts.token === '') throw new TypeError('an Anova token is required');
    this.settings = {
      url,
      token: opts.token,
      deviceId: opts.deviceId || undefined,
      offlineAfterMs: durationMs('offlineAfterMs', opts.offlineAfterMs, 120_000),
      pingIntervalMs: durationMs('pingIntervalMs', opts.pingIntervalMs, 30_000),
      commandTimeoutMs: durationMs('commandTimeoutMs', opts.commandTimeoutMs, 10_000),
      connectTimeoutMs: durationMs('connectTimeoutMs', opts.connectTimeoutMs, 15_000),
      healthyAfterMs: durationMs('backoff.healthyAfterMs', opts.backoff?.healthyAfterMs, 60_000),
      authRetryMs: durationMs('authRetryMs', opts.authRetryMs, 60_000),
    };
    this.directory = new CookerDirectory(this.settings.deviceId);
    this.logger = opts.logger;
    this.clock = opts.clock ?? Date.now;
    this.backoff = new Backoff(
      {
        initialMs: durationMs('backoff.initialMs', opts.backoff?.initialMs, 1000),
        maxMs: durationMs('backoff.maxMs', opts.backoff?.maxMs, 60_000),
      },
      opts.random,
    );
    this.commands = new CommandQueue({
      transport: { send: (frame, onWriteFailed) => this.sendFrame(frame, onWriteFailed) },
      newId: opts.newId ?? randomUUID,
      timeoutMs: this.settings.commandTimeoutMs,
      logger: this.logger,
    });
    const formEncoded = new URLSearchParams({ t: opts.token }).toString().slice(2);
    this.secretForms = [...new Set([opts.token, encodeURIComponent(opts.token), formEncoded])];
    this.status = { state: 'connecting', attempt: 0, since: this.clock() };
  }

  // ---------------------------------------------------------------- CookerPort

  cloudStatus(): CloudStatus {
    return { ...this.status };
  }

  devices(): DeviceInfo[] {
    return this.directory.devices();
  }

  selected(): CookerSnapshot | null {
    const info = this.directory.selection().cooker;
    return info ? this.snapshotOf(info) : null;
  }

  /** Any cooker on the account (e.g. for listing them all), or null when unknown. */
  snapshot(cookerId: string): CookerSnapshot | null {
    const info = this.directory.info(cookerId);
    return info ? this.snapshotOf(info) : null;
  }

  startCook(cmd: StartCommand): Promise<CommandAck> {
    if (!Number.isFinite(cmd.targetTempC) || !Number.isInteger(cmd.timerSeconds) || cmd.timerSeconds < 0) {
      return Promise.reject(new RangeError('startCook needs a finite °C target and whole, non-negative seconds'));
    }
    return this.command(COMMAND.start, (target, requestId) =>
      startFrame(requestId, { ...target, targetTemperature: cmd.targetTempC, unit: 'C', timer: cmd.timerSeconds }),
    );
  }

  stopCook(): Promise<CommandAck> {
    return this.command(COMMAND.stop, (target, requestId) => stopFrame(requestId, { ...target }));
  }

  setTemperatureUnit(unit: 'C' | 'F'): Promise<CommandAck> {
    if (unit !== 'C' && unit !== 'F') return Promise.reject(new RangeError('unit must be "C" or "F"'));
    return this.command(COMMAND.setUnit, (target, requestId) => setUnitFrame(requestId, { ...target, unit }));
  }

  onState(listener: (state: DeviceState) => void): () => void {
    this.on('state', listener); // publish() isolates a listener that throws
    return () => {
      this.off('state', listener);
    };
  }

  onOnlineChange(listener: (online: boolean) => void): () => void {
    const relay = (online: boolean) => listener(online);
    this.on('online', relay);
    return () => {
      this.off('online', relay);
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Connects (and keeps reconnecting until close()). Returns at once; watch 'status' or whenReady(). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
  }

  /**
   * Resolves once the cloud is connected and the selected cooker has sent a state on this
   * connection (online or not: see the snapshot). Rejects TIMEOUT after `timeoutMs`, or
   * CLOUD_UNREACHABLE if the client is closed meanwhile.
   */
  whenReady(timeoutMs: number): Promise<CookerSnapshot> {
    return new Promise((resolve, reject) => {
      const ready = (): CookerSnapshot | null => {
        const snap = this.selected();
        return snap && this.isCurrent(this.directory.record(snap.info.cookerId)) ? snap : null;
      };
      if (this.closed) return reject(new CookerError('CLOUD_UNREACHABLE', 'the Anova client was closed'));
      const initial = ready();
      if (initial) return resolve(initial);
      const check = () => {
        if (this.closed) {
          finish();
          reject(new CookerError('CLOUD_UNREACHABLE', 'the Anova client was closed'));
          return;
        }
        const snap = ready();
        if (snap) {
          finish();
          resolve(snap);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new CookerError('TIMEOUT', `no cooker state from the Anova cloud within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.off('state', check);
        this.off('selected', check);
        this.off('status', check);
      };
      this.on('state', check);
      this.on('selected', check);
      this.on('status', check);
    });
  }

  /**
   * Shuts down for good: rejects every pending command (CLOUD_UNREACHABLE), clears every timer,
   * closes the socket (cleanly if possible, cut after a short grace) and never reconnects.
   */
  close(): Promise<void> {
    if (this.closed) return this.closing;
    this.closed = true;
    this.clearConnectionTimers();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.commands.failAll(new CookerError('CLOUD_UNREACHABLE', 'the Anova client was shut down'));
    const conn = this.conn;
    this.conn = null;
    this.setStatus('closed', this.status.attempt);
    this.logger.info('anova client closed');
    this.closing = conn ? shutDownSocket(conn) : Promise.resolve();
    return this.closing;
  }

  // ---------------------------------------------------------------- connection

  private connect(): void {
    this.reconnectTimer = null;
    if (this.closed || this.conn) return;
    const url = redactUrl(this.settings.url);
    const quiet = this.status.attempt > 0; // 'anova reconnecting' already said it
    this.logger[quiet ? 'debug' : 'info']('anova connecting', { url, attempt: this.status.attempt });

    let ws: WebSocket;
    try {
      ws = new WebSocket(connectionUrl(this.settings.url, this.settings.token), {
        handshakeTimeout: this.settings.connectTimeoutMs,
        maxPayload: MAX_FRAME_BYTES,
      });
    } catch (err) {
      this.logger.error('anova connect failed', this.errorFields(err));
      this.scheduleReconnect('could not open a socket', false);
      return;
    }

    const conn: Connection = {
      ws,
      openedAt: null,
      failure: null,
      authRejected: false,
      heardFrom: false,
      trafficSinceTick: false,
      silentTicks: 0,
      detach: () => undefined,
    };
    const onOpen = () => this.onOpen(conn);
    const onMessage = (data: WebSocket.RawData) => this.onMessage(conn, data);
    const onPong = () => {
      conn.trafficSinceTick = true;
    };
    const onUnexpectedResponse = (_req: unknown, res: { statusCode?: number; resume(): void }) =>
      this.onHandshakeRejected(conn, res);
    const onError = (err: Error) => this.onSocketError(conn, err);
    const onClose = (code: number, reason: Buffer) => this.onClose(conn, code, reason);
    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('unexpected-response', onUnexpectedResponse);
    ws.on('error', onError);
    ws.on('close', onClose);
    conn.detach = () => {
      ws.off('open', onOpen);
      ws.off('message', onMessage);
      ws.off('pong', onPong);
      ws.off('unexpected-response', onUnexpectedResponse);
      ws.off('error', onError);
      ws.off('close', onClose);
      // A detached socket may still report an error while it dies; an unheard 'error' would crash.
      ws.on('error', () => undefined);
    };
    this.conn = conn;
  }

  /**
   * The handshake is done, but the cloud may still refuse the token by closing at once (1008),
   * so the socket counts as connected only when the first frame arrives (onFirstFrame). The
   * watchdog runs from now, so a socket that never speaks is recycled too.
   */
  private onOpen(conn: Connection): void {
    if (conn !== this.conn) return;
    conn.openedAt = this.clock();
    conn.trafficSinceTick = true;
    this.logger.debug('anova socket open', { attempt: this.status.attempt });
    this.clearConnectionTimers();
    this.pingTimer = setInterval(() => this.onPingTick(conn), this.settings.pingIntervalMs);
  }

  private onFirstFrame(): void {
    const recovered = this.status.state === 'auth_failed';
    this.setStatus('connected', this.status.attempt);
    this.logger.info('anova connected', {
      url: redactUrl(this.settings.url),
      attempt: this.status.attempt,
      ...(recovered ? { recoveredFrom: 'auth_failed' } : {}),
    });
    this.healthyTimer = setTimeout(() => {
      this.healthyTimer = null;
      this.backoff.reset();
      if (this.status.attempt !== 0) this.setStatus('connected', 0);
    }, this.settings.healthyAfterMs);
  }

  /** Pings, and recycles a socket that stayed silent for several intervals (NAT half-open drop). */
  private onPingTick(conn: Connection): void {
    if (conn !== this.conn) return;
    conn.silentTicks = conn.trafficSinceTick ? 0 : conn.silentTicks + 1;
    conn.trafficSinceTick = false;
    if (conn.silentTicks >= DEAD_AFTER_SILENT_TICKS) {
      conn.failure = 'no frame or pong for several ping intervals (half-open socket)';
      this.logger.warn('anova connection silent', {
        silentTicks: conn.silentTicks,
        pingIntervalMs: this.settings.pingIntervalMs,
      });
      conn.ws.terminate();
      return;
    }
    if (conn.ws.readyState === WebSocket.OPEN) {
      try {
        conn.ws.ping();
      } catch {
        // The socket is closing; its 'close' handler takes over.
      }
    }
    this.checkCookerOnline();
  }

  private onHandshakeRejected(conn: Connection, res: { statusCode?: number; resume(): void }): void {
    const status = res.statusCode ?? 0;
    conn.failure = `handshake rejected with HTTP ${status}`;
    conn.authRejected = status === 401 || status === 403;
    res.resume(); // drain the body; its text is never logged
    conn.ws.terminate();
  }

  private onSocketError(conn: Connection, err: Error): void {
    // ws follows every error with 'close', which decides what happens next.
    if (conn.failure === null) conn.failure = this.describeError(err);
    this.logger.debug('anova socket error', this.errorFields(err));
  }

  private onClose(conn: Connection, code: number, reasonText: Buffer): void {
    conn.detach();
    if (conn !== this.conn) return;
    this.conn = null;
    this.clearConnectionTimers();
    this.commands.failAll(new CookerError('CLOUD_UNREACHABLE', 'the connection to the Anova cloud was lost'));
    const serverReason = this.scrub(reasonText.toString('utf8')).slice(0, 100);
    if (conn.heardFrom) {
      this.logger.warn('anova disconnected', { code, reason: conn.failure, ...(serverReason ? { serverReason } : {}) });
    }
    if (this.closed) return;
    // 1008 (policy violation) right after the handshake is how a refused token may look. On a
    // socket that already streamed it may as well be rate limiting; the next handshake tells.
    const authFailed = conn.authRejected || (code === 1008 && !conn.heardFrom);
    this.scheduleReconnect(conn.failure ?? `closed with code ${code}`, authFailed);
  }

  private scheduleReconnect(reason: string, authFailed: boolean): void {
    const attempt = this.status.attempt + 1;
    let delayMs: number;
    if (authFailed) {
      delayMs = this.settings.authRetryMs;
      const entering = this.status.state !== 'auth_failed';
      this.setStatus('auth_failed', attempt);
      if (entering) {
        this.logger.error('anova auth failed', {
          reason,
          retryInMs: delayMs,
          hint: 'the Anova cloud rejected the token; create a new Personal Access Token in the Anova app',
        });
      } else {
        this.logger.debug('anova reconnecting', { attempt, delayMs, reason });
      }
    } else {
      delayMs = this.backoff.next();
      this.setStatus('reconnecting', attempt);
      this.logger.warn('anova reconnecting', { attempt, delayMs, reason });
    }
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private clearConnectionTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
    this.pingTimer = null;
    this.healthyTimer = null;
  }

  private setStatus(state: CloudConnectionState, attempt: number): void {
    const changed = state !== this.status.state;
    this.status = { state, attempt, since: changed ? this.clock() : this.status.since };
    this.publish('status', { ...this.status });
    if (changed) this.checkCookerOnline();
  }

  private sendFrame(frame: Frame, onWriteFailed: () => void): boolean {
    const ws = this.conn?.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.status.state !== 'connected') return false;
    ws.send(JSON.stringify(frame), (err) => {
      if (err) onWriteFailed();
    });
    return true;
  }

  // ---------------------------------------------------------------- incoming frames

  /** Never throws: a bad frame or a failing listener must not kill the reader (§5.6). */
  private onMessage(conn: Connection, data: WebSocket.RawData): void {
    conn.trafficSinceTick = true;
    if (conn !== this.conn) return;
    if (!conn.heardFrom) {
      conn.heardFrom = true;
      this.onFirstFrame();
    }
    try {
      const frame = parseFrame(rawToText(data));
      if (!frame) {
        this.logger.debug('anova ignored frame', { reason: 'not a JSON object with a command' });
        return;
      }
      this.dispatch(frame);
    } catch (err) {
      this.logger.error('anova frame handling failed', this.errorFields(err));
    }
  }

  private dispatch(frame: Frame): void {
    switch (frame.command) {
      case EVENT.wifiList:
        return this.onDeviceList(frame.payload);
      case EVENT.state:
        return this.onStateEvent(frame.payload);
      case EVENT.userState:
      case EVENT.wifiVersion:
      case EVENT.ovenList:
        return;
    }
    if (frame.command === EVENT.response || frame.command.startsWith('RESPONSE_')) {
      if (!this.commands.handleResponse(frame)) {
        this.logger.debug('anova ignored response', { reason: 'no pending command with that requestId' });
      }
      return;
    }
    const name = frame.command.slice(0, 64);
    this.logOnce(`event ${name}`, 'debug', 'anova ignored unknown event', { event: name });
  }

  private onDeviceList(payload: unknown): void {
    const update = this.directory.applyList(payload);
    if (!update) {
      this.logOnce('list shape', 'warn', 'anova ignored device list', { reason: 'payload is not an array' });
      return;
    }
    if (update.changed || update.first) {
      const devices = this.devices();
      this.logger.info('anova device list', { count: devices.length, ids: devices.map((d) => d.cookerId) });
      this.publish('devices', devices);
    }
    this.onSelection(update.selection);
  }

  private onStateEvent(payload: unknown): void {
    const receivedAt = this.clock();
    const parsed = parseApcState(payload, receivedAt);
    if (!parsed) {
      this.logger.debug('anova ignored state', { reason: 'no cooker id or state object' });
      return;
    }
    for (const value of parsed.unknownValues) {
      this.logOnce(`value ${value}`, 'warn', 'anova unknown state value', { value: value.slice(0, 200) });
    }
    const { state } = parsed;
    const update = this.directory.applyState(state, receivedAt);
    if (update.added) {
      this.logger.info('anova cooker seen before listed', { cookerId: state.cookerId, type: state.type });
      this.publish('devices', this.devices());
    }
    this.onSelection(update.selection);
    this.checkCookerOnline();
    this.publish('state', state);
  }

  // ---------------------------------------------------------------- selection and online

  /** Logs a new selection or selection problem once, and tells listeners. */
  private onSelection({ previous, next }: SelectionChange): void {
    const idChanged = previous.cooker?.cookerId !== next.cooker?.cookerId;
    if (next.cooker && idChanged) {
      const { cookerId, type, name } = next.cooker;
      this.logger.info('anova device selected', { cookerId, type, name });
    }
    if (next.problem && (idChanged || next.problem !== previous.problem)) this.logSelectionProblem(next);
    // Listeners also hear about a new name or type of the same cooker.
    if (JSON.stringify(previous.cooker) !== JSON.stringify(next.cooker)) {
      this.publish('selected', next.cooker ? { ...next.cooker } : null);
      this.checkCookerOnline();
    }
  }

  private logSelectionProblem(selection: Selection): void {
    const ids = this.devices().map((d) => d.cookerId);
    switch (selection.problem) {
      case 'configured_not_found':
        this.logger.warn('anova configured cooker not on the account', { deviceId: this.settings.deviceId, ids });
        return;
      case 'several_without_id':
        this.logger.warn('anova several cookers, using the first', {
          cookerId: selection.cooker?.cookerId,
          ids,
          hint: 'set ANOVA_DEVICE_ID to choose one',
        });
        return;
      case 'no_cookers':
        this.logger.warn('anova no cookers on the account', {});
        return;
    }
  }

  private snapshotOf(info: DeviceInfo): CookerSnapshot {
    const record = this.directory.record(info.cookerId) ?? null;
    return {
      info: { ...info },
      state: record?.state ?? null,
      online: this.isOnline(record),
      lastStateAt: record?.receivedAt ?? null,
    };
  }

  /** Online = connected, a state on this connection within offlineAfterMs, and no explicit offline flag. */
  private isOnline(record: CookerRecord | null | undefined): boolean {
    if (this.status.state !== 'connected' || !record || !this.isCurrent(record)) return false;
    if (this.clock() - record.receivedAt > this.settings.offlineAfterMs) return false;
    return record.state.reportsOnline !== false;
  }

  /** A state received on the current connection (older ones are not evidence after a reconnect). */
  private isCurrent(record: CookerRecord | undefined): boolean {
    const openedAt = this.conn?.openedAt;
    return record !== undefined && openedAt != null && record.receivedAt >= openedAt;
  }

  /**
   * Logs and emits online/offline changes of the selected cooker. Only judged while the cloud is
   * connected (a lost socket is "cloud unreachable", not "cooker offline"), and not in the
   * moments after connecting before the cooker could have reported.
   */
  private checkCookerOnline(): void {
    const snap = this.selected();
    const openedAt = this.conn?.openedAt;
    if (!snap || this.status.state !== 'connected' || openedAt == null) return;
    const hadTime = this.clock() - openedAt >= this.settings.offlineAfterMs;
    if (!snap.online && !hadTime && !this.isCurrent(this.directory.record(snap.info.cookerId))) return;
    const { cookerId } = snap.info;
    if (this.reportedOnline?.cookerId === cookerId && this.reportedOnline.online === snap.online) return;
    this.reportedOnline = { cookerId, online: snap.online };
    if (snap.online) {
      this.logger.info('anova cooker online', { cookerId });
    } else {
      const reason = snap.state?.reportsOnline === false ? 'cooker reports offline' : 'no recent state';
      this.logger.warn('anova cooker offline', { cookerId, reason, lastStateAt: snap.lastStateAt });
    }
    this.publish('online', snap.online, snap.info);
  }

  // ---------------------------------------------------------------- commands

  private command(name: string, build: (target: CommandTarget, requestId: string) => Frame): Promise<CommandAck> {
    const refusal = this.refusal();
    if (refusal) {
      this.logger.warn('anova command refused', { command: name, code: refusal.code });
      return Promise.reject(refusal);
    }
    const { cookerId, type } = this.directory.selection().cooker as DeviceInfo;
    const target = { cookerId, type };
    return this.commands.submit(name, target, (requestId) => build(target, requestId));
  }

  /** Why a command cannot be sent right now, or null. */
  private refusal(): CookerError | null {
    switch (this.status.state) {
      case 'connected':
        break;
      case 'auth_failed':
        return new CookerError('ANOVA_AUTH_FAILED', 'the Anova cloud rejected the token');
      case 'closed':
        return new CookerError('CLOUD_UNREACHABLE', 'the Anova client was shut down');
      default:
        return new CookerError('CLOUD_UNREACHABLE', 'no connection to the Anova cloud right now (reconnecting)');
    }
    const snap = this.selected();
    if (!snap) {
      const configured = this.directory.selection().problem === 'configured_not_found';
      return new CookerError(
        'DEVICE_OFFLINE',
        configured ? 'the configured cooker is not on the Anova account' : 'no cooker found on the Anova account',
      );
    }
    if (!snap.online) return new CookerError('DEVICE_OFFLINE', 'the cooker is offline');
    return null;
  }

  // ---------------------------------------------------------------- helpers

  /** Like emit(), but one failing listener neither reaches the socket reader nor starves the others. */
  private publish<K extends keyof AnovaClientEvents>(event: K, ...args: AnovaClientEvents[K]): void {
    // rawListeners keeps once() wrappers, so calling them also unregisters them.
    const listeners = this.rawListeners(event) as ((...a: AnovaClientEvents[K]) => void)[];
    for (const listener of listeners) {
      try {
        listener.apply(this, args);
      } catch (err) {
        this.logger.error('anova listener failed', { event, ...this.errorFields(err) });
      }
    }
  }

  private logOnce(key: string, level: 'warn' | 'debug', message: string, meta: Record<string, unknown>): void {
    if (this.loggedOnce.has(key)) return;
    this.loggedOnce.add(key);
    this.logger[level](message, meta);
  }

  /** A short reason for logs: the error code when there is one, else the scrubbed message. */
  private describeError(err: unknown): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string') return code;
    return err instanceof Error ? this.scrub(err.message) : 'unknown error';
  }

  private errorFields(err: unknown): Record<string, unknown> {
    if (!(err instanceof Error)) return { error: 'non-Error value thrown' };
    const code = (err as NodeJS.ErrnoException).code;
    return { error: err.name, ...(typeof code === 'string' ? { code } : {}), message: this.scrub(err.message) };
  }

  /** Socket errors may quote the URL, and with it the token. */
  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secretForms) out = out.split(secret).join('[REDACTED]');
    return out.slice(0, 300);
  }
}

/** A timing option: default when absent, else a positive number of ms (a zero interval would spin). */
function durationMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}

function assertWebSocketUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('the Anova WebSocket URL is not a valid URL');
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError('the Anova WebSocket URL must start with ws:// or wss://');
  }
}

function rawToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Closes a socket politely, cutting it if the server does not answer the close in time. */
function shutDownSocket(conn: Connection): Promise<void> {
  const { ws } = conn;
  conn.detach();
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const grace = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(grace);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client shutting down');
  });
}
