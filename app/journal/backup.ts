/**
 * A consistent snapshot of the database while the server runs: `VACUUM INTO` from a read-only
 * connection reads one transaction's view (WAL lets it run beside the server's writes) and
 * writes a compact, self-contained file, which is then checked before it is reported.
 * The live file is never copied as is: a copy taken mid-write can be torn.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from './database';

export interface BackupResult {
  path: string;
  bytes: number;
  cooks: number;
}

/** The default name: DATA_DIR/backups/anova-<UTC time>.db (inside the volume, so it can be copied out). */
export function defaultBackupPath(dataDir: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(dataDir, 'backups', `anova-${stamp}.db`);
}

/**
 * @throws Error when there is no database in `dataDir`, `dest` exists, or the copy fails its check.
 */
export function backupDatabase(dataDir: string, dest: string): BackupResult {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`there is no database at ${source}`);
  if (existsSync(dest)) throw new Error(`${dest} already exists; choose another name`);
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(source, { readOnly: true, timeout: 5_000 });
  try {
    db.prepare('VACUUM INTO ?').run(dest);
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(dest, { readOnly: true });
  try {
    const check = copy.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    if (check.integrity_check !== 'ok') throw new Error(`the copy failed its integrity check: ${check.integrity_check}`);
    const { n } = copy.prepare('SELECT count(*) AS n FROM cooks').get() as { n: number };
    return { path: dest, bytes: statSync(dest).size, cooks: n };
  } finally {
    copy.close();
  }
}
