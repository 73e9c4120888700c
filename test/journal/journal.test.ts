/**
 * The cook journal over a real SQLite file: what it keeps, how it pages, how it behaves when
 * the card is full, and what it survives.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CookSample, NewCook } from '../../app/cooking/journal-port';
import { openDatabase, type OpenedDatabase } from '../../app/journal/database';
import {
  CookJournal,
  downsampleEvenly,
  JournalUnavailableError,
  MAX_SAMPLES_RETURNED,
} from '../../app/journal/journal';
import { captureLogger } from '../helpers/logs';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const MIN = 60_000;

let now = T0;
let opened: OpenedDatabase;
let logs: ReturnType<typeof captureLogger>;
let journal: CookJournal;

function start(dataDir = mkdtempSync(join(tmpdir(), 'anova-journal-'))) {
  logs = captureLogger();
  opened = openDatabase({ dataDir, logger: logs.logger });
  journal = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => now, flushIntervalMs: 5 * MIN });
  return dataDir;
}

beforeEach(() => {
  now = T0;
  start();
});
afterEach(() => {
  journal.close();
  opened.close();
});

let counter = 0;
function cook(over: Partial<NewCook> = {}): NewCook {
  counter++;
  return {
    cookId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a',
    startedAt: now,
    targetC: 63,
    timeMinutes: 75,
    foodType: 'chicken breast',
    thicknessMm: 25,
    thicknessAssumed: true,
    categories: ['poultry'],
    governingRule: 'FS-5',
    warnings: [{ code: 'THICKNESS_ASSUMED', message: 'No thickness was given...' }],
    request: { temperature_celsius: 63, time_minutes: 75, food_type: 'chicken breast', thickness_mm: null },
    estimatedCompletionAt: now + 90 * MIN,
    pasteurised: false,
    ...over,
  };
}

const sample = (at: number, over: Partial<CookSample> = {}): CookSample => ({
  at,
  state: 'cooking',
  waterC: 63,
  targetC: 63,
  coreC: 50,
  ...over,
});

test('a cook, its events and its samples are recorded and read back as one history', () => {
  const c = cook();
  journal.recordStart(c);
  journal.recordEvent(c.cookId, { at: now, type: 'started', detail: { request_id: 'r1' } });
  journal.offerSample(c.cookId, sample(now, { state: 'preheating', waterC: 20 }));
  journal.recordEvent(c.cookId, { at: now + 10 * MIN, type: 'alert_raised', detail: { alert: 'low_water' } });
  journal.recordEvent(c.cookId, { at: now + 10 * MIN, type: 'alert_cleared', detail: { alert: 'low_water' } });
  journal.recordEvent(c.cookId, { at: now + 40 * MIN, type: 'pasteurised', detail: {} });
  journal.recordEnd(c.cookId, 'stopped', now + 80 * MIN);

  const detail = journal.getCook(c.cookId)!;
  expect(detail).toMatchObject({
    cookId: c.cookId,
    endReason: 'stopped',
    endedAt: now + 80 * MIN,
    pasteurised: true,
    alertsSeen: ['low_water'],
    warnings: c.warnings,
    thicknessAssumed: true,
    governingRule: 'FS-5',
  });
  expect(detail.events.map((e) => e.type)).toEqual(['started', 'alert_raised', 'alert_cleared', 'pasteurised']);
  expect(detail.samples).toEqual([sample(T0, { state: 'preheating', waterC: 20 })]);
});

test('samples are kept once a minute plus at every change of state, and wait in memory until a commit', () => {
  const c = cook();
  journal.recordStart(c);
  // A push every 2 s for 10 minutes, with one change of state in the middle.
  for (let t = 0; t <= 10 * MIN; t += 2_000) {
    journal.offerSample(c.cookId, sample(T0 + t, { state: t < 5 * MIN + 1_000 ? 'preheating' : 'cooking' }));
  }
  const kept = journal.getCook(c.cookId)!.samples;
  expect(kept.map((s) => (s.at - T0) / 1000)).toEqual([0, 60, 120, 180, 240, 300, 302, 362, 422, 482, 542]);
  // Not yet on disk: a second connection to the file sees none of them.
  expect(countSamplesOnDisk()).toBe(0);
  journal.flush();
  expect(countSamplesOnDisk()).toBe(kept.length);
});

test('an event commits the samples waiting with it', () => {
  const c = cook();
  journal.recordStart(c);
  journal.offerSample(c.cookId, sample(T0));
  journal.offerSample(c.cookId, sample(T0 + MIN));
  expect(countSamplesOnDisk()).toBe(0);
  journal.recordEvent(c.cookId, { at: T0 + MIN, type: 'temperature_reached', detail: {} });
  expect(countSamplesOnDisk()).toBe(2);
});

test('paging: newest first, `next` leads to the following page, an unknown `before` is null', () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const c = cook({ startedAt: T0 + i * MIN });
    ids.push(c.cookId);
    journal.recordStart(c);
  }
  const first = journal.listCooks(2, null)!;
  expect(first.cooks.map((c) => c.cookId)).toEqual([ids[4], ids[3]]);
  expect(first.next).toBe(ids[3]);
  const second = journal.listCooks(2, first.next)!;
  expect(second.cooks.map((c) => c.cookId)).toEqual([ids[2], ids[1]]);
  const last = journal.listCooks(2, second.next)!;
  expect(last).toEqual({ cooks: [expect.objectContaining({ cookId: ids[0] })], next: null });
  expect(journal.listCooks(2, '00000000-0000-4000-8000-999999999999')).toBeNull();
});

test('paging: cooks started in the same millisecond are ordered by when they were recorded, none skipped or repeated', () => {
  const older = cook({ startedAt: T0 - MIN });
  const same = [cook(), cook(), cook(), cook()]; // all started at T0
  const newer = cook({ startedAt: T0 + MIN });
  for (const c of [older, ...same, newer]) journal.recordStart(c);
  const seen: string[] = [];
  let page = journal.listCooks(2, null)!;
  seen.push(...page.cooks.map((c) => c.cookId));
  while (page.next) {
    page = journal.listCooks(2, page.next)!;
    seen.push(...page.cooks.map((c) => c.cookId));
  }
  const byRecordDesc = [...same].reverse().map((c) => c.cookId);
  expect(seen).toEqual([newer.cookId, ...byRecordDesc, older.cookId]);
  // A page boundary inside the tie: `before` the second of the tied cooks continues with the third.
  expect(journal.listCooks(1, byRecordDesc[1])!.cooks.map((c) => c.cookId)).toEqual([byRecordDesc[2]]);
});

test('a long cook returns at most 500 samples, evenly spread, first and last kept, waiting ones included', () => {
  const c = cook({ timeMinutes: 72 * 60 });
  journal.recordStart(c);
  for (let m = 0; m < 72 * 60; m++) {
    journal.offerSample(c.cookId, sample(T0 + m * MIN, { waterC: 63 + (m % 7) / 10 }));
    if (m % 5 === 4) journal.flush(); // what the 5-minute timer does
  }
  journal.offerSample(c.cookId, sample(T0 + 72 * 60 * MIN, { state: 'done' })); // not yet written
  const samples = journal.getCook(c.cookId)!.samples;
  expect(samples).toHaveLength(MAX_SAMPLES_RETURNED);
  expect(samples[0].at).toBe(T0);
  expect(samples[samples.length - 1]).toMatchObject({ at: T0 + 72 * 60 * MIN, state: 'done' });
});

test('downsampleEvenly keeps everything under the cap and spreads evenly above it', () => {
  expect(downsampleEvenly([1, 2, 3], 5)).toEqual([1, 2, 3]);
  expect(downsampleEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
});

test('a full card: writes fail, the journal says degraded, keeps everything in memory, and catches up once there is room', () => {
  const c = cook();
  journal.recordStart(c);
  const db = opened.db!;
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`); // SQLITE_FULL from now on, as on a full filesystem
  for (let m = 0; m < 200; m++) {
    journal.offerSample(c.cookId, sample(T0 + m * MIN, { coreC: m }));
    if (m % 20 === 0)
      journal.recordEvent(c.cookId, { at: T0 + m * MIN, type: 'alert_raised', detail: { alert: 'low_water', m } });
  }
  expect(journal.health()).toBe('degraded');
  expect(
    logs.records().filter((r) => r.message === 'journal write failed: history is kept in memory and retried'),
  ).toHaveLength(1);
  expect(journal.getCook(c.cookId)!.samples).toHaveLength(200); // still served, from memory

  db.exec('PRAGMA max_page_count = 1073741823');
  journal.flush();
  expect(journal.health()).toBe('ok');
  expect(logs.text()).toContain('journal writes work again');
  expect(countSamplesOnDisk()).toBe(200);
  expect(journal.getCook(c.cookId)!.events).toHaveLength(10);
});

test('a full card that SQLite rolls back by itself: the log line names the real cause, not a failed ROLLBACK', () => {
  const c = cook();
  journal.recordStart(c);
  const db = opened.db!;
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`);
  journal.recordEvent(c.cookId, {
    at: T0,
    type: 'alert_raised',
    detail: { alert: 'low_water', padding: 'x'.repeat(5_000) },
  });
  expect(journal.health()).toBe('degraded');
  expect(logs.records().filter((r) => r.level === 'error')).toEqual([
    expect.objectContaining({
      message: 'journal write failed: history is kept in memory and retried',
      cause: expect.stringMatching(/disk is full/),
    }),
  ]);
  expect(db.isTransaction).toBe(false); // nothing left open for the next attempt
});

test('a full card for a long time: the bound on waiting writes drops samples only, never the cook, an event or an end', () => {
  const db = opened.db!;
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`);
  const c = cook();
  journal.recordStart(c);
  journal.offerSample(c.cookId, sample(T0));
  // Far more than the bound of 2,000, and nearly nothing a sample could make room for.
  for (let i = 0; i < 3_000; i++) {
    journal.recordEvent(c.cookId, {
      at: T0 + i * 1_000,
      type: i % 2 ? 'device_online' : 'device_offline',
      detail: { i },
    });
  }
  journal.recordEnd(c.cookId, 'stopped', T0 + 3_000 * 1_000);
  expect(journal.health()).toBe('degraded');

  db.exec('PRAGMA max_page_count = 1073741823');
  journal.flush();
  expect(journal.health()).toBe('ok');
  expect(countOnDisk('events')).toBe(3_000);
  const stored = journal.getCook(c.cookId)!;
  expect(stored.endReason).toBe('stopped');
  expect(stored.events.map((e) => e.detail.i)).toEqual([...Array(3_000).keys()]);
});

test('retention is counted from the end of a cook: a long cook that just ended is kept, a running one always', () => {
  const DAY = 86_400_000;
  const longJustEnded = cook({ startedAt: T0 - 3 * DAY });
  const endedLongAgo = cook({ startedAt: T0 - 3 * DAY });
  const runningForDays = cook({ startedAt: T0 - 3 * DAY });
  for (const c of [longJustEnded, endedLongAgo, runningForDays]) journal.recordStart(c);
  journal.recordEnd(longJustEnded.cookId, 'done', T0 - 60 * MIN);
  journal.recordEnd(endedLongAgo.cookId, 'done', T0 - 2 * DAY);
  journal.close();
  const again = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => T0, retentionDays: 1 });
  expect(
    again
      .listCooks(10, null)!
      .cooks.map((c) => c.cookId)
      .sort(),
  ).toEqual([longJustEnded.cookId, runningForDays.cookId].sort());
  again.close();
});

test('retention deletes finished cooks older than the limit at start, keeps running and recent ones', () => {
  const old = cook({ startedAt: T0 - 400 * 86_400_000 });
  const oldRunning = cook({ startedAt: T0 - 400 * 86_400_000 });
  const recent = cook({ startedAt: T0 - 10 * 86_400_000 });
  for (const c of [old, oldRunning, recent]) journal.recordStart(c);
  journal.offerSample(old.cookId, sample(old.startedAt));
  journal.recordEnd(old.cookId, 'done', old.startedAt + MIN);
  journal.recordEnd(recent.cookId, 'done', recent.startedAt + MIN);
  journal.close();
  const again = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => T0, retentionDays: 365 });
  expect(
    again
      .listCooks(10, null)!
      .cooks.map((c) => c.cookId)
      .sort(),
  ).toEqual([oldRunning.cookId, recent.cookId].sort());
  expect(countSamplesOnDisk()).toBe(0); // the old cook's samples went with it
  again.close();
});

test('the newest unfinished cook comes back whole, for recovery after a restart', () => {
  const a = cook({ startedAt: T0 - 60 * MIN });
  journal.recordStart(a);
  journal.recordEnd(a.cookId, 'done', T0 - 10 * MIN);
  const b = cook();
  journal.recordStart(b);
  journal.recordEvent(b.cookId, { at: T0, type: 'started', detail: {} });
  journal.offerSample(b.cookId, sample(T0));
  journal.close();
  const after = new CookJournal({ db: opened.db, logger: logs.logger });
  expect(after.unfinishedCookForRecovery(100)).toMatchObject({
    cookId: b.cookId,
    endReason: 'running',
    events: [{ type: 'started' }],
    samples: [{ at: T0 }],
  });
  after.close();
});

test('the newest cook of all, ended or not, comes back whole too (a lingering cook after a restart)', () => {
  const a = cook({ startedAt: T0 - 120 * MIN });
  journal.recordStart(a);
  journal.recordEnd(a.cookId, 'stopped', T0 - 100 * MIN);
  const b = cook({ startedAt: T0 - 60 * MIN });
  journal.recordStart(b);
  journal.offerSample(b.cookId, sample(T0 - 50 * MIN));
  journal.recordEnd(b.cookId, 'interrupted', T0 - 10 * MIN);
  journal.recordEvent(b.cookId, { at: T0 - 10 * MIN, type: 'interrupted', detail: { end_reason: 'interrupted' } });
  journal.close();
  const after = new CookJournal({ db: opened.db, logger: logs.logger });
  expect(after.unfinishedCookForRecovery(100)).toBeNull();
  expect(after.newestCookForRecovery(100)).toMatchObject({
    cookId: b.cookId,
    endReason: 'interrupted',
    endedAt: T0 - 10 * MIN,
    events: [{ type: 'interrupted' }],
    samples: [{ at: T0 - 50 * MIN }],
  });
  after.close();
  const degraded = new CookJournal({ db: null, logger: logs.logger });
  expect(degraded.newestCookForRecovery(100)).toBeNull();
  degraded.close();
});

test('degraded from the start: writes are dropped quietly, reads throw JournalUnavailableError', () => {
  const degraded = new CookJournal({ db: null, logger: logs.logger });
  const c = cook();
  degraded.recordStart(c);
  degraded.offerSample(c.cookId, sample(T0));
  degraded.recordEvent(c.cookId, { at: T0, type: 'started', detail: {} });
  expect(degraded.health()).toBe('degraded');
  expect(() => degraded.listCooks(20, null)).toThrow(JournalUnavailableError);
  expect(() => degraded.getCook(c.cookId)).toThrow(JournalUnavailableError);
  expect(degraded.unfinishedCookForRecovery(100)).toBeNull();
  degraded.close();
});

test('a row the journal cannot decode: reads throw JournalUnavailableError (503), with the cause logged once', () => {
  const c = cook();
  journal.recordStart(c);
  const other = new DatabaseSync(opened.path);
  other.prepare('UPDATE cooks SET warnings = ? WHERE cook_id = ?').run('[{"code":', c.cookId);
  other.close();
  expect(() => journal.listCooks(20, null)).toThrow(JournalUnavailableError);
  expect(() => journal.getCook(c.cookId)).toThrow(JournalUnavailableError);
  expect(logs.records().filter((r) => r.level === 'error')).toEqual([
    expect.objectContaining({ message: 'journal read failed', cause: expect.stringMatching(/JSON/) }),
  ]);
  expect(journal.health()).toBe('ok'); // writes still work: cooking keeps its journal
  const repair = new DatabaseSync(opened.path);
  repair.prepare('UPDATE cooks SET warnings = ? WHERE cook_id = ?').run('[]', c.cookId);
  repair.close();
  expect(journal.getCook(c.cookId)).toMatchObject({ cookId: c.cookId, warnings: [] });
  expect(logs.text()).toContain('journal reads work again');
});

test('a database file corrupted while the server runs: reads throw JournalUnavailableError, not a raw SQLite error', () => {
  for (let i = 0; i < 20; i++) journal.recordStart(cook({ startedAt: T0 + i, request: { filler: 'x'.repeat(1_000) } }));
  const db = opened.db!;
  const { rootpage } = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'cooks'`).get() as {
    rootpage: number;
  };
  const { page_size: pageSize } = db.prepare('PRAGMA page_size').get() as { page_size: number };
  const path = opened.path;
  journal.close();
  opened.close(); // the last connection: the WAL is checkpointed into the file
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
  // A connection opened before the damage (no check at open), as a running server's is.
  const raw = new DatabaseSync(path);
  opened = { db: raw, health: { state: 'ok' }, path, close: () => raw.close() };
  logs = captureLogger();
  journal = new CookJournal({ db: raw, logger: logs.logger, clock: () => now });
  expect(() => journal.listCooks(20, null)).toThrow(JournalUnavailableError);
  expect(logs.records()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ message: 'journal read failed', cause: expect.stringMatching(/malformed/) }),
    ]),
  );
});

test('an event for a cook that was never recorded is dropped with a line and does not block later writes', () => {
  journal.recordEvent('00000000-0000-4000-8000-0000000000ff', { at: T0, type: 'started', detail: {} });
  const c = cook();
  journal.recordStart(c);
  expect(journal.health()).toBe('ok');
  expect(journal.getCook(c.cookId)).not.toBeNull();
  expect(logs.text()).toContain('journal write refused by the schema, dropped');
});

function countSamplesOnDisk(): number {
  return countOnDisk('samples');
}

function countOnDisk(table: 'samples' | 'events'): number {
  // A separate connection reads only what was committed.
  const reader = new DatabaseSync(opened.path, { readOnly: true });
  const n = (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  reader.close();
  return n;
}
