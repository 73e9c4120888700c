/**
 * Delivers notifications without ever getting in the way of cooking (docs/notifications.md):
 *
 * - publish() is synchronous and cheap: it renders the notification, writes one outbox row and
 *   returns; it never throws and never waits on the network.
 * - One lane per target delivers that target's notifications in order, one request at a time.
 *   A failed attempt is retried with exponential backoff and jitter (first retry after 2-4 s,
 *   doubling to 30-60 s) for at least 10 minutes, then given up with one warn line. A 4xx other
 *   than 408/429 (or a redirect) is not retried: one warn line. 429/503 honour Retry-After
 *   (capped at 5 minutes). Every attempt times out after 10 s.
 * - The queue is bounded: when full, the oldest notification that is not critical is dropped;
 *   discard_food and cook_interrupted are never dropped.
 * - The outbox keeps what is not yet delivered; after a restart start() delivers it, with the
 *   same event id (at-least-once: the receiver deduplicates on X-Anova-Event-Id / event_id).
 * - Log lines name the target and its host, never the URL, a credential, the secret or the token.
 *
 * Events (for tests and metrics): 'queued', 'attempt', 'delivered', 'retry', 'rejected',
 * 'gave_up', 'dropped', 'settled' (every target done with a notification).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { withoutLogContext, type Logger } from '../log';
import { notificationsEnabled, type NotifyConfig } from './config';
import { ATTEMPT_TIMEOUT_MS, type AttemptOutcome, type NotifyTarget } from './http';
import { NtfyTarget } from './ntfy';
import type { Outbox } from './outbox';
import { parseRendered, renderNotification } from './render';
import {
  CRITICAL_EVENTS,
  isNotifyEventName,
  type NotificationInput,
  type NotifyEventName,
  type RenderedNotification,
  type TargetName,
} from './types';
import { WebhookTarget } from './webhook';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers, unref'd: a pending retry never keeps the process alive on its own. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RetryPolicy {
  /** Upper bound of the first retry delay; the first retry comes after half to all of it. */
  firstDelayMs: number;
  /** Longest wait between two attempts (Retry-After aside). */
  maxDelayMs: number;
  /** Keep retrying at least this long after the first attempt, then give up. */
  giveUpAfterMs: number;
  /** The most a Retry-After header can make us wait. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  firstDelayMs: 4_000,
  maxDelayMs: 60_000,
  giveUpAfterMs: 10 * 60_000,
  retryAfterCapMs: 5 * 60_000,
};

export interface NotifierOptions {
  config: NotifyConfig;
  logger: Logger;
  outbox: Outbox;
  /** Wall (or simulated) time, for createdAt and the `at` of a notification only. Default Date.now. */
  clock?: () => number;
  /**
   * Monotonic milliseconds, for the retry window: a wall clock that NTP moves forward (a Pi has
   * no RTC) or a simulated one must not end retrying early. Default performance.now.
   */
  monotonic?: () => number;
  random?: () => number;
  timers?: Timers;
  newId?: () => string;
  /** Notifications held at most (critical ones may exceed it: they are never dropped). Default 100. */
  capacity?: number;
  retry?: Partial<RetryPolicy>;
  /** Default 10 s (docs/api.md). */
  attemptTimeoutMs?: number;
  /** How long close() lets a request already on the wire finish before aborting it. Default 1 s. */
  closeGraceMs?: number;
  /** Notifications older than this when start() finds them in the outbox are dropped. Default 24 h. */
  maxAgeMs?: number;
}

interface Entry {
  n: RenderedNotification;
  /** Outbox row, or null when the write failed (kept in memory only). */
  seq: number | null;
  createdAt: number;
  pending: Set<TargetName>;
  critical: boolean;
}

const DEFAULT_CAPACITY = 100;
const DAY_MS = 24 * 60 * 60_000;

function hint(status: number): string {
  if (status >= 300 && status < 400) return 'the URL redirects: set the final URL';
  if (status === 401 || status === 403)
    return 'the receiver refused the credentials: check the token, the user and password, or the secret';
  if (status === 404 || status === 410) return 'check the URL (the topic or the webhook id)';
  if (status === 413) return 'the receiver refused the body as too large';
  return "check the receiver's configuration";
}

/** One target's in-order delivery: the head of its queue is attempted until it settles. */
class Lane {
  readonly queue: Entry[] = [];
  private timer: unknown = null;
  private inflight: { entry: Entry; controller: AbortController; done: Promise<void> } | null = null;
  /** Failed attempts of the head so far, and when its first attempt started (monotonic ms). */
  private failures = 0;
  private windowStart: number | null = null;

  constructor(
    readonly target: NotifyTarget,
    private readonly owner: Notifier,
    private readonly hooks: LaneHooks,
  ) {}

  get name(): TargetName {
    return this.target.name;
  }

  get busy(): boolean {
    return this.inflight !== null;
  }

  remove(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index < 0) return;
    this.queue.splice(index, 1);
    if (index === 0) {
      this.resetHead();
      // An attempt of it still on the wire finishes on its own; its outcome is then ignored.
      if (!this.inflight) this.kick();
    }
  }

  kick(): void {
    if (!this.hooks.running() || this.inflight || this.timer !== null) return;
    const head = this.queue[0];
    if (!head) return;
    this.windowStart ??= this.hooks.monotonic();
    const controller = new AbortController();
    this.owner.emit('attempt', {
      target: this.name,
      eventId: head.n.eventId,
      event: head.n.event,
      attempt: this.failures + 1,
    });
    // Outside the log context of whoever published (an HTTP request): the request, its promise
    // chain and the retry timers set from it would otherwise carry that request's id.
    const done = withoutLogContext(() =>
      this.target
        .send(head.n, controller.signal)
        .catch((): AttemptOutcome => ({ kind: 'retry', status: null, code: 'ERROR', retryAfterMs: null }))
        .then((outcome) => this.settle(head, outcome))
        .catch((err: unknown) => this.settleFailed(head, err)),
    );
    this.inflight = { entry: head, controller, done };
  }

  /** A throw in settle (a listener of our events): logged, never an unhandled rejection. */
  private settleFailed(entry: Entry, err: unknown): void {
    this.hooks.logger.error('notification delivery bookkeeping failed', {
      target: this.name,
      event: entry.n.event,
      event_id: entry.n.eventId,
      error: err instanceof Error ? err : String(err),
    });
    // The lane goes on when the entry was done with; a head still unsettled waits for the next
    // kick (a publish or a restart) rather than being re-sent in a tight loop.
    if (this.queue[0] !== entry) this.kick();
  }

  private settle(entry: Entry, outcome: AttemptOutcome): void {
    this.inflight = null;
    if (outcome.kind === 'aborted') return; // shutdown: it stays in the outbox
    if (this.queue[0] !== entry) {
      // Dropped while on the wire.
      this.kick();
      return;
    }
    const attempts = this.failures + 1;
    const log = {
      target: this.name,
      host: this.target.host,
      event: entry.n.event,
      event_id: entry.n.eventId,
      attempts,
    };
    switch (outcome.kind) {
      case 'delivered':
        this.hooks.logger.info('notification delivered', { ...log, status: outcome.status });
        this.finish(entry, 'delivered', { status: outcome.status, attempts });
        return;
      case 'rejected':
        this.hooks.logger.warn('notification rejected by the receiver; not retried', {
          ...log,
          status: outcome.status,
          hint: hint(outcome.status),
        });
        this.finish(entry, 'rejected', { status: outcome.status, attempts });
        return;
      case 'retry': {
        this.failures = attempts;
        const last = outcome.status ?? outcome.code;
        const now = this.hooks.monotonic();
        const elapsed = now - (this.windowStart ?? now);
        if (elapsed >= this.hooks.retry.giveUpAfterMs) {
          this.hooks.logger.warn('notification given up after retrying', {
            ...log,
            minutes: Math.round(elapsed / 60_000),
            last,
          });
          this.finish(entry, 'gave_up', { attempts, last });
          return;
        }
        let delayMs = this.hooks.backoff(this.failures);
        if (outcome.retryAfterMs !== null) {
          delayMs = Math.max(delayMs, Math.min(outcome.retryAfterMs, this.hooks.retry.retryAfterCapMs));
        }
        this.hooks.logger.debug('notification attempt failed; retrying', { ...log, last, retry_in_ms: delayMs });
        if (this.hooks.running()) {
          this.timer = this.hooks.timers.setTimeout(() => {
            this.timer = null;
            this.kick();
          }, delayMs);
        }
        // After the timer is set, so a listener sees the state the retry left.
        this.owner.emit('retry', {
          target: this.name,
          eventId: entry.n.eventId,
          event: entry.n.event,
          attempt: attempts,
          status: outcome.status,
          code: outcome.code,
          delayMs,
        });
        return;
      }
    }
  }

  private finish(entry: Entry, how: 'delivered' | 'rejected' | 'gave_up', info: Record<string, unknown>): void {
    this.queue.shift();
    this.resetHead();
    const all = this.hooks.settled(entry, this.name);
    this.owner.emit(how, { target: this.name, eventId: entry.n.eventId, event: entry.n.event, ...info });
    if (all) this.owner.emit('settled', { eventId: entry.n.eventId, event: entry.n.event });
    this.kick();
  }

  private resetHead(): void {
    if (this.timer !== null) this.hooks.timers.clearTimeout(this.timer);
    this.timer = null;
    this.failures = 0;
    this.windowStart = null;
  }

  /** Stops the retry timer; lets a request on the wire finish within `graceMs`, then aborts it. */
  async stop(graceMs: number): Promise<void> {
    if (this.timer !== null) this.hooks.timers.clearTimeout(this.timer);
    this.timer = null;
    const inflight = this.inflight;
    if (!inflight) return;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([inflight.done, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
    clearTimeout(grace);
    inflight.controller.abort();
    await inflight.done;
  }
}

interface LaneHooks {
  running(): boolean;
  /** Monotonic ms: the retry window. */
  monotonic(): number;
  timers: Timers;
  logger: Logger;
  retry: RetryPolicy;
  backoff(failures: number): number;
  /** Records that `target` is done with `entry`; true when every target is. */
  settled(entry: Entry, target: TargetName): boolean;
}

export class Notifier extends EventEmitter {
  private readonly config: NotifyConfig;
  private readonly logger: Logger;
  private readonly outbox: Outbox;
  private readonly clock: () => number;
  private readonly monotonic: () => number;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly newId: () => string;
  private readonly capacity: number;
  private readonly retry: RetryPolicy;
  private readonly closeGraceMs: number;
  private readonly maxAgeMs: number;
  private readonly events: ReadonlySet<NotifyEventName>;
  private readonly lanes: Lane[] = [];
  private entries: Entry[] = [];
  private started = false;
  private closed = false;
  private closing: Promise<void> | null = null;
  private outboxWarned = false;
  private dropWarned = false;

  constructor(opts: NotifierOptions) {
    super();
    this.config = opts.config;
    this.logger = opts.logger;
    this.outbox = opts.outbox;
    this.clock = opts.clock ?? Date.now;
    this.monotonic = opts.monotonic ?? (() => performance.now());
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? realTimers;
    this.newId = opts.newId ?? randomUUID;
    this.capacity = Math.max(1, opts.capacity ?? DEFAULT_CAPACITY);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.closeGraceMs = opts.closeGraceMs ?? 1_000;
    this.maxAgeMs = opts.maxAgeMs ?? DAY_MS;
    this.events = new Set(opts.config.events);
    const timeout = opts.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
    const hooks: LaneHooks = {
      running: () => this.started && !this.closed,
      monotonic: this.monotonic,
      timers: this.timers,
      logger: this.logger,
      retry: this.retry,
      backoff: (failures) => this.backoff(failures),
      settled: (entry, target) => this.settled(entry, target),
    };
    if (opts.config.webhook) this.lanes.push(new Lane(new WebhookTarget(opts.config.webhook, timeout), this, hooks));
    if (opts.config.ntfy) this.lanes.push(new Lane(new NtfyTarget(opts.config.ntfy, timeout), this, hooks));
  }

  /** True when a target is configured (otherwise publish() does nothing at all). */
  get enabled(): boolean {
    return notificationsEnabled(this.config);
  }

  /** Notifications held now, per target how many wait for it, and requests on the wire. */
  queued(): { total: number; byTarget: Partial<Record<TargetName, number>>; inFlight: number } {
    const byTarget: Partial<Record<TargetName, number>> = {};
    for (const lane of this.lanes) byTarget[lane.name] = lane.queue.length;
    return { total: this.entries.length, byTarget, inFlight: this.lanes.filter((l) => l.busy).length };
  }

  /**
   * Queues a notification for every target. Synchronous (one outbox insert), never throws, never
   * waits on the network. Before start() it is held (and persisted); after close() it is only
   * persisted, for the next start.
   */
  publish(input: NotificationInput): void {
    try {
      if (this.lanes.length === 0 || !input || !isNotifyEventName(input.event) || !this.events.has(input.event)) return;
      const createdAt = this.clock();
      const n = renderNotification({ ...input, at: Number.isFinite(input.at) ? input.at : createdAt }, this.newId());
      const targets = this.lanes.map((l) => l.name);
      const seq = this.persistNew(n, createdAt, targets);
      this.emit('queued', { eventId: n.eventId, event: n.event });
      if (this.closed) return;
      const entry: Entry = { n, seq, createdAt, pending: new Set(targets), critical: CRITICAL_EVENTS.has(n.event) };
      this.entries.push(entry);
      for (const lane of this.lanes) lane.queue.push(entry);
      this.enforceCapacity();
      for (const lane of this.lanes) lane.kick();
    } catch (err) {
      this.logger.warn('notification not queued', { event: String(input?.event), error: (err as Error)?.name });
    }
  }

  /** Starts delivery, first of what the outbox holds from before a restart. Once. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.lanes.length === 0) return;
    try {
      this.loadOutbox();
    } catch (err) {
      this.logger.warn('notification outbox could not be read; earlier notifications are not resent', {
        error: (err as Error)?.name,
      });
    }
    for (const lane of this.lanes) lane.kick();
  }

  /**
   * Stops promptly: no new attempt, retry timers cleared, a request on the wire gets
   * `closeGraceMs` to finish and is then aborted. Whatever is not delivered stays in the outbox.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await Promise.all(this.lanes.map((lane) => lane.stop(this.closeGraceMs)));
      // An entry whose outbox write failed lives only in memory: it is lost now, whatever the outbox is.
      const lost = this.entries.filter((e) => e.seq === null).length;
      const kept = this.entries.length - lost;
      if (this.entries.length > 0) {
        const meta = { count: kept, durable: this.outbox.durable, memory_only: lost };
        if (lost > 0) this.logger.warn('notifications left for the next start; those only in memory are lost', meta);
        else this.logger.info('notifications left for the next start', meta);
      }
    })();
    return this.closing;
  }

  /** Delay before retry number `failures` (1, 2...): equal jitter over min(max, first * 2^(n-1)). */
  private backoff(failures: number): number {
    const { firstDelayMs, maxDelayMs } = this.retry;
    const base = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(30, failures - 1));
    const r = Math.min(1, Math.max(0, this.random()));
    return Math.round(base / 2 + (r * base) / 2);
  }

  private loadOutbox(): void {
    const known = new Set(this.entries.map((e) => e.seq).filter((s) => s !== null));
    const configured = new Set(this.lanes.map((l) => l.name));
    const now = this.clock();
    const loaded: Entry[] = [];
    let stale = 0;
    for (const record of this.outbox.load()) {
      if (known.has(record.seq)) continue;
      const n = parseRendered(record.body);
      const targets = record.targets.filter((t) => configured.has(t));
      if (!n || targets.length === 0 || now - record.createdAt > this.maxAgeMs) {
        if (n && targets.length > 0) stale++;
        this.persist(record.seq, []);
        continue;
      }
      if (targets.length < record.targets.length) this.persist(record.seq, targets);
      loaded.push({
        n,
        seq: record.seq,
        createdAt: record.createdAt,
        pending: new Set(targets),
        critical: CRITICAL_EVENTS.has(n.event),
      });
    }
    if (stale > 0) this.logger.warn('notifications older than a day dropped at start', { count: stale });
    if (loaded.length === 0) return;
    this.logger.info('delivering notifications from before the restart', { count: loaded.length });
    this.entries = [...loaded, ...this.entries];
    for (const lane of this.lanes) {
      lane.queue.splice(0, lane.queue.length, ...this.entries.filter((e) => e.pending.has(lane.name)));
    }
    this.enforceCapacity();
  }

  private enforceCapacity(): void {
    while (this.entries.length > this.capacity) {
      const victim = this.entries.find((e) => !e.critical);
      if (!victim) return; // only critical ones: they stay
      this.entries.splice(this.entries.indexOf(victim), 1);
      for (const lane of this.lanes) lane.remove(victim);
      this.persist(victim.seq, []);
      const meta = { event: victim.n.event, event_id: victim.n.eventId, capacity: this.capacity };
      if (this.dropWarned) this.logger.debug('notification queue full; dropped the oldest non-critical one', meta);
      else this.logger.warn('notification queue full; dropped the oldest non-critical one', meta);
      this.dropWarned = true;
      this.emit('dropped', { eventId: victim.n.eventId, event: victim.n.event });
    }
  }

  /** A target is done with an entry (delivered, rejected or given up). */
  private settled(entry: Entry, target: TargetName): boolean {
    entry.pending.delete(target);
    this.persist(entry.seq, [...entry.pending]);
    if (entry.pending.size > 0) return false;
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
    if (this.entries.length < this.capacity) this.dropWarned = false;
    return true;
  }

  private persistNew(n: RenderedNotification, createdAt: number, targets: TargetName[]): number | null {
    try {
      return this.outbox.add({ eventId: n.eventId, event: n.event, createdAt, targets, body: n.body });
    } catch (err) {
      this.outboxFailed(err);
      return null;
    }
  }

  private persist(seq: number | null, targets: TargetName[]): void {
    if (seq === null) return;
    try {
      this.outbox.update(seq, targets);
    } catch (err) {
      this.outboxFailed(err);
    }
  }

  private outboxFailed(err: unknown): void {
    const meta = { error: (err as Error)?.name, code: (err as { code?: unknown })?.code };
    if (this.outboxWarned) {
      this.logger.debug('notification outbox write failed', meta);
      return;
    }
    this.outboxWarned = true;
    this.logger.warn('notification outbox write failed; notifications are kept in memory until delivered', meta);
  }
}
