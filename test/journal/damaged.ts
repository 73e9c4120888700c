/**
 * A data directory whose database was sound when written and has a table's pages overwritten
 * since (what a failing card does): it opens without complaint, and reading that table fails
 * with SQLITE_CORRUPT.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE, openDatabase } from '../../app/journal/database';
import { silentLogger } from '../../app/log';

export function damagedDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'anova-damaged-'));
  const opened = openDatabase({ dataDir, logger: silentLogger });
  const db = opened.db!;
  db.exec(`CREATE TABLE filler (x);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
    INSERT INTO filler SELECT hex(randomblob(500)) FROM n`);
  const { rootpage } = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'filler'`).get() as {
    rootpage: number;
  };
  const { page_size: pageSize } = db.prepare('PRAGMA page_size').get() as { page_size: number };
  opened.close(); // the last connection: the WAL is checkpointed into the file
  const fd = openSync(join(dataDir, DATABASE_FILE), 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
  return dataDir;
}
