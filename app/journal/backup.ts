/**
 * Backups of the database, and restoring one. A backup is a consistent snapshot taken while the
 * server runs: `VACUUM INTO` from a read-only connection reads one transaction's view (WAL lets
 * it run beside the server's writes) and writes a compact, self-contained file, checked before it
 * is reported. The live file is never copied as is: a copy taken mid-write can be torn.
 * A restore happens only while no server holds the data directory, and keeps the file it replaces.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE, moveAside, withDataDirectoryLock } from './database';

export interface BackupResult {
  path: string;
  bytes: number;
  cooks: number;
}

/** The default name: DATA_DIR/backups/anova-<UTC time>.db (inside the volume, so it can be copied out). */
export function defaultBackupPath(dataDir: string, now: number): string {
  return join(dataDir, 'backups', `anova-${stamp(now)}.db`);
}

/**
 * Writes a checked snapshot of DATA_DIR's database to `dest`.
 * @throws Error when there is no database, `dest` exists, or the copy fails its check.
 */
export function backupDatabase(dataDir: string, dest: string): BackupResult {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`there is no database at ${source}`);
  if (existsSync(dest)) throw new Error(`${dest} already exists; choose another name`);
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  // `dest` did not exist: whatever is there after a failure (an empty or partial file) is ours to remove.
  try {
    const db = new DatabaseSync(source, { readOnly: true, timeout: 5_000 });
    try {
      db.prepare('VACUUM INTO ?').run(dest);
    } finally {
      db.close();
    }
    return { path: dest, bytes: statSync(dest).size, cooks: checkedCookCount(dest) };
  } catch (err) {
    rmSync(dest, { force: true });
    throw err;
  }
}

/** A snapshot in a scratch file beside the database, for streaming it out (`backup -`). */
export function scratchBackupPath(dataDir: string, now: number): string {
  return join(dataDir, 'backups', `.snapshot-${stamp(now)}-${process.pid}.db`);
}

export interface RestoreResult {
  cooks: number;
  /** Where the database that was replaced now is, or null when there was none. */
  previous: string | null;
}

/**
 * Puts the database file `source` in place of DATA_DIR's, keeping the old one beside it.
 * @throws DataDirectoryInUseError while a server runs on DATA_DIR; Error when `source` is not a
 *   sound database of this server.
 */
export function restoreDatabase(dataDir: string, source: string, now: number): RestoreResult {
  const cooks = checkedCookCount(source);
  mkdirSync(dataDir, { recursive: true });
  return withDataDirectoryLock(dataDir, () => {
    const target = join(dataDir, DATABASE_FILE);
    const incoming = `${target}.restoring`;
    copyFileSync(source, incoming);
    let previous: string | null = null;
    if (existsSync(target)) {
      previous = `${target}.before-restore-${stamp(now)}`;
      moveAside(target, previous);
    }
    renameSync(incoming, target);
    return { cooks, previous };
  });
}

/** Opens `path` read-only, proves it sound and ours; the number of cooks it holds. */
function checkedCookCount(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const check = db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    if (check.integrity_check !== 'ok') throw new Error(`${path} failed its integrity check: ${check.integrity_check}`);
    const { n } = db.prepare('SELECT count(*) AS n FROM cooks').get() as { n: number };
    return n;
  } catch (err) {
    throw new Error(
      `${path} is not a sound database of this server (${err instanceof Error ? err.message : String(err)})`,
      {
        cause: err,
      },
    );
  } finally {
    db.close();
  }
}

function stamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
