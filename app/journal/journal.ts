/**
 * The cook journal: every cook, its events and its temperature samples, in SQLite. The only
 * code that writes the cook tables.
 *
 * SD-card wear drives the write pattern: a sample is kept once a minute (and at every change of
 * state), samples are batched and committed every few minutes, and events (rare, and what a
 * restart needs) are committed at once together with any samples waiting. Nothing is written
 * while no cook runs. A failed write (a full card) keeps the batch in memory, bounded, and is
 * retried with the next one; /health says "degraded" until a write succeeds again.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  CookEvent,
  CookJournalPort,
  CookSample,
  EndReason,
  NewCook,
  StoredCook,
  StoredCookDetail,
} from '../cooking/journal-port';
import type { Logger } from '../log';
import { AppError } from '../errors';
import { describe, errcode } from './database';

const SQLITE_CONSTRAINT = 19;

/** One kept sample a minute is enough for a cook's curve and for rebuilding the monitor. */
export const SAMPLE_INTERVAL_MS = 60_000;
/** Samples wait this long in memory before a commit (they are lost on a crash: a restart counts that time as unseen). */
export const FLUSH_INTERVAL_MS = 10 * 60_000;
/** A full card must not grow the heap without bound: the oldest waiting samples go first (events never). */
const MAX_PENDING_WRITES = 2_000;
/** GET /cooks/{cook_id} returns at most this many samples (docs/api.md). */
export const MAX_SAMPLES_RETURNED = 500;
const DAY_MS = 86_400_000;

/** The journal cannot be read: the edge answers 503 JOURNAL_UNAVAILABLE. */
export class JournalUnavailableError extends AppError<'JOURNAL_UNAVAILABLE'> {
  override readonly name = 'JournalUnavailableError';
  constructor() {
    super(
      'JOURNAL_UNAVAILABLE',
      'The cook history cannot be read right now (the server keeps cooking without it). Check the server logs and its storage.',
    );
  }
}

export interface CookPage {
  cooks: StoredCook[];
  /** cook_id to pass as `before` for the next page, or null on the last page. */
  next: string | null;
}

export interface JournalOptions {
  /** null: degraded from the start (the database could not be opened). */
  db: DatabaseSync | null;
  logger: Logger;
  clock?: () => number;
  /** JOURNAL_RETENTION_DAYS: cooks that ended longer ago than this are deleted (default 365). */
  retentionDays?: number;
  flushIntervalMs?: number;
}

/** A write waiting for the next commit, kept in call order (a cook row before its events). */
type PendingWrite =
  | { kind: 'cook'; cook: NewCook }
  | { kind: 'event'; cookId: string; event: CookEvent }
  | { kind: 'sample'; cookId: string; sample: CookSample }
  | { kind: 'estimate'; cookId: string; at: number | null }
  | { kind: 'end'; cookId: string; reason: EndReason; at: number }
  | { kind: 'purge'; before: number };

interface CookRow {
  id: number;
  cook_id: string;
  cooker_id: string;
  started_at: number;
  ended_at: number | null;
  end_reason: string;
  target_celsius: number;
  time_minutes: number;
  food_type: string | null;
  thickness_mm: number;
  thickness_assumed: number;
  categories: string;
  governing_rule: string | null;
  warnings: string;
  request: string;
  estimated_completion_at: number | null;
  pasteurised: number | null;
  alerts_seen: string;
}

interface SampleRow {
  at: number;
  state: CookSample['state'];
  water_celsius: number | null;
  target_celsius: number | null;
  core_celsius: number | null;
}

export class CookJournal implements CookJournalPort {
  private readonly db: DatabaseSync | null;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly retentionMs: number;
  private readonly flushIntervalMs: number;
  private readonly sql: Statements | null;

  private pending: PendingWrite[] = [];
  /** Last sample kept per cook, for downsampling. */
  private readonly lastKept = new Map<string, CookSample>();
  private flushTimer: NodeJS.Timeout | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private writeFailing = false;
  private readFailing = false;
  private closed = false;

  constructor(opts: JournalOptions) {
    this.db = opts.db;
    this.logger = opts.logger;
    this.clock = opts.clock ?? Date.now;
    this.retentionMs = (opts.retentionDays ?? 365) * DAY_MS;
    this.flushIntervalMs = opts.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    this.sql = this.db ? prepare(this.db) : null;
    if (this.db) {
      this.purgeOld();
      this.retentionTimer = setInterval(() => this.purgeOld(), DAY_MS).unref();
    }
  }

  health(): 'ok' | 'degraded' {
    return this.db && !this.writeFailing ? 'ok' : 'degraded';
  }

  // ------------------------------------------------------------------------------- writes

  recordStart(cook: NewCook): void {
    this.commit({ kind: 'cook', cook });
  }

  recordEvent(cookId: string, event: CookEvent): void {
    this.commit({ kind: 'event', cookId, event });
  }

  offerSample(cookId: string, sample: CookSample): void {
    if (!this.db || this.closed) return;
    const last = this.lastKept.get(cookId);
    const keep =
      !last ||
      sample.state !== last.state ||
      sample.targetC !== last.targetC ||
      sample.at - last.at >= SAMPLE_INTERVAL_MS;
    if (!keep) return;
    this.lastKept.set(cookId, sample);
    this.enqueue({ kind: 'sample', cookId, sample });
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.flushIntervalMs).unref();
  }

  recordEstimate(cookId: string, estimatedCompletionAt: number | null): void {
    this.commit({ kind: 'estimate', cookId, at: estimatedCompletionAt });
  }

  recordEnd(cookId: string, reason: EndReason, at: number): void {
    this.commit({ kind: 'end', cookId, reason, at });
    this.lastKept.delete(cookId);
  }

  /** Commits whatever waits in memory. Called by the timer, with every other write, and on shutdown. */
  flush(): void {
    if (this.pending.length > 0) this.commit();
  }

  /** Final flush, then no more writes (the database itself is closed by its owner). */
  close(): void {
    this.flush();
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.flushTimer = this.retentionTimer = null;
  }

  private enqueue(write: PendingWrite): void {
    this.pending.push(write);
    if (this.pending.length > MAX_PENDING_WRITES) {
      // A full card: lose the oldest sample (or a purge, retried tomorrow), never a cook, an event
      // or an end. With none of those waiting the queue grows: events are rare.
      const droppable = this.pending.findIndex((w) => w.kind === 'sample' || w.kind === 'purge');
      if (droppable >= 0) this.pending.splice(droppable, 1);
    }
  }

  /**
   * Everything waiting (plus `write`) in one transaction, in call order. On failure it all stays
   * waiting for the next attempt, and the journal reports degraded until one succeeds.
   */
  private commit(write?: PendingWrite): void {
    const { db, sql } = this;
    if (!db || !sql || this.closed) return;
    if (write) this.enqueue(write);
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const w of this.pending) this.applyOrDrop(sql, w);
        db.exec('COMMIT');
      } catch (err) {
        // SQLITE_FULL (or IOERR) may have rolled the transaction back already.
        if (db.isTransaction) db.exec('ROLLBACK');
        throw err;
      }
      this.pending = [];
      if (this.writeFailing) {
        this.writeFailing = false;
        this.logger.info('journal writes work again', {});
      }
    } catch (err) {
      if (!this.writeFailing) {
        this.writeFailing = true;
        this.logger.error('journal write failed: history is kept in memory and retried', { cause: describe(err) });
      }
    }
  }

  /**
   * A write the schema refuses (an event for a cook that was never recorded) would fail every
   * later batch with it: it is dropped with a line instead. Anything else (a full card) throws.
   */
  private applyOrDrop(sql: Statements, w: PendingWrite): void {
    try {
      apply(sql, w);
    } catch (err) {
      if (errcode(err) !== SQLITE_CONSTRAINT) throw err;
      this.logger.warn('journal write refused by the schema, dropped', { kind: w.kind, cause: describe(err) });
    }
  }

  private purgeOld(): void {
    this.commit({ kind: 'purge', before: this.clock() - this.retentionMs });
  }

  // ------------------------------------------------------------------------------- reads

  /** Newest first; `before` is a cook_id from a previous page. Null when `before` is unknown. */
  listCooks(limit: number, before: string | null): CookPage | null {
    return this.read((sql) => {
      let rows: CookRow[];
      if (before === null) {
        rows = sql.firstPage.all(limit + 1) as unknown as CookRow[];
      } else {
        const anchor = sql.cookByPublicId.get(before) as unknown as CookRow | undefined;
        if (!anchor) return null;
        rows = sql.pageBefore.all(anchor.started_at, anchor.started_at, anchor.id, limit + 1) as unknown as CookRow[];
      }
      const page = rows.slice(0, limit);
      return { cooks: page.map(toStoredCook), next: rows.length > limit ? page[page.length - 1].cook_id : null };
    });
  }

  /** One cook with its events and at most MAX_SAMPLES_RETURNED samples (waiting ones included). */
  getCook(cookId: string): StoredCookDetail | null {
    return this.read(() => this.detail(cookId, MAX_SAMPLES_RETURNED));
  }

  /**
   * Restart recovery: the newest cook still running, its events, and at most `maxSamples` of its
   * samples, oldest first (waiting ones added): all of them, or the first and the last half of a
   * cook that holds more. A cooker that never came back leaves months of offline samples behind.
   */
  unfinishedCookForRecovery(maxSamples: number): StoredCookDetail | null {
    return this.forRecovery((sql) => sql.unfinished.get(), maxSamples);
  }

  /**
   * Restart recovery of a lingering cook: the newest cook of all, running or ended, read as
   * unfinishedCookForRecovery reads one.
   */
  newestCookForRecovery(maxSamples: number): StoredCookDetail | null {
    return this.forRecovery((sql) => sql.firstPage.get(1), maxSamples);
  }

  private forRecovery(pick: (sql: Statements) => unknown, maxSamples: number): StoredCookDetail | null {
    if (!this.sql) return null;
    try {
      const row = pick(this.sql) as CookRow | undefined;
      if (!row) return null;
      const head = Math.ceil(maxSamples / 2);
      const rows = this.sql.samplesHeadAndTail.all(row.id, head, row.id, maxSamples - head) as unknown as SampleRow[];
      const samples: CookSample[] = rows.map((s) => ({
        at: s.at,
        state: s.state,
        waterC: s.water_celsius,
        targetC: s.target_celsius,
        coreC: s.core_celsius,
      }));
      const events: CookEvent[] = (
        this.sql.eventsOf.all(row.id) as Array<{ at: number; type: string; detail: string }>
      ).map((e) => ({ at: e.at, type: e.type as CookEvent['type'], detail: JSON.parse(e.detail) }));
      for (const w of this.pending) {
        if (w.kind === 'event' && w.cookId === row.cook_id) events.push(w.event);
        if (w.kind === 'sample' && w.cookId === row.cook_id) samples.push(w.sample);
      }
      return { ...toStoredCook(row), events, samples };
    } catch (err) {
      this.logger.error('journal read failed: the last cook cannot be recovered', { cause: describe(err) });
      return null;
    }
  }

  /** A cook, its events, and its samples: all of them, or at most `maxSamples` picked evenly. */
  private detail(cookId: string, maxSamples = Infinity): StoredCookDetail | null {
    const sql = this.readable();
    const row = sql.cookByPublicId.get(cookId) as unknown as CookRow | undefined;
    if (!row) return null;
    const events: CookEvent[] = (sql.eventsOf.all(row.id) as Array<{ at: number; type: string; detail: string }>).map(
      (e) => ({ at: e.at, type: e.type as CookEvent['type'], detail: JSON.parse(e.detail) }),
    );
    const waiting: CookSample[] = [];
    for (const w of this.pending) {
      if (w.kind === 'event' && w.cookId === cookId) events.push(w.event);
      if (w.kind === 'sample' && w.cookId === cookId) waiting.push(w.sample);
    }
    // A 72-hour cook holds thousands of samples: keep the chosen ones while reading, not all.
    const onDisk = (sql.countSamples.get(row.id) as { n: number }).n;
    const keep = evenIndices(onDisk + waiting.length, maxSamples);
    const samples: CookSample[] = [];
    let index = 0;
    for (const s of sql.samplesOf.iterate(row.id) as Iterable<SampleRow>) {
      if (keep(index++)) {
        samples.push({
          at: s.at,
          state: s.state,
          waterC: s.water_celsius,
          targetC: s.target_celsius,
          coreC: s.core_celsius,
        });
      }
    }
    for (const sample of waiting) if (keep(index++)) samples.push(sample);
    return { ...toStoredCook(row), events, samples };
  }

  private readable(): Statements {
    if (!this.sql) throw new JournalUnavailableError();
    return this.sql;
  }

  /**
   * A read for the API: any failure (an I/O error, a page corrupted since the start, a row that
   * is not valid JSON) is JournalUnavailableError, so the edge answers 503, not 500. The cause is
   * logged once per run of failures, like a failing write.
   */
  private read<T>(work: (sql: Statements) => T): T {
    const sql = this.readable();
    let result: T;
    try {
      result = work(sql);
    } catch (err) {
      if (!this.readFailing) {
        this.readFailing = true;
        this.logger.error('journal read failed', { cause: describe(err) });
      }
      throw new JournalUnavailableError();
    }
    if (this.readFailing) {
      this.readFailing = false;
      this.logger.info('journal reads work again', {});
    }
    return result;
  }
}

type Statements = ReturnType<typeof prepare>;

function apply(sql: Statements, w: PendingWrite): void {
  switch (w.kind) {
    case 'cook': {
      const c = w.cook;
      sql.insertCook.run({
        $cook_id: c.cookId,
        $cooker_id: c.cookerId,
        $started_at: c.startedAt,
        $target: c.targetC,
        $time: c.timeMinutes,
        $food: c.foodType,
        $thickness: c.thicknessMm,
        $assumed: c.thicknessAssumed ? 1 : 0,
        $categories: JSON.stringify(c.categories),
        $rule: c.governingRule,
        $warnings: JSON.stringify(c.warnings),
        $request: JSON.stringify(c.request),
        $eta: c.estimatedCompletionAt,
        $pasteurised: c.pasteurised === null ? null : c.pasteurised ? 1 : 0,
      });
      return;
    }
    case 'event': {
      const { cookId, event } = w;
      sql.insertEvent.run(cookId, event.at, cookId, event.at, event.type, JSON.stringify(event.detail));
      if (event.type === 'alert_raised') sql.noteAlert.run(cookId);
      if (event.type === 'pasteurised') sql.setPasteurised.run(event.detail.pasteurised === false ? 0 : 1, cookId);
      return;
    }
    case 'sample': {
      const s = w.sample;
      sql.insertSample.run(w.cookId, s.at, s.state, s.waterC, s.targetC, s.coreC);
      return;
    }
    case 'estimate':
      sql.setEstimate.run(w.at, w.cookId);
      return;
    case 'end':
      sql.endCook.run(w.at, w.reason, w.cookId);
      return;
    case 'purge':
      sql.purge.run(w.before);
      return;
  }
}

function toStoredCook(row: CookRow): StoredCook {
  return {
    cookId: row.cook_id,
    cookerId: row.cooker_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endReason: row.end_reason as StoredCook['endReason'],
    targetC: row.target_celsius,
    timeMinutes: row.time_minutes,
    foodType: row.food_type,
    thicknessMm: row.thickness_mm,
    thicknessAssumed: row.thickness_assumed === 1,
    categories: JSON.parse(row.categories),
    governingRule: row.governing_rule,
    warnings: JSON.parse(row.warnings),
    request: JSON.parse(row.request),
    estimatedCompletionAt: row.estimated_completion_at,
    pasteurised: row.pasteurised === null ? null : row.pasteurised === 1,
    alertsSeen: JSON.parse(row.alerts_seen),
  };
}

/** At most `max` points, evenly spread, always keeping the first and the last. */
export function downsampleEvenly<T>(points: readonly T[], max: number): T[] {
  const keep = evenIndices(points.length, max);
  return points.filter((_, i) => keep(i));
}

/**
 * Which of `total` points, read in order, to keep so that at most `max` remain, evenly spread,
 * the first and the last always among them. Asked once per index, in increasing order.
 */
export function evenIndices(total: number, max: number): (index: number) => boolean {
  if (total <= max) return () => true;
  const step = (total - 1) / (max - 1);
  let next = 0; // the position of the next point to keep
  return (index) => {
    if (next >= max || index !== Math.round(next * step)) return false;
    next++;
    return true;
  };
}

/** Every statement, prepared once. Cooks are addressed by their public id; the rest joins on the row id. */
function prepare(db: DatabaseSync) {
  const cookPk = '(SELECT id FROM cooks WHERE cook_id = ?)';
  const s = (text: string): StatementSync => db.prepare(text);
  return {
    insertCook: s(`
      INSERT INTO cooks (cook_id, cooker_id, started_at, target_celsius, time_minutes, food_type, thickness_mm,
        thickness_assumed, categories, governing_rule, warnings, request, estimated_completion_at, pasteurised)
      VALUES ($cook_id, $cooker_id, $started_at, $target, $time, $food, $thickness, $assumed, $categories, $rule,
        $warnings, $request, $eta, $pasteurised)`),
    insertSample: s(`INSERT OR REPLACE INTO samples (cook, at, state, water_celsius, target_celsius, core_celsius)
      VALUES (${cookPk}, ?, ?, ?, ?, ?)`),
    insertEvent: s(`INSERT INTO events (cook, at, seq, type, detail) VALUES (${cookPk}, ?,
      (SELECT count(*) FROM events WHERE cook = ${cookPk} AND at = ?), ?, ?)`),
    noteAlert: s(`UPDATE cooks SET alerts_seen = (SELECT json_group_array(alert) FROM
      (SELECT DISTINCT json_extract(detail, '$.alert') AS alert FROM events WHERE cook = cooks.id AND type = 'alert_raised'))
      WHERE cook_id = ?`),
    setPasteurised: s(`UPDATE cooks SET pasteurised = ? WHERE cook_id = ?`),
    setEstimate: s(`UPDATE cooks SET estimated_completion_at = ? WHERE cook_id = ?`),
    endCook: s(`UPDATE cooks SET ended_at = ?, end_reason = ? WHERE cook_id = ? AND end_reason = 'running'`),
    // Counted from the end: a long cook that just ended is kept the whole retention; a running one always.
    purge: s(`DELETE FROM cooks WHERE end_reason <> 'running' AND COALESCE(ended_at, started_at) < ?`),
    cookByPublicId: s(`SELECT * FROM cooks WHERE cook_id = ?`),
    firstPage: s(`SELECT * FROM cooks ORDER BY started_at DESC, id DESC LIMIT ?`),
    pageBefore: s(`SELECT * FROM cooks WHERE started_at < ? OR (started_at = ? AND id < ?)
      ORDER BY started_at DESC, id DESC LIMIT ?`),
    unfinished: s(`SELECT * FROM cooks WHERE end_reason = 'running' ORDER BY started_at DESC, id DESC LIMIT 1`),
    eventsOf: s(`SELECT at, type, detail FROM events WHERE cook = ? ORDER BY at, seq`),
    countSamples: s(`SELECT count(*) AS n FROM samples WHERE cook = ?`),
    samplesOf: s(
      `SELECT at, state, water_celsius, target_celsius, core_celsius FROM samples WHERE cook = ? ORDER BY at`,
    ),
    // The first ? and the last ? samples of a cook (the same rows once when they overlap), in order.
    samplesHeadAndTail: s(`SELECT * FROM (
        SELECT * FROM (SELECT at, state, water_celsius, target_celsius, core_celsius FROM samples WHERE cook = ?
          ORDER BY at LIMIT ?)
        UNION
        SELECT * FROM (SELECT at, state, water_celsius, target_celsius, core_celsius FROM samples WHERE cook = ?
          ORDER BY at DESC LIMIT ?)
      ) ORDER BY at`),
  };
}
