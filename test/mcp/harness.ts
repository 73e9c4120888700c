/**
 * The whole product over loopback with /mcp mounted, as app/main.ts composes it (startServer):
 * the simulator, the real database and journal in a temporary DATA_DIR, the Anova client, the
 * cook service, the API operations and the real HTTP app on port 0. A clock that tests can move
 * forward (token expiry) drives all of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AnovaClient } from '../../app/anova/client';
import type { ApiOperations } from '../../app/api/operations';
import { DATABASE_FILE } from '../../app/journal/database';
import type { SimulatorHandle, SimulatorOptions } from '../../app/simulator/types';
import type { HttpRequest, HttpResponse } from '../helpers/http';
import type { captureLogger } from '../helpers/logs';
import { startStack, TEST_API_KEY } from '../helpers/stack';

export { TEST_API_KEY };
export const PUBLIC_URL = 'https://anova.example.com';
export const OWNER_PASSWORD = 'owner-password-for-tests-7f3a';

export interface McpStackOptions {
  /** OAUTH_OWNER_PASSWORD (default OWNER_PASSWORD); null: the approval page asks for the API key. */
  ownerPassword?: string | null;
  /** Reuse a data directory (a restart); default: a fresh temporary one. */
  dataDir?: string;
  /** Run as if the database could not be opened (the journal degraded). */
  withoutDatabase?: boolean;
  trustProxy?: boolean;
  sim?: SimulatorOptions;
  /** Wait for the cooker to be online (default true). */
  waitReady?: boolean;
}

export interface McpStack {
  url: string;
  mcpUrl: URL;
  sim: SimulatorHandle;
  logs: ReturnType<typeof captureLogger>;
  dataDir: string;
  /** A second connection to the server's database file, for looking inside it; null when degraded. */
  db: DatabaseSync | null;
  client: AnovaClient;
  operations: ApiOperations;
  /** Moves every clock of the stack forward. */
  advance(ms: number): void;
  now(): number;
  raw(req: HttpRequest): Promise<HttpResponse>;
  api(req: HttpRequest): Promise<HttpResponse>;
  ready(): Promise<void>;
  /** Closes the server and the database; keepSimulator leaves the simulator for a restart. */
  close(opts?: { keepDataDir?: boolean; keepSimulator?: boolean }): Promise<void>;
}

export async function startMcpStack(opts: McpStackOptions = {}, existingSim?: SimulatorHandle): Promise<McpStack> {
  const ownerPassword = opts.ownerPassword === undefined ? OWNER_PASSWORD : opts.ownerPassword;
  let offset = 0;
  const clock = () => Date.now() + offset;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'anova-mcp-'));
  // A data directory under a regular file cannot be created: the journal runs degraded.
  if (opts.withoutDatabase) writeFileSync(join(dataDir, 'not-a-directory'), '');
  const stack = await startStack({
    simulator: existingSim,
    sim: opts.sim,
    env: {
      PUBLIC_URL,
      TRUST_PROXY: String(opts.trustProxy ?? true),
      DATA_DIR: opts.withoutDatabase ? join(dataDir, 'not-a-directory', 'data') : dataDir,
      ...(ownerPassword ? { OAUTH_OWNER_PASSWORD: ownerPassword } : {}),
    },
    start: { clock },
    waitReady: opts.waitReady,
  });
  const db = opts.withoutDatabase ? null : new DatabaseSync(join(dataDir, DATABASE_FILE));
  const { url, client, operations } = stack.server;
  return {
    url,
    mcpUrl: new URL('/mcp', url),
    sim: stack.sim,
    logs: stack.logs,
    dataDir,
    db,
    client,
    operations,
    advance: (ms) => {
      offset += ms;
    },
    now: clock,
    raw: stack.raw,
    api: stack.api,
    ready: stack.ready,
    close: async ({ keepDataDir = false, keepSimulator = false } = {}) => {
      db?.close();
      await stack.close({ keepSimulator });
      if (!keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Era = 'legacy' | 'modern';

/** The SDK's own client over real HTTP, in one protocol era, authenticated with `token`. */
export async function connectMcp(
  mcpUrl: URL,
  token: string,
  era: Era,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client(
    { name: 'anova-jest', version: '1.0.0' },
    era === 'modern'
      ? { versionNegotiation: { mode: { pin: '2026-07-28' } } }
      : { versionNegotiation: { mode: 'legacy' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl, {
      requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  return client;
}

/** A JSON-RPC initialize POST by hand (for status codes and headers the SDK client hides). */
export function initializeBody(id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
}

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
