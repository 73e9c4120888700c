/**
 * The fake cloud's WebSocket endpoint: handshake and token check, the unprompted connect
 * sequence, periodic state pushes, command answers, and the fault switches that make it
 * misbehave the ways the real cloud (or the network on the way) can.
 */
import type { EventEmitter } from 'node:events';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { parseFrame, type Frame } from '../anova/protocol';
import type { Logger } from '../log';
import { readCommand, type CommandReading } from './commands';
import type { SimCooker } from './cooker';
import type { Fleet } from './fleet';
import {
  ovenListFrame,
  responseFrame,
  unknownEventFrame,
  userStateFrame,
  wifiListFrame,
  wifiVersionFrame,
} from './payloads';
import { defaultFaults } from './settings';
import type { TokenBook } from './tokens';
import type { ReceivedFrame, SimBehavior, SimFaults } from './types';

/** received() keeps at most this many frames (oldest dropped first). */
export const RECEIVED_FRAMES_KEPT = 10_000;

/** How long close() waits for a client to answer the close handshake before cutting it. */
const CLOSE_GRACE_MS = 500;

interface Connection {
  readonly id: number;
  readonly ws: WebSocket;
  /** Kept to close the socket if this token is revoked; never logged. */
  readonly token: string;
  readonly accessories: ReadonlySet<string>;
  /** Real times of recent frames, for the rate limit. */
  readonly frameTimes: number[];
  ageTimer?: NodeJS.Timeout;
}

export interface CloudServerOptions {
  host: string;
  port: number;
  pushIntervalMs: number;
  fleet: Fleet;
  tokens: TokenBook;
  events: EventEmitter;
  logger: Logger;
  behavior: SimBehavior;
  realNow?: () => number;
}

export class CloudServer {
  /** Mutable switches; the handle validates before it writes them. */
  faults: SimFaults = defaultFaults();
  behavior: SimBehavior;

  private readonly connections = new Map<number, Connection>();
  private readonly receivedFrames: ReceivedFrame[] = [];
  /** Delayed answers and delayed command effects, cleared on close/reset. */
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  /** Real time of the last push per cooker, for the slower idle cadence. */
  private readonly lastPushAt = new Map<string, number>();
  private readonly pushTimer: NodeJS.Timeout;
  private nextConnectionId = 1;
  private readonly fleet: Fleet;
  private readonly tokens: TokenBook;
  private readonly events: EventEmitter;
  private readonly logger: Logger;
  private readonly realNow: () => number;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
    opts: CloudServerOptions,
  ) {
    this.fleet = opts.fleet;
    this.tokens = opts.tokens;
    this.events = opts.events;
    this.logger = opts.logger;
    this.realNow = opts.realNow ?? Date.now;
    this.behavior = opts.behavior;
    http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    // One timer for the whole simulator: each tick pushes every plugged cooker to every client.
    this.pushTimer = setInterval(() => this.pushDue(), opts.pushIntervalMs);
  }

  static async start(opts: CloudServerOptions): Promise<CloudServer> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'upgrade_required', message: 'this is a WebSocket endpoint' }));
    });
    // autoPong off: pongs are sent by hand so "ignore pings" and blackhole can withhold them.
    const wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: 64 * 1024 });
    await listen(http, opts.host, opts.port);
    const { port } = http.address() as AddressInfo;
    return new CloudServer(http, wss, `ws://${hostForUrl(opts.host)}:${port}`, opts);
  }

  // ---- inspection

  received(): ReceivedFrame[] {
    return [...this.receivedFrames];
  }

  connectionCount(): number {
    return this.connections.size;
  }

  clearReceived(): void {
    this.receivedFrames.length = 0;
  }

  // ---- pushes

  /** One state push for every plugged cooker to every client, now. */
  pushNow(): void {
    for (const cooker of this.fleet.all()) if (cooker.plugged) this.broadcastState(cooker);
  }

  /** A schema C cooker's goodbye: one online:false state to every client. */
  broadcast(frame: Frame): void {
    for (const conn of this.connections.values()) this.send(conn, frame);
  }

  /** Pushes the state of one cooker to every client, if it is plugged. */
  pushCooker(cookerId: string): void {
    const cooker = this.fleet.get(cookerId);
    if (cooker.plugged) this.broadcastState(cooker);
  }

  // ---- faults

  dropConnections(how: 'close' | 'abort'): void {
    for (const conn of this.connections.values()) {
      if (how === 'abort') conn.ws.terminate();
      else conn.ws.close(1001, 'server going away');
    }
  }

  /** Closes the sockets opened with a token that has just been revoked. */
  closeSocketsOf(token: string): void {
    for (const conn of this.connections.values()) {
      if (conn.token === token) conn.ws.close(1008, 'token revoked');
    }
  }

  /** Back to the start-up switches; open sockets stay open. */
  reset(behavior: SimBehavior): void {
    this.faults = defaultFaults();
    this.behavior = behavior;
    this.clearPending();
    this.lastPushAt.clear();
    this.clearReceived();
  }

  async close(): Promise<void> {
    clearInterval(this.pushTimer);
    this.clearPending();
    await Promise.all([...this.connections.values()].map((c) => closeGracefully(c.ws)));
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- handshake

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.logger.debug('simulator: socket error during handshake', { error: err.message }));
    if (this.faults.refuseConnections) {
      this.refuseHandshake(socket, 503, 'refusing connections (simulated outage)');
      return;
    }
    // The token sits in the query string (§1.1). Never log req.url: it holds the token.
    const query = new URL(req.url ?? '/', 'http://simulator').searchParams;
    const token = query.get('token');
    const accessories = new Set((query.get('supportedAccessories') ?? '').split(',').map((a) => a.trim()));
    const verdict = this.tokens.check(token, this.behavior.tokenRejection);
    if (!verdict.accepted && verdict.how === 'http401') {
      this.refuseHandshake(socket, 401, verdict.reason);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!verdict.accepted) {
        ws.close(1008, 'Unauthorized');
        this.logger.info('simulator: connection closed with 1008', { reason: verdict.reason });
        this.events.emit('rejected', verdict.reason);
        return;
      }
      this.onConnection(ws, token as string, accessories);
    });
  }

  private refuseHandshake(socket: Duplex, status: 401 | 503, reason: string): void {
    const body = JSON.stringify({ error: STATUS_CODES[status] });
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    this.logger.info(`simulator: handshake refused with ${status}`, { reason });
    this.events.emit('rejected', reason);
  }

  // ---- connection life

  private onConnection(ws: WebSocket, token: string, accessories: Set<string>): void {
    const conn: Connection = { id: this.nextConnectionId++, ws, token, accessories, frameTimes: [] };
    this.connections.set(conn.id, conn);
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('ping', (data) => this.onPing(conn, data));
    ws.on('error', (err) =>
      this.logger.debug('simulator: socket error', { connectionId: conn.id, error: err.message }),
    );
    ws.on('close', (code) => {
      clearTimeout(conn.ageTimer);
      this.connections.delete(conn.id);
      this.logger.info('simulator: client disconnected', { connectionId: conn.id, code });
      this.events.emit('disconnect', conn.id);
    });
    const maxAge = this.behavior.maxConnectionAgeMs;
    if (maxAge !== null) conn.ageTimer = setTimeout(() => ws.close(1001, 'connection time limit'), maxAge);
    this.logger.info('simulator: client connected', { connectionId: conn.id, accessories: [...accessories].join(',') });
    this.events.emit('connection', conn.id);
    for (const frame of this.connectSequence(conn)) this.send(conn, frame);
  }

  /** List, user, version, then one state per cooker (§2.4), bent by the connect quirks. */
  private connectSequence(conn: Connection): Frame[] {
    const cookers = this.fleet.all();
    const quirks = this.faults.connectQuirks;
    const states = cookers.flatMap((c) => {
      const frame = c.plugged ? this.fleet.stateOf(c) : this.fleet.staleStateOf(c.cookerId);
      return frame ? [frame] : [];
    });
    const list = wifiListFrame(cookers);
    return [
      ...(quirks.stateBeforeList ? states : []),
      list,
      ...(quirks.unknownEvent ? [unknownEventFrame()] : []),
      ...(conn.accessories.has('APO') ? [ovenListFrame()] : []),
      userStateFrame(),
      wifiVersionFrame(cookers),
      ...(quirks.stateBeforeList ? [] : states),
      ...(quirks.duplicateList ? [list] : []),
    ];
  }

  private onPing(conn: Connection, data: Buffer): void {
    this.events.emit('ping', conn.id);
    if (this.faults.blackhole || !this.faults.answerPings) return;
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.pong(data);
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    const frame = isBinary ? null : parseFrame(rawText(data));
    if (!frame) {
      this.logger.debug('simulator: ignored a frame that is not a JSON command', { connectionId: conn.id });
      return;
    }
    if (!this.faults.blackhole) {
      const exceeded = this.exceededRateLimit(conn);
      if (exceeded) {
        this.logger.info('simulator: rate limit exceeded, closing', { connectionId: conn.id });
        conn.ws.close(exceeded.closeCode, 'rate limit exceeded');
      } else {
        this.handleCommand(conn, frame);
      }
    }
    // Recorded after handling, so a test awaiting 'command' already sees the effect.
    const received: ReceivedFrame = { at: this.realNow(), connectionId: conn.id, frame };
    this.receivedFrames.push(received);
    if (this.receivedFrames.length > RECEIVED_FRAMES_KEPT) this.receivedFrames.shift();
    this.events.emit('frame', received);
    if (frame.command.startsWith('CMD_')) this.events.emit('command', received);
  }

  /** Counts this frame; returns the limit when the socket has now gone over it. */
  private exceededRateLimit(conn: Connection): SimBehavior['rateLimit'] {
    const limit = this.behavior.rateLimit;
    if (!limit) return null;
    const now = this.realNow();
    conn.frameTimes.push(now);
    while (conn.frameTimes.length > 0 && conn.frameTimes[0] <= now - limit.windowMs) conn.frameTimes.shift();
    return conn.frameTimes.length > limit.maxCommands ? limit : null;
  }

  // ---- commands

  private handleCommand(conn: Connection, frame: Frame): void {
    const reading = readCommand(frame, (id) => this.fleet.typeOf(id));
    const outcome = this.decide(reading);
    this.logger.info('simulator: command', {
      connectionId: conn.id,
      command: frame.command,
      outcome: outcome.log,
    });
    if (outcome.apply && reading.kind === 'action') this.applyLater(reading, frame.requestId);
    if (outcome.answer !== 'none') this.answer(conn, frame.requestId, outcome.answer);
  }

  /** What the cloud does with a command: whether the device applies it, and the answer. */
  private decide(reading: CommandReading): { apply: boolean; answer: 'ok' | 'error' | 'none'; log: string } {
    const b = this.behavior;
    if (reading.kind === 'unknown-command') {
      return { apply: false, answer: b.unknownCommands === 'error' ? 'error' : 'none', log: 'unknown command' };
    }
    if (reading.kind === 'unknown-cooker') return { apply: false, answer: 'error', log: 'unknown cooker' };
    if (!this.fleet.get(reading.cookerId).plugged) {
      return { apply: false, answer: b.offlineCommands === 'error' ? 'error' : 'none', log: 'cooker unplugged' };
    }
    if (this.faults.commandAnswer.mode === 'error') return { apply: false, answer: 'error', log: 'error fault' };
    if (reading.kind === 'ignored') {
      return { apply: false, answer: b.wrongFields === 'reject' ? 'error' : 'ok', log: `ignored: ${reading.reason}` };
    }
    if (reading.unofficial && b.unofficialCommands !== 'apply') {
      const reject = b.unofficialCommands === 'reject';
      return { apply: false, answer: reject ? 'error' : 'ok', log: `unofficial command ${b.unofficialCommands}` };
    }
    return { apply: true, answer: 'ok', log: 'applied' };
  }

  /** The device applies the command (after applyDelayMs), and its new state goes out at once. */
  private applyLater(reading: Extract<CommandReading, { kind: 'action' }>, requestId: string | undefined): void {
    const apply = () => {
      const cooker = this.fleet.apply(reading.cookerId, reading.action, requestId);
      if (cooker?.plugged) this.broadcastState(cooker);
    };
    this.later(this.behavior.applyDelayMs, apply);
  }

  /** RESPONSE with the command's requestId, unless answers are silenced (the device still acts). */
  private answer(conn: Connection, requestId: string | undefined, status: 'ok' | 'error'): void {
    const mode = this.faults.commandAnswer;
    if (mode.mode === 'silent') return;
    const payload = status === 'ok' ? { status: 'ok' } : (mode.mode === 'error' && mode.payload) || { status: 'error' };
    this.later(this.faults.responseDelayMs, () => this.send(conn, responseFrame(requestId, payload)));
  }

  // ---- sending

  private pushDue(): void {
    if (this.connections.size === 0) return;
    const idleInterval = this.behavior.idlePushIntervalMs;
    const now = this.realNow();
    for (const cooker of this.fleet.all()) {
      if (!cooker.plugged) continue;
      const last = this.lastPushAt.get(cooker.cookerId);
      if (idleInterval !== null && cooker.mode() === 'idle' && last !== undefined && now - last < idleInterval)
        continue;
      this.broadcastState(cooker);
    }
  }

  private broadcastState(cooker: SimCooker): void {
    this.lastPushAt.set(cooker.cookerId, this.realNow());
    this.broadcast(this.fleet.stateOf(cooker));
  }

  /** Every frame to a client goes through here, so the blackhole silences all of them. */
  private send(conn: Connection, frame: Frame): void {
    if (this.faults.blackhole || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(JSON.stringify(frame));
    this.events.emit('push', { connectionId: conn.id, frame });
  }

  private later(delayMs: number, run: () => void): void {
    if (delayMs <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      run();
    }, delayMs);
    this.pendingTimers.add(timer);
  }

  private clearPending(): void {
    this.pendingTimers.forEach((t) => clearTimeout(t));
    this.pendingTimers.clear();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function closeGracefully(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    ws.close(1001, 'simulator shutting down');
  });
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** IPv6 literals need brackets in a URL. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
