/**
 * The database schema, as an ordered list of migrations. `PRAGMA user_version` holds the number
 * of the last one applied; on open, every later one runs in its own transaction, in order. A
 * migration is never edited once released: a change is a new entry at the end.
 *
 * One SQLite file holds everything that must outlive a restart: the cook journal (v1), the
 * notification outbox (v2) and the OAuth grants of MCP clients (v3).
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  /** 1, 2, 3...: equal to its position in MIGRATIONS + 1. */
  readonly version: number;
  readonly description: string;
  /** Runs inside a transaction; throwing rolls it back and leaves user_version as it was. */
  up(db: DatabaseSync): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'cook journal: cooks, events, samples',
    up(db) {
      db.exec(`
        CREATE TABLE cooks (
          id              INTEGER PRIMARY KEY,
          cook_id         TEXT NOT NULL UNIQUE,          -- the public uuid
          cooker_id       TEXT NOT NULL,
          started_at      INTEGER NOT NULL,              -- epoch ms
          ended_at        INTEGER,
          end_reason      TEXT NOT NULL DEFAULT 'running',
          target_celsius  REAL NOT NULL,
          time_minutes    INTEGER NOT NULL,
          food_type       TEXT,
          thickness_mm    REAL NOT NULL,
          thickness_assumed INTEGER NOT NULL,
          categories      TEXT NOT NULL,                 -- JSON array
          governing_rule  TEXT,                          -- e.g. "FS-5", or null
          warnings        TEXT NOT NULL,                 -- JSON array of {code, message}
          request         TEXT NOT NULL,                 -- JSON: the validated request
          estimated_completion_at INTEGER,
          pasteurised     INTEGER,                       -- null: not tracked
          alerts_seen     TEXT NOT NULL DEFAULT '[]'     -- JSON array
        );
        CREATE INDEX cooks_by_start ON cooks (started_at);
        CREATE TABLE events (
          cook      INTEGER NOT NULL REFERENCES cooks (id) ON DELETE CASCADE,
          at        INTEGER NOT NULL,
          seq       INTEGER NOT NULL,                     -- order of events in the same millisecond
          type      TEXT NOT NULL,
          detail    TEXT NOT NULL,                        -- JSON object
          PRIMARY KEY (cook, at, seq)
        ) WITHOUT ROWID;
        CREATE TABLE samples (
          cook      INTEGER NOT NULL REFERENCES cooks (id) ON DELETE CASCADE,
          at        INTEGER NOT NULL,
          state     TEXT NOT NULL,                        -- idle | preheating | cooking | done | unknown | offline
          water_celsius  REAL,
          target_celsius REAL,
          core_celsius   REAL,
          PRIMARY KEY (cook, at)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: 'notification outbox: undelivered notifications survive a restart',
    up(db) {
      // One insert per notification, one update (a target settled) or delete (all settled) per
      // delivery: few, small writes on an SD card. Nothing here is a secret: the body is what
      // the receiver gets; URLs, the webhook secret and the ntfy token stay in the configuration.
      db.exec(`
        CREATE TABLE notification_outbox (
          seq         INTEGER PRIMARY KEY,               -- delivery order
          event_id    TEXT NOT NULL UNIQUE,              -- X-Anova-Event-Id: the same on every retry and restart
          event       TEXT NOT NULL,                     -- e.g. cook_done
          created_at  INTEGER NOT NULL,                  -- epoch ms
          targets     TEXT NOT NULL,                     -- targets not yet settled, comma list: webhook,ntfy
          body        TEXT NOT NULL                      -- the webhook JSON exactly as sent (the signed bytes)
        );
      `);
    },
  },
  {
    version: 3,
    description: 'OAuth for MCP clients: registered clients, approvals (grants), codes and tokens',
    up(db) {
      // Written by app/oauth/store.ts (docs/mcp.md). No secret is stored: codes, tokens and client
      // secrets are 256-bit random values kept as their SHA-256 (BLOB), so a copy of the file
      // (a backup) gives no access. Rows are few: one client per connector, a grant per approval,
      // one access and one refresh token per grant and hour at most.
      db.exec(`
        CREATE TABLE oauth_clients (
          client_id      TEXT PRIMARY KEY,
          client_name    TEXT NOT NULL,
          redirect_uris  TEXT NOT NULL,                  -- JSON array; matched exactly
          auth_method    TEXT NOT NULL,                  -- none | client_secret_post | client_secret_basic
          secret_hash    BLOB,                           -- SHA-256 of the client secret; null for public clients
          created_at     INTEGER NOT NULL                -- epoch ms
        );
        CREATE TABLE oauth_grants (                      -- one approval by the owner: a family of tokens
          grant_id       TEXT PRIMARY KEY,
          client_id      TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
          scope          TEXT NOT NULL,
          resource       TEXT NOT NULL,
          created_at     INTEGER NOT NULL,
          last_used_at   INTEGER NOT NULL,               -- last tokens issued
          revoked_at     INTEGER,
          revoked_reason TEXT
        );
        CREATE INDEX oauth_grants_by_client ON oauth_grants (client_id);
        CREATE TABLE oauth_codes (
          code_hash      BLOB PRIMARY KEY,
          grant_id       TEXT NOT NULL REFERENCES oauth_grants (grant_id) ON DELETE CASCADE,
          redirect_uri   TEXT NOT NULL,
          code_challenge TEXT NOT NULL,                  -- PKCE S256
          expires_at     INTEGER NOT NULL,
          used_at        INTEGER                         -- single use: a second use revokes the grant
        ) WITHOUT ROWID;
        CREATE INDEX oauth_codes_by_grant ON oauth_codes (grant_id);
        CREATE TABLE oauth_tokens (
          token_hash     BLOB PRIMARY KEY,
          grant_id       TEXT NOT NULL REFERENCES oauth_grants (grant_id) ON DELETE CASCADE,
          kind           TEXT NOT NULL,                  -- access | refresh
          expires_at     INTEGER NOT NULL,
          used_at        INTEGER                         -- refresh: rotated; a second use revokes the grant
        ) WITHOUT ROWID;
        CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
      `);
    },
  },
];
