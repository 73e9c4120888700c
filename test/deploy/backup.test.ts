/**
 * scripts/backup.sh on a throw-away project folder: what it archives (secrets and overrides, never
 * images or logs), how it protects the archive (mode 600 in a mode 700 folder), and retention.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../app/journal/database';
import { silentLogger } from '../../app/log';
import { CLI } from '../helpers/process';
import { REPO_ROOT } from './support';

const SCRIPT = join(REPO_ROOT, 'scripts', 'backup.sh');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

let scratch: string;
let project: string;
let dest: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'backup-test-'));
  project = join(scratch, 'anova');
  dest = join(scratch, 'backups');
  mkdirSync(project);
});

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const archives = () =>
  readdirSync(dest)
    .filter((f) => /^anova-backup-.*\.tar\.gz$/.test(f))
    .sort();

describe('scripts/backup.sh', () => {
  it('archives .env, compose overrides and tunnel credentials, and nothing else', async () => {
    write(project, {
      '.env': 'API_KEY=x\n',
      'compose.yaml': 'services: {}\n',
      'compose.override.yaml': 'services: {}\n',
      'cloudflared/config.yml': 'tunnel: x\n',
      'cloudflared/0e5c2c9a-1d4b-4f0e-9a53-0123456789ab.json': '{}\n',
      'cloudflared/cert.pem': 'x\n',
      'cloudflared/config.example.yml': 'x\n',
      'cloudflared/README.md': 'x\n',
      'backups/old.tar.gz': 'x',
      'app.log': 'x\n',
      'image.tar': 'x',
    });
    const r = await run('bash', [SCRIPT, dest], { PROJECT_DIR: project });
    expect(r).toMatchObject({ code: 0 });
    expect(archives()).toHaveLength(1);

    const listing = await run('tar', ['-tzf', join(dest, archives()[0])]);
    expect(listing.stdout.trim().split('\n').sort()).toEqual([
      '.env',
      'cloudflared/0e5c2c9a-1d4b-4f0e-9a53-0123456789ab.json',
      'cloudflared/cert.pem',
      'cloudflared/config.yml',
      'compose.override.yaml',
    ]);
  });

  it('makes the archive readable by its owner only, in a folder only the owner can enter', async () => {
    write(project, { '.env': 'API_KEY=x\n' });
    expect((await run('bash', [SCRIPT, dest], { PROJECT_DIR: project })).code).toBe(0);
    expect(statSync(join(dest, archives()[0])).mode & 0o777).toBe(0o600);
    expect(statSync(dest).mode & 0o777).toBe(0o700);
  });

  it('keeps the newest BACKUP_KEEP archives', async () => {
    write(project, { '.env': 'API_KEY=x\n' });
    const old = ['20240101T000000Z', '20240201T000000Z', '20240301T000000Z', '20240401T000000Z'];
    write(dest, Object.fromEntries(old.map((t) => [`anova-backup-${t}.tar.gz`, 'x'])));
    const r = await run('bash', [SCRIPT, dest], { PROJECT_DIR: project, BACKUP_KEEP: '3' });
    expect(r.code).toBe(0);
    const kept = archives();
    expect(kept).toHaveLength(3);
    expect(kept.slice(0, 2)).toEqual(['anova-backup-20240301T000000Z.tar.gz', 'anova-backup-20240401T000000Z.tar.gz']);
    expect(kept[2]).not.toMatch(/^anova-backup-2024/);
  });

  it('with the stack here, the archive also holds journal.db: a checked snapshot the app itself took', async () => {
    write(project, { '.env': 'API_KEY=x\n', 'compose.yaml': 'services: {}\n' });
    const dataDir = join(scratch, 'volume');
    const opened = openDatabase({ dataDir, logger: silentLogger });
    opened.db!.exec(`INSERT INTO cooks (cook_id, cooker_id, started_at, target_celsius, time_minutes, thickness_mm,
      thickness_assumed, categories, warnings, request) VALUES ('c1', 'k', 1, 63, 75, 25, 0, '[]', '[]', '{}')`);
    // Docker itself is not here: a stand-in `docker` runs the real CLI on that data, as
    // `docker compose exec -T app node dist/app/cli.js backup -` would in the container.
    const bin = join(scratch, 'bin');
    write(bin, {
      docker: [
        '#!/bin/sh',
        'case "$*" in',
        '  "compose config -q") exit 0 ;;',
        '  "compose ps -q --status running app") echo 1234 ;;',
        `  "compose exec -T app node dist/app/cli.js backup -") DATA_DIR='${dataDir}' exec '${process.execPath}' '${CLI}' backup - ;;`,
        '  *) echo "unexpected: docker $*" >&2; exit 9 ;;',
        'esac',
      ].join('\n'),
    });
    chmodSync(join(bin, 'docker'), 0o755);
    const r = await run('bash', [SCRIPT, dest], { PROJECT_DIR: project, PATH: `${bin}:${process.env.PATH}` });
    opened.close();
    expect(r).toMatchObject({ code: 0 });
    const listing = await run('tar', ['-tzf', join(dest, archives()[0])]);
    expect(listing.stdout.trim().split('\n').sort()).toEqual(['.env', 'journal.db']);
    await run('tar', ['-xzf', join(dest, archives()[0]), '-C', scratch, 'journal.db']);
    const copy = new DatabaseSync(join(scratch, 'journal.db'), { readOnly: true });
    expect(copy.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(copy.prepare('SELECT cook_id FROM cooks').all()).toEqual([{ cook_id: 'c1' }]);
    copy.close();
  });

  it('fails clearly when there is nothing to back up, or BACKUP_KEEP is not a count', async () => {
    const empty = await run('bash', [SCRIPT, dest], { PROJECT_DIR: project });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/nothing to back up/);

    write(project, { '.env': 'API_KEY=x\n' });
    const bad = await run('bash', [SCRIPT, dest], { PROJECT_DIR: project, BACKUP_KEEP: '0' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/BACKUP_KEEP/);
  });
});
