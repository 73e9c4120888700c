/**
 * backupDatabase on real SQLite files: a snapshot that fails leaves nothing behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase, scratchBackupPath } from '../../app/journal/backup';
import { damagedDataDir } from './damaged';

test.each([
  ['a named file', (dataDir: string) => join(dataDir, 'backups', 'copy.db')],
  ['the hidden scratch file of `backup -`', (dataDir: string) => scratchBackupPath(dataDir, Date.now())],
])('a VACUUM INTO that fails (a damaged database) leaves no file behind: %s', (_, destOf) => {
  const dataDir = damagedDataDir();
  const dest = destOf(dataDir);
  expect(() => backupDatabase(dataDir, dest)).toThrow(/malformed/);
  expect(existsSync(dest)).toBe(false);
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([]);
});
