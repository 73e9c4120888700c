/**
 * Opening the database under real faults, with real SQLite files in temp dirs: a fresh start,
 * a second server, corrupt and truncated files, older and newer schemas, an unusable directory.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE, DataDirectoryInUseError, openDatabase } from '../../app/journal/database';
import { MIGRATIONS } from '../../app/journal/migrations';
import { captureLogger } from '../helpers/logs';

const tempDir = () => mkdtempSync(join(tmpdir(), 'anova-db-'));
const NOW = Date.parse('2026-12-02T10:00:00Z');

function open(dataDir: string, migrations = MIGRATIONS) {
  const logs = captureLogger();
  const opened = openDatabase({ dataDir, logger: logs.logger, clock: () => NOW, migrations });
  return { opened, logs };
}

test('a fresh directory: created, every migration applied, WAL, integrity ok', () => {
  const dir = join(tempDir(), 'nested', 'data');
  const { opened, logs } = open(dir);
  expect(opened.health).toEqual({ state: 'ok' });
  const db = opened.db!;
  expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
  expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  expect(logs.records().filter((r) => r.message === 'journal schema migrated')).toHaveLength(MIGRATIONS.length);
  opened.close();
});

test('a second server on the same directory is refused with a clear message; after the first closes it opens', () => {
  const dir = tempDir();
  const first = open(dir).opened;
  expect(() => open(dir)).toThrow(DataDirectoryInUseError);
  expect(() => open(dir)).toThrow(/Another Anova Control Server is already using the data directory/);
  // The first still works: nothing was disturbed.
  expect(first.db!.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  first.close();
  const again = open(dir).opened;
  expect(again.health.state).toBe('ok');
  again.close();
});

test.each([
  ['garbage bytes', () => Buffer.alloc(16_384, 0x5a)],
  ['a truncated file', () => truncatedDatabase()],
])('a corrupt file (%s) is moved aside, never deleted, and a fresh one started with one clear log line', (_, bytes) => {
  const dir = tempDir();
  const content = bytes();
  writeFileSync(join(dir, DATABASE_FILE), content);
  const { opened, logs } = open(dir);
  expect(opened.health.state).toBe('ok');
  const aside = readdirSync(dir).filter((f) => f.startsWith(`${DATABASE_FILE}.corrupt-`) && !/-(wal|shm)$/.test(f));
  expect(aside).toHaveLength(1);
  expect(readFileSync(join(dir, aside[0])).equals(content)).toBe(true);
  const lines = logs.records().filter((r) => r.level === 'error');
  expect(lines).toEqual([
    expect.objectContaining({
      message: 'journal database was corrupt: moved it aside and started a new one',
      movedTo: join(dir, aside[0]),
    }),
  ]);
  expect(opened.db!.prepare('SELECT count(*) AS n FROM cooks').get()).toEqual({ n: 0 });
  opened.close();
});

test('a file from an older schema is migrated in place and keeps its data', () => {
  const dir = tempDir();
  const old = open(dir, MIGRATIONS.slice(0, 1)).opened;
  old
    .db!.prepare(
      `INSERT INTO cooks (cook_id, cooker_id, started_at, target_celsius, time_minutes, thickness_mm, thickness_assumed,
      categories, warnings, request) VALUES ('c1', 'k', 1, 63, 75, 25, 0, '[]', '[]', '{}')`,
    )
    .run();
  old.close();
  const { opened, logs } = open(dir);
  expect(opened.health.state).toBe('ok');
  expect(opened.db!.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
  expect(opened.db!.prepare('SELECT cook_id FROM cooks').all()).toEqual([{ cook_id: 'c1' }]);
  expect(
    logs
      .records()
      .filter((r) => r.message === 'journal schema migrated')
      .map((r) => r.version),
  ).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
  opened.close();
});

test('a migration that fails rolls back and leaves the server degraded, the file untouched', () => {
  const dir = tempDir();
  open(dir, MIGRATIONS.slice(0, 1)).opened.close();
  const broken = [
    ...MIGRATIONS.slice(0, 1),
    { version: 2, description: 'broken', up: (db: DatabaseSync) => db.exec('CREATE TABLE cooks (x)') },
  ];
  const { opened } = open(dir, broken);
  expect(opened.health).toEqual({ state: 'degraded', reason: expect.stringContaining('current schema') });
  expect(opened.db).toBeNull();
  opened.close();
  const check = new DatabaseSync(join(dir, DATABASE_FILE));
  expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
  check.close();
});

test('a migration that fills the card: degraded, the log names the real cause, the file left at its schema', () => {
  const dir = tempDir();
  open(dir, MIGRATIONS.slice(0, 1)).opened.close();
  const filling = [
    ...MIGRATIONS.slice(0, 1),
    {
      version: 2,
      description: 'fills the card',
      up: (db: DatabaseSync) => {
        db.exec('CREATE TABLE big (x)');
        const { page_count: pages } = db.prepare('PRAGMA page_count').get() as { page_count: number };
        db.exec(`PRAGMA max_page_count = ${pages}`); // SQLITE_FULL from here on, as on a full filesystem
        db.exec(`INSERT INTO big VALUES (hex(randomblob(20000)))`);
      },
    },
  ];
  const { opened, logs } = open(dir, filling);
  expect(opened.health).toEqual({ state: 'degraded', reason: expect.stringContaining('current schema') });
  // SQLite rolled the transaction back itself; a second ROLLBACK must not replace the cause.
  expect(logs.records().filter((r) => r.level === 'error')).toEqual([
    expect.objectContaining({ cause: expect.stringMatching(/disk is full/) }),
  ]);
  opened.close();
  const check = new DatabaseSync(join(dir, DATABASE_FILE));
  expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
  expect(check.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'big'`).get()).toEqual({ n: 0 });
  check.close();
});

test('a file written by a newer version is left alone and the server runs degraded', () => {
  const dir = tempDir();
  open(dir).opened.close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 5}`);
  db.close();
  const { opened, logs } = open(dir);
  expect(opened.health).toEqual({ state: 'degraded', reason: expect.any(String) });
  expect(logs.text()).toMatch(/newer than this version of the server/);
  opened.close();
});

test('a data directory that cannot be created: degraded, with the reason, and nothing thrown', () => {
  const parent = tempDir();
  writeFileSync(join(parent, 'a-file'), 'not a directory');
  const { opened, logs } = open(join(parent, 'a-file', 'data'));
  expect(opened.health).toEqual({
    state: 'degraded',
    reason: expect.stringContaining('cannot write the data directory'),
  });
  expect(logs.records()).toEqual([
    expect.objectContaining({
      level: 'error',
      message: expect.stringContaining('journal unavailable'),
      cause: expect.stringMatching(/ENOTDIR|EEXIST/),
    }),
  ]);
  opened.close();
});

/** A real database with a few pages, cut in the middle. */
function truncatedDatabase(): Buffer {
  const dir = tempDir();
  const { opened } = open(dir);
  const db = opened.db!;
  db.exec(`CREATE TABLE filler (x);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
    INSERT INTO filler SELECT hex(randomblob(500)) FROM n`);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  opened.close();
  const whole = readFileSync(join(dir, DATABASE_FILE));
  return whole.subarray(0, Math.floor(whole.length / 2));
}
