/**
 * Persistence of the OAuth authorization server (tables of migration 3, app/journal/migrations.ts)
 * in the journal's SQLite file, so grants outlive restarts. Only hashes of codes, tokens and
 * client secrets are stored (./secrets.ts).
 *
 * The security-critical steps are single transactions here, never read-then-write across calls:
 * - an authorization code is redeemed at most once; a second presentation revokes the grant
 *   (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3);
 * - a refresh token is rotated at most once; presenting a rotated one again revokes the whole
 *   family (OAuth 2.1 §4.3.1, refresh token reuse detection);
 * - a refresh token presented by another client than its own also revokes the family.
 *
 * Without a usable database every method throws OAuthUnavailableError (fail closed); the API key
 * keeps working because it never touches this store.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { credentialHash, newCredential, newIdentifier, PREFIX } from './secrets';

export type ClientAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic'];

/** Lifetimes (docs/mcp.md, "OAuth"). */
export const LIFETIME_MS = {
  /** From approval to the token request: seconds in practice. */
  code: 5 * 60_000,
  /** docs/api.md: at most 1 h. */
  accessToken: 60 * 60_000,
  /** Each refresh issues a new one, so a connector used at least monthly never asks again. */
  refreshToken: 30 * 24 * 3_600_000,
  /** A registration nobody approved is forgotten after an hour (a person approves within minutes). */
  unapprovedClient: 3_600_000,
  /** A used code is kept this long after it expired, so a late replay still revokes its grant. */
  usedCodeKept: 24 * 3_600_000,
  /** Revoked grants stay listed (with their reason) this long. */
  revokedGrantKept: 30 * 24 * 3_600_000,
} as const;

/** More registrations are refused until some are revoked (a single-user server needs a handful). */
export const MAX_CLIENTS = 100;
/**
 * Registration is open (RFC 7591, as MCP clients expect), so a flood of registrations nobody
 * approves must not lock the owner out: beyond this many, a new one pushes out the oldest of them.
 */
export const MAX_UNAPPROVED_CLIENTS = 20;
const UNAPPROVED = 'NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = oauth_clients.client_id)';

export interface OAuthClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
  /** SHA-256 of the client secret; null for public clients. */
  secretHash: Uint8Array | null;
  createdAt: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  scope: string;
}

/** What the token endpoint checks about a code before tokens are issued (PKCE, client, redirect). */
export interface CodeToCheck {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
}

export type Exchange =
  | { ok: true; tokens: IssuedTokens; clientId: string }
  /** unknown: never issued, expired or already cleaned up. reused: a second presentation (grant revoked). */
  | { ok: false; reason: 'unknown' | 'reused' | 'refused'; detail?: string };

export interface AccessGrant {
  clientId: string;
  grantId: string;
  scope: string;
  expiresAt: number;
}

export interface ClientSummary {
  clientId: string;
  name: string;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
  createdAt: number;
  /** Grants with a live refresh token. */
  activeGrants: number;
  /** When it was last approved or given tokens, or null if never approved. */
  lastUsedAt: number | null;
}

export class OAuthUnavailableError extends Error {
  override readonly name = 'OAuthUnavailableError';
}

export class RegistrationFullError extends Error {
  override readonly name = 'RegistrationFullError';
}

/** The journal's handle, null when the database is degraded, or a getter of either. */
export type DatabaseSource = DatabaseSync | null | (() => DatabaseSync | null);

interface ClientRow {
  client_id: string;
  client_name: string;
  redirect_uris: string;
  auth_method: ClientAuthMethod;
  secret_hash: Uint8Array | null;
  created_at: number;
}

export class OAuthStore {
  private readonly source: () => DatabaseSync | null;
  private readonly statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();
  private lastCleanupAt = -Infinity;

  constructor(database: DatabaseSource) {
    this.source = typeof database === 'function' ? database : () => database;
  }

  /** False when the server runs without a database; the OAuth endpoints then answer 503. */
  get available(): boolean {
    return this.source() !== null;
  }

  // ------------------------------------------------------------------------------ clients

  registerClient(
    input: { name: string; redirectUris: string[]; authMethod: ClientAuthMethod },
    now: number,
  ): { client: OAuthClient; secret: string | null } {
    return this.transaction((q) => {
      q(`DELETE FROM oauth_clients WHERE created_at <= ? AND ${UNAPPROVED}`).run(now - LIFETIME_MS.unapprovedClient);
      q(`DELETE FROM oauth_clients WHERE client_id IN (
           SELECT client_id FROM oauth_clients WHERE ${UNAPPROVED}
            ORDER BY created_at DESC, client_id DESC LIMIT -1 OFFSET ?)`).run(MAX_UNAPPROVED_CLIENTS - 1);
      const { n } = q('SELECT COUNT(*) AS n FROM oauth_clients').get() as { n: number };
      if (n >= MAX_CLIENTS) throw new RegistrationFullError(`${n} clients are registered`);
      const secret = input.authMethod === 'none' ? null : newCredential(PREFIX.clientSecret);
      const client: OAuthClient = {
        clientId: newIdentifier(PREFIX.client),
        name: input.name,
        redirectUris: input.redirectUris,
        authMethod: input.authMethod,
        secretHash: secret === null ? null : credentialHash(secret),
        createdAt: now,
      };
      q(`INSERT INTO oauth_clients (client_id, client_name, redirect_uris, auth_method, secret_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`).run(
        client.clientId,
        client.name,
        JSON.stringify(client.redirectUris),
        client.authMethod,
        client.secretHash,
        now,
      );
      return { client, secret };
    });
  }

  findClient(clientId: string): OAuthClient | null {
    return this.use((q) => {
      const row = q('SELECT * FROM oauth_clients WHERE client_id = ?').get(clientId) as ClientRow | undefined;
      return row ? toClient(row) : null;
    });
  }

  // ------------------------------------------------------------------------------ codes

  /** The owner approved: a new grant and its authorization code (returned once, stored hashed). */
  approve(input: CodeToCheck & { scope: string }, now: number): string {
    const code = newCredential(PREFIX.code);
    this.transaction((q) => {
      const grantId = newIdentifier(PREFIX.grant);
      q(`INSERT INTO oauth_grants (grant_id, client_id, scope, resource, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?)`).run(grantId, input.clientId, input.scope, input.resource, now, now);
      q(`INSERT INTO oauth_codes (code_hash, grant_id, redirect_uri, code_challenge, expires_at)
         VALUES (?, ?, ?, ?, ?)`).run(
        credentialHash(code),
        grantId,
        input.redirectUri,
        input.codeChallenge,
        now + LIFETIME_MS.code,
      );
    });
    return code;
  }

  /**
   * Redeems a code exactly once. `check` sees what the code was issued for and returns why the
   * request does not match it (wrong client, redirect URI or PKCE verifier), or null. The code is
   * used up either way, and a failed check revokes its grant.
   */
  exchangeCode(code: string, now: number, check: (issued: CodeToCheck) => string | null): Exchange {
    return this.transaction((q) => {
      const row = q(`SELECT c.grant_id, c.redirect_uri, c.code_challenge, c.expires_at, c.used_at,
                            g.client_id, g.resource, g.revoked_at
                       FROM oauth_codes c JOIN oauth_grants g ON g.grant_id = c.grant_id
                      WHERE c.code_hash = ?`).get(credentialHash(code)) as
        | {
            grant_id: string;
            redirect_uri: string;
            code_challenge: string;
            expires_at: number;
            used_at: number | null;
            client_id: string;
            resource: string;
            revoked_at: number | null;
          }
        | undefined;
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.used_at !== null) {
        this.revokeGrantIn(q, row.grant_id, 'authorization code used twice', now);
        return { ok: false, reason: 'reused' };
      }
      const claimed = q('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL').run(
        now,
        credentialHash(code),
      );
      if (claimed.changes !== 1) return { ok: false, reason: 'reused' };
      if (row.expires_at <= now || row.revoked_at !== null) return { ok: false, reason: 'unknown' };
      const problem = check({
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        resource: row.resource,
      });
      if (problem !== null) {
        this.revokeGrantIn(q, row.grant_id, 'authorization code exchange refused', now);
        return { ok: false, reason: 'refused', detail: problem };
      }
      return { ok: true, tokens: this.issueIn(q, row.grant_id, now), clientId: row.client_id };
    });
  }

  // ------------------------------------------------------------------------------ tokens

  /** Rotates a refresh token: the old one is used up, a new pair issued in the same family. */
  rotateRefreshToken(refreshToken: string, clientId: string, now: number): Exchange {
    return this.transaction((q) => {
      const hash = credentialHash(refreshToken);
      const row = q(`SELECT t.grant_id, t.expires_at, t.used_at, g.client_id, g.revoked_at
                       FROM oauth_tokens t JOIN oauth_grants g ON g.grant_id = t.grant_id
                      WHERE t.token_hash = ? AND t.kind = 'refresh'`).get(hash) as
        | { grant_id: string; expires_at: number; used_at: number | null; client_id: string; revoked_at: number | null }
        | undefined;
      if (!row || row.revoked_at !== null) return { ok: false, reason: 'unknown' };
      if (row.used_at !== null) {
        this.revokeGrantIn(q, row.grant_id, 'refresh token used after rotation', now);
        return { ok: false, reason: 'reused' };
      }
      if (row.client_id !== clientId) {
        this.revokeGrantIn(q, row.grant_id, 'refresh token presented by another client', now);
        return { ok: false, reason: 'refused', detail: 'the refresh token was not issued to this client' };
      }
      if (row.expires_at <= now) return { ok: false, reason: 'unknown' };
      const claimed = q('UPDATE oauth_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(now, hash);
      if (claimed.changes !== 1) return { ok: false, reason: 'reused' };
      return { ok: true, tokens: this.issueIn(q, row.grant_id, now), clientId };
    });
  }

  /** The grant behind a live access token, or null (unknown, expired or revoked). */
  verifyAccessToken(accessToken: string, now: number): AccessGrant | null {
    return this.use((q) => {
      const row = q(`SELECT t.expires_at, g.client_id, g.grant_id, g.scope
                       FROM oauth_tokens t JOIN oauth_grants g ON g.grant_id = t.grant_id
                      WHERE t.token_hash = ? AND t.kind = 'access' AND g.revoked_at IS NULL`).get(
        credentialHash(accessToken),
      ) as { expires_at: number; client_id: string; grant_id: string; scope: string } | undefined;
      if (!row || row.expires_at <= now) return null;
      return { clientId: row.client_id, grantId: row.grant_id, scope: row.scope, expiresAt: row.expires_at };
    });
  }

  /** RFC 7009: revokes the family of `token` when it belongs to `clientId`; unknown tokens are fine. */
  revokeToken(token: string, clientId: string, now: number): void {
    this.transaction((q) => {
      const row = q(`SELECT g.grant_id, g.client_id FROM oauth_tokens t JOIN oauth_grants g ON g.grant_id = t.grant_id
                      WHERE t.token_hash = ?`).get(credentialHash(token)) as
        { grant_id: string; client_id: string } | undefined;
      if (row && row.client_id === clientId) this.revokeGrantIn(q, row.grant_id, 'revoked by the client', now);
    });
  }

  // ------------------------------------------------------------------------------ the CLI

  listClients(now: number): ClientSummary[] {
    return this.use((q) => {
      const rows = q(`SELECT c.*,
          (SELECT COUNT(*) FROM oauth_grants g
            WHERE g.client_id = c.client_id AND g.revoked_at IS NULL
              AND EXISTS (SELECT 1 FROM oauth_tokens t
                           WHERE t.grant_id = g.grant_id AND t.kind = 'refresh' AND t.used_at IS NULL AND t.expires_at > ?)
          ) AS active_grants,
          (SELECT MAX(g.last_used_at) FROM oauth_grants g WHERE g.client_id = c.client_id) AS last_used_at
        FROM oauth_clients c ORDER BY c.created_at, c.client_id`).all(now) as unknown as Array<
        ClientRow & { active_grants: number; last_used_at: number | null }
      >;
      return rows.map((row) => {
        const { secretHash: _secret, ...client } = toClient(row);
        return { ...client, activeGrants: row.active_grants, lastUsedAt: row.last_used_at };
      });
    });
  }

  /** Forgets a client and everything it holds; false when there is no such client. */
  revokeClient(clientId: string): boolean {
    return this.transaction((q) => this.deleteClientsIn(q, 'WHERE client_id = ?', [clientId]) > 0);
  }

  /** Forgets every client; returns how many there were. */
  revokeAllClients(): number {
    return this.transaction((q) => this.deleteClientsIn(q, '', []));
  }

  // ------------------------------------------------------------------------------ internals

  private issueIn(q: Query, grantId: string, now: number): IssuedTokens {
    this.cleanupIn(q, now);
    const accessToken = newCredential(PREFIX.accessToken);
    const refreshToken = newCredential(PREFIX.refreshToken);
    const accessExpiresAt = now + LIFETIME_MS.accessToken;
    const insert = q('INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at) VALUES (?, ?, ?, ?)');
    insert.run(credentialHash(accessToken), grantId, 'access', accessExpiresAt);
    insert.run(credentialHash(refreshToken), grantId, 'refresh', now + LIFETIME_MS.refreshToken);
    q('UPDATE oauth_grants SET last_used_at = ? WHERE grant_id = ?').run(now, grantId);
    const { scope } = q('SELECT scope FROM oauth_grants WHERE grant_id = ?').get(grantId) as { scope: string };
    return { accessToken, refreshToken, accessExpiresAt, scope };
  }

  /** Revokes a family: the grant is marked (its reason kept for the CLI), its tokens deleted. */
  private revokeGrantIn(q: Query, grantId: string, reason: string, now: number): void {
    q('UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ? WHERE grant_id = ? AND revoked_at IS NULL').run(
      now,
      reason,
      grantId,
    );
    q('DELETE FROM oauth_tokens WHERE grant_id = ?').run(grantId);
  }

  private deleteClientsIn(q: Query, where: string, params: string[]): number {
    const clients = `SELECT client_id FROM oauth_clients ${where}`;
    const grants = `SELECT grant_id FROM oauth_grants WHERE client_id IN (${clients})`;
    q(`DELETE FROM oauth_tokens WHERE grant_id IN (${grants})`).run(...params);
    q(`DELETE FROM oauth_codes WHERE grant_id IN (${grants})`).run(...params);
    q(`DELETE FROM oauth_grants WHERE client_id IN (${clients})`).run(...params);
    return Number(q(`DELETE FROM oauth_clients ${where}`).run(...params).changes);
  }

  /** Expired rows go, at most once an hour, inside a transaction that writes anyway. */
  private cleanupIn(q: Query, now: number): void {
    if (now - this.lastCleanupAt < 3_600_000) return;
    this.lastCleanupAt = now;
    q('DELETE FROM oauth_tokens WHERE expires_at <= ?').run(now);
    q('DELETE FROM oauth_codes WHERE expires_at <= ?').run(now - LIFETIME_MS.usedCodeKept);
    q(`DELETE FROM oauth_grants
        WHERE (revoked_at IS NOT NULL AND revoked_at <= ?)
           OR (created_at <= ?
               AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_grants.grant_id)
               AND NOT EXISTS (SELECT 1 FROM oauth_codes k WHERE k.grant_id = oauth_grants.grant_id))`).run(
      now - LIFETIME_MS.revokedGrantKept,
      now - LIFETIME_MS.unapprovedClient,
    );
  }

  private use<T>(fn: (q: Query) => T): T {
    const db = this.source();
    if (db === null) throw new OAuthUnavailableError('the server runs without its database');
    try {
      return fn((sql) => this.prepare(db, sql));
    } catch (err) {
      throw isDatabaseError(err) ? new OAuthUnavailableError('the database failed', { cause: err }) : err;
    }
  }

  private transaction<T>(fn: (q: Query) => T): T {
    return this.use((q) => {
      const db = this.source() as DatabaseSync;
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = fn(q);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  private prepare(db: DatabaseSync, sql: string): StatementSync {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  }
}

type Query = (sql: string) => StatementSync;

function toClient(row: ClientRow): OAuthClient {
  return {
    clientId: row.client_id,
    name: row.client_name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    authMethod: row.auth_method,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
  };
}

/** Errors of node:sqlite itself (I/O, corruption, a closed or missing table), as opposed to our bugs. */
function isDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'ERR_SQLITE_ERROR' ||
    code === 'ERR_INVALID_STATE' ||
    typeof (err as { errcode?: unknown })?.errcode === 'number'
  );
}
