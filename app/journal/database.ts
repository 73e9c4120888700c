/**
 * Opens the server's one SQLite file (node:sqlite, no native addon) under DATA_DIR, for an SD
 * card that wears out and loses power without warning (docs/deployment-design.md, "v1.1"):
 * - WAL with synchronous=NORMAL: a power cut loses at most the last commits, never consistency;
 * - `PRAGMA integrity_check` at every start; a corrupt file is moved aside (never deleted) and a
 *   fresh one started, with one clear log line;
 * - versioned migrations (`user_version`, ./migrations.ts);
 * - a lock file held for the life of the process, so a second server on the same data refuses
 *   to start instead of driving the same cooker and writing the same file.
 *
 * Anything else that goes wrong leaves the server running without a database ("degraded"):
 * cooking never depends on the journal.
 */
import { mkdirSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../log';
import { MIGRATIONS, type Migration } from './migrations';

export const DATABASE_FILE = 'anova.db';
const LOCK_FILE = 'anova.lock';

/** SQLite result codes we act on (https://sqlite.org/rescode.html). */
const SQLITE_BUSY = 5;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** Another server holds the data directory: this one must not start. */
export class DataDirectoryInUseError extends Error {
  override readonly name = 'DataDirectoryInUseError';
  constructor(readonly dataDir: string) {
    super(
      `Another Anova Control Server is already using the data directory ${dataDir}. ` +
        'Stop it first, or give this one its own DATA_DIR.',
    );
  }
}

export type DatabaseHealth =
  | { state: 'ok' }
  /** No database this run: why, in words for the log and /health. */
  | { state: 'degraded'; reason: string };

export interface OpenedDatabase {
  /** null when degraded at start. */
  readonly db: DatabaseSync | null;
  readonly health: DatabaseHealth;
  readonly path: string;
  /** Closes the database, then releases the lock. */
  close(): void;
}

export interface OpenOptions {
  dataDir: string;
  logger: Logger;
  /** Epoch ms, for the name of a moved-aside corrupt file. */
  clock?: () => number;
  /** Test knob: the schema to migrate to (default: all of MIGRATIONS). */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating, migrating or replacing as needed) the database in `dataDir`.
 * @throws DataDirectoryInUseError when another server holds the directory; nothing else throws.
 */
export function openDatabase(opts: OpenOptions): OpenedDatabase {
  const { dataDir, logger } = opts;
  const path = join(dataDir, DATABASE_FILE);
  const degraded = (reason: string, err?: unknown): OpenedDatabase => {
    logger.error('journal unavailable: the server runs and cooks, but keeps no history this run', {
      reason,
      ...(err === undefined ? {} : { cause: describe(err) }),
    });
    return { db: null, health: { state: 'degraded', reason }, path, close: () => lock?.close() };
  };

  let lock: DatabaseSync | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    lock = holdLock(dataDir);
  } catch (err) {
    if (err instanceof DataDirectoryInUseError) throw err;
    return degraded(`cannot write the data directory ${dataDir}`, err);
  }

  let db: DatabaseSync;
  try {
    db = openChecked(path);
  } catch (err) {
    if (!isCorruption(err)) return degraded(`cannot open ${path}`, err);
    const aside = `${path}.corrupt-${new Date((opts.clock ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      moveAside(path, aside);
      db = openChecked(path);
    } catch (err2) {
      return degraded(`${path} is corrupt and could not be replaced`, err2);
    }
    logger.error('journal database was corrupt: moved it aside and started a new one', { movedTo: aside });
  }

  try {
    migrate(db, opts.migrations ?? MIGRATIONS, logger);
  } catch (err) {
    db.close();
    return degraded(`cannot bring ${path} to the current schema`, err);
  }
  const heldLock = lock;
  return {
    db,
    health: { state: 'ok' },
    path,
    close: () => {
      try {
        db.close();
      } finally {
        heldLock.close();
      }
    },
  };
}

/**
 * Runs `work` while holding the data directory's lock, as a server would: for changes to the
 * database file that must not happen under a running server (restoring a backup).
 * @throws DataDirectoryInUseError when a server holds it.
 */
export function withDataDirectoryLock<T>(dataDir: string, work: () => T): T {
  const lock = holdLock(dataDir);
  try {
    return work();
  } finally {
    lock.close();
  }
}

/**
 * An exclusive SQLite lock on a small file of its own, held until close (or process death: the
 * kernel drops POSIX locks of a killed process, so kill -9 leaves nothing stale behind).
 */
function holdLock(dataDir: string): DatabaseSync {
  const lock = new DatabaseSync(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;');
  } catch (err) {
    lock.close();
    if (errcode(err) === SQLITE_BUSY) throw new DataDirectoryInUseError(dataDir);
    throw err;
  }
  return lock;
}

/** Opens the file with our settings and proves it readable end to end. */
function openChecked(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: 2_000 });
  try {
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;        -- WAL: consistent after a power cut, fsync only at checkpoints
      PRAGMA foreign_keys = ON;
      PRAGMA cache_size = -512;           -- 512 KiB page cache: the whole journal of a year is a few MB
      PRAGMA wal_autocheckpoint = 256;    -- pages; checkpoints stay small and rare
      PRAGMA journal_size_limit = 1048576;
    `);
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    if (rows.length !== 1 || rows[0].integrity_check !== 'ok') {
      throw Object.assign(
        new Error(
          `integrity_check: ${rows
            .map((r) => r.integrity_check)
            .join('; ')
            .slice(0, 300)}`,
        ),
        {
          errcode: SQLITE_CORRUPT,
        },
      );
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Brings `db` up to the last of `migrations`, each in its own transaction (also for tests of one table's owner). */
export function migrate(db: DatabaseSync, migrations: readonly Migration[], logger: Logger): void {
  const current = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  const latest = migrations.length;
  if (current > latest) {
    throw new Error(`the file has schema ${current}, newer than this version of the server (${latest})`);
  }
  for (const m of migrations.slice(current)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      m.up(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (err) {
      // SQLITE_FULL (or IOERR) may have rolled the transaction back already.
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
    logger.info('journal schema migrated', { version: m.version, description: m.description });
  }
}

/** The database and its WAL/SHM companions, renamed together. */
export function moveAside(path: string, aside: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
}

function isCorruption(err: unknown): boolean {
  const code = errcode(err);
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

/** SQLite's primary result code of a node:sqlite error (extended codes carry it in the low byte). */
export function errcode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** A short cause for the log: the errno or SQLite message, never a stack. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && code !== 'ERR_SQLITE_ERROR' ? `${code}: ${err.message}` : err.message;
}
