'use strict';
/**
 * Bench-only instrumentation of node:sqlite for counting what reaches an SD card when time is
 * compressed. The kernel counts a process's `write_bytes` (/proc/<pid>/io) when it dirties a page
 * of the page cache; a page dirtied again before it was written back is not counted again. The
 * server commits every 10 minutes and the kernel writes dirty pages back within 30 s
 * (dirty_expire_centisecs), so on the Pi every commit's pages reach the card. In a run where
 * 10 minutes pass in a third of a second, commits would share dirty pages and undercount. So
 * after every commit (an explicit COMMIT, or a write statement outside a transaction) this
 * fsyncs the database, its WAL and its shared-memory index: each commit's pages are then
 * written back before the next, as on the Pi, and counted.
 *
 * It also counts commits, and checkpoints (a commit after which the main database file
 * changed: SQLite copied WAL pages into it), into `counters`.
 */
const fs = require('node:fs');
const path = require('node:path');
const { DatabaseSync, StatementSync } = require('node:sqlite');

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/**
 * @param {string} dataDir   directory holding the database (DATA_DIR)
 * @param {string} [file]    database file name (the server's is anova.db)
 * @returns {{commits: number, checkpoints: number, maxWalBytes: number, syncs: number, syncCpuUs: number}} live counters
 */
function installSyncAfterCommit(dataDir, file = 'anova.db') {
  // syncCpuUs: CPU time the fsyncs themselves cost (a section subtracts it from CPU per push).
  const counters = { commits: 0, checkpoints: 0, maxWalBytes: 0, syncs: 0, syncCpuUs: 0 };
  const main = path.resolve(dataDir, file);
  const files = [main, `${main}-wal`, `${main}-shm`];
  let openTransactions = 0;
  let mainStamp = null;

  const stamp = () => {
    try {
      const s = fs.statSync(main);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return null;
    }
  };
  const cpuMicros = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  const afterCommit = () => {
    const cpuStart = cpuMicros();
    counters.commits++;
    for (const f of files) {
      let fd;
      try {
        fd = fs.openSync(f, 'r');
        fs.fsyncSync(fd);
        counters.syncs++;
        if (f.endsWith('-wal')) counters.maxWalBytes = Math.max(counters.maxWalBytes, fs.fstatSync(fd).size);
      } catch {
        // not there (yet): nothing to write back
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    }
    const now = stamp();
    if (mainStamp !== null && now !== mainStamp) counters.checkpoints++;
    mainStamp = now;
    counters.syncCpuUs += cpuMicros() - cpuStart;
  };

  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (sql) {
    const result = exec.call(this, sql);
    if (typeof sql === 'string' && path.resolve(String(this.location?.() ?? '')) === main) {
      if (/^\s*BEGIN\b/i.test(sql)) openTransactions++;
      else if (/^\s*(COMMIT|END)\b/i.test(sql)) {
        openTransactions = Math.max(0, openTransactions - 1);
        afterCommit();
      } else if (/^\s*ROLLBACK\b/i.test(sql)) openTransactions = Math.max(0, openTransactions - 1);
    }
    return result;
  };
  const run = StatementSync.prototype.run;
  StatementSync.prototype.run = function (...args) {
    const result = run.apply(this, args);
    if (openTransactions === 0 && WRITE.test(this.sourceSQL ?? '')) afterCommit();
    return result;
  };
  mainStamp = stamp();
  return counters;
}

module.exports = { installSyncAfterCommit };
