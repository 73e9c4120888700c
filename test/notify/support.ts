/**
 * Shared by the notification tests: a real HTTP receiver on loopback, virtual timers for the
 * retry schedule (the network stays real), an SQLite outbox file in a temp dir, and a sample
 * /status body.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../app/journal/database';
import { MIGRATIONS } from '../../app/journal/migrations';
import { silentLogger } from '../../app/log';
import { loadNotifyConfig } from '../../app/config';
import type { NotifyConfig } from '../../app/notify/config';
import type { Notifier, Timers } from '../../app/notify/notifier';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw bytes as received. */
  body: Buffer;
}

/**
 * 'hang': never answers. 'stall-body': sends 200 and its headers and the start of a body, then
 * never the rest.
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'stall-body';
export type Responder = (req: ReceivedRequest, index: number) => Answer;

export interface Receiver {
  readonly requests: ReceivedRequest[];
  /**
   * 'request' with each ReceivedRequest as it is complete; 'dropped' with it when the client
   * closed the connection before the answer was complete (an abort, or a body it did not read).
   */
  readonly events: EventEmitter;
  readonly port: number;
  url(path: string, credentials?: string): string;
  respond(responder: Responder): void;
  /** Stops listening and drops every connection: the next connect is refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(responder: Responder = () => ({ status: 200 })): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const events = new EventEmitter();
  const sockets = new Set<Socket>();
  let respond = responder;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(r);
      const answer = respond(r, requests.length - 1);
      res.on('close', () => {
        if (!res.writableFinished) events.emit('dropped', r);
      });
      events.emit('request', r);
      if (answer === 'hang') return;
      if (answer === 'stall-body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write('{"ok":true,"padding":"');
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const down = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    requests,
    events,
    port,
    url: (path, credentials) => `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}${path}`,
    respond: (r) => {
      respond = r;
    },
    down,
    up: async () => {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    close: down,
  };
}

/**
 * Timers on a virtual clock: nothing fires until the test calls fireNext(), which moves the
 * clock to the earliest due timer and runs it. The notifier gets `clock` and these timers.
 */
export class ManualTimers implements Timers {
  now: number;
  private id = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 11, 5, 18, 0, 0)) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.id;
    this.due.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  get size(): number {
    return this.due.size;
  }

  /** The delay until the earliest timer, or null when none is set. */
  nextDelay(): number | null {
    let min: number | null = null;
    for (const { at } of this.due.values()) min = min === null ? at : Math.min(min, at);
    return min === null ? null : min - this.now;
  }

  fireNext(): boolean {
    let next: [number, { at: number; fn: () => void }] | null = null;
    for (const entry of this.due) if (!next || entry[1].at < next[1].at) next = entry;
    if (!next) return false;
    this.due.delete(next[0]);
    this.now = Math.max(this.now, next[1].at);
    next[1].fn();
    return true;
  }
}

/** Resolves with the name and payload of the first of `names` that `emitter` emits. */
export function nextEvent(
  emitter: EventEmitter,
  names: string[],
  timeoutMs = 15_000,
): Promise<{ name: string; value: any }> {
  return new Promise((resolve, reject) => {
    const listeners = new Map<string, (value: unknown) => void>();
    const off = () => {
      clearTimeout(timer);
      for (const [n, l] of listeners) emitter.off(n, l);
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${names.join(' | ')}`));
    }, timeoutMs);
    for (const name of names) {
      const l = (value: unknown) => {
        off();
        resolve({ name, value });
      };
      listeners.set(name, l);
      emitter.on(name, l);
    }
  });
}

/** Collects every payload of `name` from now on. */
export function collect<T = any>(emitter: EventEmitter, name: string): T[] {
  const out: T[] = [];
  emitter.on(name, (v: T) => out.push(v));
  return out;
}

/**
 * Runs the virtual clock: whenever no attempt is on the wire and a retry timer is set, fires
 * the earliest one (after `beforeFire`, which may bring a receiver up), until `done()` holds.
 * Waits only on the notifier's events, never on time.
 */
export async function drive(
  notifier: Notifier,
  timers: ManualTimers,
  done: () => boolean,
  beforeFire: () => Promise<void> | void = () => undefined,
): Promise<void> {
  while (!done()) {
    if (notifier.queued().inFlight === 0 && timers.size > 0) {
      await beforeFire();
      timers.fireNext();
      continue;
    }
    await nextEvent(notifier, ['attempt', 'retry', 'delivered', 'rejected', 'gave_up', 'settled', 'dropped']);
  }
}

/** A fresh SQLite file with the schema up to the outbox (migration 2), as the journal opens it. */
export function tempDatabase(): { path: string; open(): DatabaseSync; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'anova-notify-'));
  const path = join(dir, 'journal.sqlite');
  const db = openMigrated(path);
  db.close();
  return { path, open: () => openMigrated(path), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The database with the schema up to the outbox (migration 2), as the server would have it. */
function openMigrated(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  migrate(db, MIGRATIONS.slice(0, 2), silentLogger);
  return db;
}

export function outboxRows(db: DatabaseSync): Array<{ seq: number; event_id: string; event: string; targets: string }> {
  return db.prepare('SELECT seq, event_id, event, targets FROM notification_outbox ORDER BY seq').all() as never;
}

export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';
export const NTFY_TOKEN = 'tk_testtoken0123456789abcdef';

export function configFor(env: Record<string, string>): NotifyConfig {
  return loadNotifyConfig(env);
}

export const COOK_ID = '6f1c1c2e-1f0a-4d3b-9a57-2f4d0f7f9a11';

/** A /status body (docs/api.md) during a chicken cook. */
export function sampleStatus(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    device_online: true,
    state: 'cooking',
    current_temp_celsius: 63,
    target_temp_celsius: 63,
    time_remaining_minutes: 75,
    time_elapsed_minutes: 15,
    is_running: true,
    current_temp_fahrenheit: 145.4,
    target_temp_fahrenheit: 145.4,
    cook_id: COOK_ID,
    food_type: 'chicken breast',
    estimated_completion: '2026-12-05T19:30:00.000Z',
    alerts: [],
    device_name: 'Anova Precision Cooker 3.0',
    last_update_seconds_ago: 2,
    food_safety: {
      category: 'poultry',
      pasteurises: true,
      pasteurised: false,
      log_reduction: 2.1,
      target_log_reduction: 7,
      core_temp_celsius: 58.3,
      pasteurised_at: null,
      estimated_pasteurised_at: '2026-12-05T19:05:00.000Z',
      danger_zone_minutes: 34,
      message: 'Not pasteurised yet; at the current water temperature it will be by 19:05.',
    },
    ...over,
  };
}

/** Decodes an RFC 2047 encoded word (=?UTF-8?B?...?=) as ntfy does; other values as they are. */
export function decodeHeader(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value.join(',') : (value ?? '');
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(v);
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : v;
}
