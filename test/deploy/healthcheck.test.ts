/**
 * docker/healthcheck.sh against a real HTTP server on 127.0.0.1, once per tool it can use. The
 * PATH each run sees holds only the tools of that case, so the probe must pick the cheapest one
 * present (bash, then wget, then node); decoy tools record it if a later choice is ever started.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './support';

const PROBE = join(REPO_ROOT, 'docker', 'healthcheck.sh');
type Mode = 'ok' | 'error' | 'hang';

/** Real tools on this machine. wget is on Debian hosts but not in every environment. */
const WGET = ['/usr/bin/wget', '/bin/wget', '/usr/local/bin/wget'].find((p) => existsSync(p));
const BASH = ['/usr/bin/bash', '/bin/bash'].find((p) => existsSync(p))!;

interface Case {
  tool: string;
  /** Real tools on the PATH. */
  real: Record<string, string>;
  /** Later choices that must not run. */
  decoys: string[];
  /** Gives up on a hung server by itself (GNU wget retries; busybox's, the one meant here, does not). */
  boundsHangs: boolean;
}
const cases: Case[] = [
  { tool: 'bash', real: { bash: BASH }, decoys: ['wget', 'node'], boundsHangs: true },
  ...(WGET ? [{ tool: 'wget', real: { wget: WGET }, decoys: ['node'], boundsHangs: false }] : []),
  { tool: 'node', real: { node: process.execPath }, decoys: [], boundsHangs: true },
];

let server: Server;
let port: number;
let mode: Mode = 'ok';
let closedPort: number;
const scratch = mkdtempSync(join(tmpdir(), 'healthcheck-test-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (mode === 'hang') return; // accepted, never answered
    res.statusCode = ['/health', '/elsewhere'].includes(req.url!) && mode === 'ok' ? 200 : 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: res.statusCode === 200 ? 'ok' : 'error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

/** A bin folder with the case's real tools and decoys that leave a mark when run. */
function binFor(c: Case): { bin: string; marks: string } {
  const dir = mkdtempSync(join(scratch, `${c.tool}-`));
  const bin = join(dir, 'bin');
  const marks = join(dir, 'marks');
  mkdirSync(bin);
  for (const [name, target] of Object.entries(c.real)) symlinkSync(target, join(bin, name));
  for (const name of c.decoys) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho ${name} >> '${marks}'\nexit 1\n`, { mode: 0o755 });
  }
  return { bin, marks };
}

/** Runs the probe with only `bin` on the PATH (and PORT in its environment); resolves with its exit code. */
function probe(bin: string, probePort: number, args: string[] = []): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      [PROBE, ...args],
      { env: { PATH: bin, PORT: String(probePort), HEALTHCHECK_TIMEOUT: '1' } },
      (err) => resolve(err ? Number(err.code) : 0),
    );
  });
}

describe.each(cases)('healthcheck.sh with $tool', (c) => {
  const { bin, marks } = binFor(c);

  afterEach(() => {
    // Whatever the outcome, no costlier tool was started.
    expect(existsSync(marks)).toBe(false);
  });

  it('exits 0 when /health answers 200', async () => {
    mode = 'ok';
    await expect(probe(bin, port)).resolves.toBe(0);
  });

  it('exits 1 when /health answers an error', async () => {
    mode = 'error';
    await expect(probe(bin, port)).resolves.toBe(1);
  });

  it('exits 1 when nothing listens', async () => {
    await expect(probe(bin, closedPort)).resolves.toBe(1);
  });

  it('checks the port and path given as arguments instead', async () => {
    mode = 'ok';
    await expect(probe(bin, closedPort, [String(port), '/elsewhere'])).resolves.toBe(0);
    await expect(probe(bin, port, [String(port), '/nowhere'])).resolves.toBe(1);
    await expect(probe(bin, port, [String(closedPort)])).resolves.toBe(1);
  });
});

describe.each(cases.filter((c) => c.boundsHangs))('healthcheck.sh with $tool, server hung', (c) => {
  const { bin, marks } = binFor(c);

  it('exits 1 within its own timeout when the server accepts and never answers', async () => {
    mode = 'hang';
    await expect(probe(bin, port)).resolves.toBe(1);
    expect(existsSync(marks)).toBe(false);
  });
});
