'use strict';
/**
 * Bench-only child: the cook journal alone (dist/app/journal: openDatabase and CookJournal, the
 * server's own code and settings) through a day idle and a 72-hour cook, on a fake clock with
 * fake timers, so both take seconds while the journal behaves exactly as over 75 real hours:
 * its 10-minute flush timer and its daily retention timer fire on the fake clock, and every
 * sample is offered as the cook service offers them (one per 2-s state push; the journal keeps
 * one a minute plus every change of state). Each commit is written back before the next
 * (./sync-after-commit.js), as 10 real minutes apart would be, so write_bytes counts what an SD
 * card would receive, WAL checkpoints included.
 *
 * It measures the journal's memory (RSS and anonymous RSS before node:sqlite is loaded, after
 * the database is open, after the cook, after reading it back as GET /cooks/{id} does) and the
 * bytes written. Prints one JSON object on stdout.
 *
 *   node --expose-gc [flags] bench/lib/journal-replay.js <data dir> <cook hours> <idle hours> [control]
 */
const fs = require('node:fs');
const path = require('node:path');

const [dataDir, cookHoursArg, idleHoursArg, mode] = process.argv.slice(2);
/** 'control': the same replay with the journal degraded (no database): what the harness itself costs. */
const CONTROL = mode === 'control';
const COOK_HOURS = Number(cookHoursArg ?? 72);
const IDLE_HOURS = Number(idleHoursArg ?? 24);
const DIST = path.join(__dirname, '..', '..', 'dist', 'app');
const PUSH_MS = 2_000;
const HOUR = 3_600_000;

// ------------------------------------------------------------------ fake clock and timers
let now = Date.UTC(2026, 0, 1, 12);
const timers = [];
const schedule = (fn, ms, args, interval) => {
  const t = {
    at: now + Math.max(1, ms),
    fn,
    args,
    interval,
    cancelled: false,
    unref: () => t,
    ref: () => t,
    hasRef: () => false,
    refresh: () => ((t.at = now + Math.max(1, ms)), t),
  };
  timers.push(t);
  return t;
};
globalThis.setTimeout = (fn, ms = 0, ...args) => schedule(fn, ms, args, null);
globalThis.setInterval = (fn, ms = 0, ...args) => schedule(fn, ms, args, Math.max(1, ms));
globalThis.clearTimeout = globalThis.clearInterval = (t) => {
  if (t) t.cancelled = true;
};
/** Moves the fake clock to `target`, running every timer due on the way, in time order. */
function advanceTo(target) {
  for (;;) {
    let next = null;
    for (const t of timers) if (!t.cancelled && t.at <= target && (!next || t.at < next.at)) next = t;
    if (!next) break;
    now = next.at;
    if (next.interval) next.at += next.interval;
    else next.cancelled = true;
    next.fn(...next.args);
    for (let i = timers.length - 1; i >= 0; i--) if (timers[i].cancelled) timers.splice(i, 1);
  }
  now = target;
}
const clock = () => now;

// ------------------------------------------------------------------ measuring
const kb = (text, key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
function memory() {
  globalThis.gc();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const m = process.memoryUsage();
  return {
    rss: kb(status, 'VmRSS'),
    rssAnon: kb(status, 'RssAnon'),
    rssFile: kb(status, 'RssFile'),
    heapUsed: m.heapUsed,
    external: m.external,
  };
}
const writeBytes = () => Number(/^write_bytes: (\d+)/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))[1]);

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function main() {
  const mem = { start: memory() };
  const { installSyncAfterCommit } = require('./sync-after-commit'); // loads node:sqlite
  const counters = installSyncAfterCommit(dataDir);
  mem.sqliteLoaded = memory();
  const { openDatabase } = require(path.join(DIST, 'journal', 'database.js'));
  const { CookJournal } = require(path.join(DIST, 'journal', 'journal.js'));
  const database = CONTROL ? { db: null, close: () => undefined } : openDatabase({ dataDir, logger: silent, clock });
  if (!CONTROL && !database.db) throw new Error(`the journal database could not be opened in ${dataDir}`);
  const journal = new CookJournal({ db: database.db, logger: silent, clock });
  mem.opened = memory();

  // A day with no cook: nothing but the daily retention purge may write.
  const idle0 = { bytes: writeBytes(), commits: counters.commits, checkpoints: counters.checkpoints };
  advanceTo(now + IDLE_HOURS * HOUR);
  const idle = {
    hours: IDLE_HOURS,
    bytes: writeBytes() - idle0.bytes,
    commits: counters.commits - idle0.commits,
    checkpoints: counters.checkpoints - idle0.checkpoints,
  };

  // The cook: preheat 15 min, cook COOK_HOURS, the timer runs out, then a stop.
  const cookId = 'bench-cook-0001';
  const startedAt = now;
  const cook0 = { bytes: writeBytes(), commits: counters.commits, checkpoints: counters.checkpoints };
  journal.recordStart({
    cookId,
    cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a',
    startedAt,
    targetC: 57,
    timeMinutes: COOK_HOURS * 60,
    foodType: 'beef short ribs',
    thicknessMm: 50,
    thicknessAssumed: false,
    categories: ['red_meat'],
    governingRule: null,
    warnings: [],
    request: { temperature_celsius: 57, time_minutes: COOK_HOURS * 60, food_type: 'beef short ribs', thickness_mm: 50 },
    estimatedCompletionAt: startedAt + (15 + COOK_HOURS * 60) * 60_000,
    pasteurised: false,
  });
  journal.recordEvent(cookId, { at: now, type: 'started', detail: { request_id: 'req-1' } });
  const preheatEnd = startedAt + 15 * 60_000;
  const timerEnd = preheatEnd + COOK_HOURS * HOUR;
  let reached = false;
  let pasteurised = false;
  let offers = 0;
  while (now < timerEnd + 10 * 60_000) {
    advanceTo(now + PUSH_MS);
    const preheating = now < preheatEnd;
    const state = preheating ? 'preheating' : now < timerEnd ? 'cooking' : 'done';
    const water = preheating ? 20 + (37 * (now - startedAt)) / (preheatEnd - startedAt) : 57 + ((offers % 7) - 3) / 20;
    const core = preheating ? 5 : 57 - 52 * Math.exp(-(now - preheatEnd) / (45 * 60_000));
    if (!preheating && !reached) {
      reached = true;
      journal.recordEvent(cookId, {
        at: now,
        type: 'temperature_reached',
        detail: { target_celsius: 57, water_celsius: 56.8 },
      });
    }
    if (!pasteurised && now - preheatEnd > 4 * HOUR) {
      pasteurised = true;
      journal.recordEvent(cookId, { at: now, type: 'pasteurised', detail: { pasteurised: true, core_celsius: 56.9 } });
    }
    if (state === 'done' && now - timerEnd < PUSH_MS)
      journal.recordEvent(cookId, { at: now, type: 'done', detail: {} });
    journal.offerSample(cookId, {
      at: now,
      state,
      waterC: Math.round(water * 10) / 10,
      targetC: 57,
      coreC: Math.round(core * 10) / 10,
    });
    offers++;
  }
  journal.recordEnd(cookId, 'stopped', now);
  journal.recordEvent(cookId, { at: now, type: 'stopped', detail: { end_reason: 'stopped' } });
  const cookHours = (now - startedAt) / HOUR;
  const cook = {
    hours: cookHours,
    offers,
    bytes: writeBytes() - cook0.bytes,
    commits: counters.commits - cook0.commits,
    checkpoints: counters.checkpoints - cook0.checkpoints,
    maxWalBytes: counters.maxWalBytes,
  };
  mem.afterCook = memory();

  // Reading it back as GET /cooks and GET /cooks/{cook_id} do.
  const detail = CONTROL ? null : journal.getCook(cookId);
  if (!CONTROL) journal.listCooks(20, null);
  mem.afterRead = memory();
  const sizes = Object.fromEntries(
    ['anova.db', 'anova.db-wal', 'anova.db-shm'].map((f) => {
      try {
        return [f, fs.statSync(path.join(dataDir, f)).size];
      } catch {
        return [f, 0];
      }
    }),
  );
  journal.close();
  database.close();
  return {
    idle,
    cook,
    mem,
    sizes,
    samplesReturned: detail?.samples.length ?? null,
    eventsStored: detail?.events.length ?? null,
  };
}

process.stdout.write(`${JSON.stringify(main())}\n`);
