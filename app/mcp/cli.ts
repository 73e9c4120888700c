/**
 * `oauth list` and `oauth revoke <client_id|all>` (docs/mcp.md, "Managing connected apps"). They
 * open the database file in DATA_DIR themselves, next to a running server (SQLite's WAL lets
 * both work on it); the server checks every token against the file, so a revocation takes
 * effect on the client's next request. Nothing secret is printed: the file holds only hashes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from '../journal/database';
import { OAuthStore, type ClientSummary } from '../oauth/store';

/** The first schema version with the OAuth tables (app/journal/migrations.ts). */
const OAUTH_SCHEMA_VERSION = 3;

export interface OAuthCliOptions {
  dataDir: string;
  out: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  now?: number;
}

/** Prints the registered clients; returns the process exit code. */
export function oauthList(opts: OAuthCliOptions): number {
  return withStore(opts, false, (store) => {
    const clients = store.listClients(opts.now ?? Date.now());
    if (clients.length === 0) {
      opts.out.write('No OAuth clients are registered.\n');
      return 0;
    }
    const rows = clients.map((c) => [
      c.clientId,
      c.name,
      [...new Set(c.redirectUris.map((u) => new URL(u).host))].join(','),
      time(c.createdAt),
      c.lastUsedAt === null ? 'never' : time(c.lastUsedAt),
      String(c.activeGrants),
    ]);
    table(
      opts.out,
      ['CLIENT ID', 'NAME', 'REDIRECTS TO', 'REGISTERED (UTC)', 'LAST APPROVED/USED', 'ACTIVE GRANTS'],
      rows,
    );
    opts.out.write('\nRevoke one with `oauth revoke <client id>`, or every one with `oauth revoke all`.\n');
    return 0;
  });
}

/** Forgets one client (or all) with every grant and token it holds; returns the exit code. */
export function oauthRevoke(opts: OAuthCliOptions & { target: string | undefined }): number {
  const target = opts.target?.trim();
  if (!target) {
    (opts.err ?? opts.out).write('Usage: oauth revoke <client id|all>   (see `oauth list`)\n');
    return 2;
  }
  return withStore(opts, true, (store) => {
    if (target === 'all') {
      const n = store.revokeAllClients();
      opts.out.write(`Revoked ${n} client${n === 1 ? '' : 's'}. Their access tokens stop working now.\n`);
      return 0;
    }
    if (!store.revokeClient(target)) {
      (opts.err ?? opts.out).write('No such client. `oauth list` shows the registered ones.\n');
      return 1;
    }
    opts.out.write(
      `Revoked ${target}: its tokens stop working now. To connect that app again, remove it there and add it again.\n`,
    );
    return 0;
  });
}

function withStore(opts: OAuthCliOptions, write: boolean, fn: (store: OAuthStore) => number): number {
  const path = join(opts.dataDir, DATABASE_FILE);
  if (!existsSync(path)) {
    opts.out.write(`No database at ${path} yet, so no OAuth clients.\n`);
    return 0;
  }
  const db = new DatabaseSync(path, { readOnly: !write, timeout: 5_000 });
  try {
    db.exec('PRAGMA foreign_keys = ON');
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version < OAUTH_SCHEMA_VERSION) {
      opts.out.write(
        'The database has no OAuth tables yet (the server adds them when it starts), so no OAuth clients.\n',
      );
      return 0;
    }
    return fn(new OAuthStore(db));
  } finally {
    db.close();
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

function table(out: NodeJS.WritableStream, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows])
    out.write(
      `${row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}\n`,
    );
}

export type { ClientSummary };
