/**
 * scripts/backup.sh on a throw-away project folder: what it archives (secrets and overrides, never
 * images or logs), how it protects the archive (mode 600 in a mode 700 folder), and retention.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const archives = () => readdirSync(dest).filter((f) => /^anova-backup-.*\.tar\.gz$/.test(f)).sort();

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
