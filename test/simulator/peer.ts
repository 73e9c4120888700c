/**
 * A raw `ws` client used as the simulator's test peer: it records every frame and lets a test
 * await the frame it expects instead of sleeping. Deliberately not the app's own client.
 */
import { WebSocket } from 'ws';
import { EVENT, parseFrame, type Frame } from '../../app/anova/protocol';

/** A guard against hangs only: every awaited thing normally arrives in milliseconds. */
export const GUARD_MS = 5000;

export type FramePredicate = (f: Frame) => boolean;

export const isState =
  (cookerId?: string): FramePredicate =>
  (f) =>
    f.command === EVENT.state && (cookerId === undefined || stateCookerId(f) === cookerId);

export const isResponseTo =
  (requestId: string): FramePredicate =>
  (f) =>
    f.command === EVENT.response && f.requestId === requestId;

export function stateCookerId(f: Frame): string | undefined {
  return (f.payload as { cookerId?: string } | undefined)?.cookerId;
}

/** The `state` object of an EVENT_APC_STATE frame, loosely typed for assertions. */

export function stateOf(f: Frame): any {
  return (f.payload as { state: unknown }).state;
}

interface Waiter {
  from: number;
  match: FramePredicate;
  resolve: (f: Frame) => void;
}

export class Peer {
  readonly frames: Frame[] = [];
  /** Text frames that were not command objects: a simulator bug if ever non-empty. */
  readonly garbage: string[] = [];
  readonly pongs: number[] = [];
  /** Index into `frames` of each pong's arrival: pongs[i] came after frames[0..pongAt[i]). */
  readonly pongAt: number[] = [];
  private waiters: Waiter[] = [];
  private readonly closedPromise: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = parseFrame(data.toString());
      if (!frame) {
        this.garbage.push(data.toString());
        return;
      }
      this.frames.push(frame);
      const index = this.frames.length - 1;
      this.waiters = this.waiters.filter((w) => {
        if (index < w.from || !w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    ws.on('pong', () => {
      this.pongs.push(Date.now());
      this.pongAt.push(this.frames.length);
    });
    this.closedPromise = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket and resolves once it is open. */
  static async connect(url: string, token: string, accessories = 'APC'): Promise<Peer> {
    const ws = new WebSocket(
      `${url}/?token=${encodeURIComponent(token)}&supportedAccessories=${accessories}&platform=test`,
    );
    const peer = new Peer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return peer;
  }

  /** The HTTP status of a refused handshake, or 'open' when the socket opened. */
  static handshake(url: string, token: string): Promise<{ status: number | 'open'; ws: WebSocket }> {
    const ws = new WebSocket(`${url}/?token=${encodeURIComponent(token)}&supportedAccessories=APC`);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, ws });
        ws.terminate();
      });
      ws.once('open', () => resolve({ status: 'open', ws }));
      ws.once('error', reject);
    });
  }

  /** The first frame at index ≥ `from` that matches, already received or still to come. */
  frame(match: FramePredicate, from = 0, guardMs = GUARD_MS): Promise<Frame> {
    const seen = this.frames.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return withGuard(
      new Promise<Frame>((resolve) => this.waiters.push({ from, match, resolve })),
      guardMs,
      'an expected frame',
    );
  }

  /** Resolves with the first `count` matching frames at index ≥ `from`. */
  async nextFrames(count: number, match: FramePredicate, from = 0): Promise<Frame[]> {
    const found: Frame[] = [];
    let next = from;
    while (found.length < count) {
      const f = await this.frame(match, next);
      found.push(f);
      next = this.frames.indexOf(f, next) + 1;
    }
    return found;
  }

  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends a command and resolves with its RESPONSE. */
  async command(frame: Frame): Promise<Frame> {
    const from = this.frames.length;
    this.send(frame);
    return this.frame(isResponseTo(frame.requestId as string), from);
  }

  closed(): Promise<{ code: number; reason: string }> {
    return withGuard(this.closedPromise, GUARD_MS, 'the socket to close');
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closedPromise;
  }
}

export function withGuard<T>(promise: Promise<T>, guardMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${guardMs} ms waiting for ${what}`)), guardMs);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Resolves with the arguments of the next `event` on an emitter. */
export function nextEvent<T = unknown>(emitter: NodeJS.EventEmitter, event: string, guardMs = GUARD_MS): Promise<T> {
  return withGuard(new Promise<T>((resolve) => emitter.once(event, resolve)), guardMs, `the "${event}" event`);
}
