/**
 * Nothing in the repository looks like a real secret: API keys, Anova tokens, tunnel tokens,
 * tunnel credentials, private keys. Scans every file git would commit (tracked, or new and not
 * ignored); the known placeholders and demo values are the only allowed look-alikes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY_PLACEHOLDER, ANOVA_TOKEN_PLACEHOLDER } from '../../app/config';
import { REPO_ROOT } from './support';

/** Shapes of real secrets; lengths are those of real values, so short fakes in tests pass. */
const SECRET_SHAPES: [string, RegExp][] = [
  ['API key (sk-anova- + 32 random bytes)', /sk-anova-[A-Za-z0-9_-]{30,}/],
  ['Anova personal access token', /\banova-[A-Za-z0-9_-]{40,}/],
  ['JWT or Cloudflare tunnel token (base64 JSON)', /\beyJ[A-Za-z0-9_-]{20,}\.?[A-Za-z0-9_=-]{20,}/],
  ['tunnel credentials JSON', /"TunnelSecret"\s*:\s*"[A-Za-z0-9+/=]{16,}"/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-{5}/],
  ['Cloudflare origin certificate', /-----BEGIN ARGO TUNNEL TOKEN-{5}/],
];

/** Look-alikes that are safe on purpose: placeholders the app refuses. */
const ALLOWED = [API_KEY_PLACEHOLDER, ANOVA_TOKEN_PLACEHOLDER];

/** A line that says what it is (a fake in a test, an example) is not a leak; same rule as the pre-stop hook. */
const SELF_DECLARED_FAKE = /example|placeholder|test|spec|fixture|sample|fake|dummy/i;

function filesGitWouldCommit(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\0')
    .filter((f) => f !== '' && f !== 'package-lock.json')
    .filter((f) => {
      try {
        return statSync(join(REPO_ROOT, f)).isFile();
      } catch {
        return false; // deleted in the working tree
      }
    });
}

function findSecrets(path: string, text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    let scrubbed = line;
    for (const a of ALLOWED) scrubbed = scrubbed.split(a).join('');
    for (const [what, re] of SECRET_SHAPES) {
      if (re.test(scrubbed) && !SELF_DECLARED_FAKE.test(scrubbed)) hits.push(`${path}:${i + 1}: looks like a ${what}`);
    }
  });
  return hits;
}

describe('committed files', () => {
  const files = filesGitWouldCommit();

  it('include the deployment files (the scan sees them)', () => {
    expect(files).toEqual(expect.arrayContaining(['.env.example', 'compose.yaml', 'docker/Dockerfile']));
    expect(files).not.toContain('.env');
  });

  it('hold nothing that looks like a real key, token or credential', () => {
    const hits = files.flatMap((f) => {
      const buf = readFileSync(join(REPO_ROOT, f));
      return buf.includes(0) ? [] : findSecrets(f, buf.toString('utf8'));
    });
    expect(hits).toEqual([]);
  });

  it('the scanner recognises real-looking secrets', () => {
    // Built at run time so this file does not hold the shapes it looks for.
    const realish = [
      `API_KEY=sk-anova-${'Xq3'.repeat(15)}`,
      `ANOVA_TOKEN=anova-${'a1B2'.repeat(12)}`,
      `TUNNEL_TOKEN=eyJhIjoiM2Y${'Zk'.repeat(30)}`,
      `{"AccountTag":"x","TunnelSecret":"${'c2Vj'.repeat(8)}","TunnelID":"y"}`,
      `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----`,
    ];
    for (const line of realish) expect(findSecrets('x', line)).not.toEqual([]);
    expect(findSecrets('x', `API_KEY=${API_KEY_PLACEHOLDER}`)).toEqual([]);
  });
});
