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
import { loadConfig } from '../../app/config';
import { DATABASE_FILE } from '../../app/journal/database';
import { startServer } from '../../app/main';
import { startSimulator } from '../../app/simulator/index';
import type { SimulatorHandle, SimulatorOptions } from '../../app/simulator/types';
import { until } from '../helpers/events';
import { http, type HttpRequest, type HttpResponse } from '../helpers/http';
import { captureLogger } from '../helpers/logs';
import { TEST_API_KEY } from '../helpers/stack';

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
  const sim = existingSim ?? (await startSimulator({ pushIntervalMs: 50, heatingRateCPerMin: 600, ...opts.sim }));
  const ownerPassword = opts.ownerPassword === undefined ? OWNER_PASSWORD : opts.ownerPassword;
  const logs = captureLogger([TEST_API_KEY, sim.token, ...(ownerPassword ? [ownerPassword] : [])]);
  let offset = 0;
  const clock = () => Date.now() + offset;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'anova-mcp-'));
  // A data directory under a regular file cannot be created: the journal runs degraded.
  if (opts.withoutDatabase) writeFileSync(join(dataDir, 'not-a-directory'), '');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: TEST_API_KEY,
    ANOVA_TOKEN: sim.token,
    ANOVA_WS_URL: sim.url,
    ANOVA_OFFLINE_AFTER_SECONDS: '2',
    ANOVA_PING_INTERVAL_SECONDS: '1',
    ANOVA_COMMAND_TIMEOUT_SECONDS: '2',
    PUBLIC_URL,
    TRUST_PROXY: String(opts.trustProxy ?? true),
    DATA_DIR: opts.withoutDatabase ? join(dataDir, 'not-a-directory', 'data') : dataDir,
    ...(ownerPassword ? { OAUTH_OWNER_PASSWORD: ownerPassword } : {}),
  });
  const server = await startServer(config, {
    logger: logs.logger,
    clock,
    client: { backoff: { initialMs: 20, maxMs: 200, healthyAfterMs: 1_000 }, authRetryMs: 200 },
  });
  const db = opts.withoutDatabase ? null : new DatabaseSync(join(dataDir, DATABASE_FILE));
  const { url, client, operations } = server;
  const stack: McpStack = {
    url,
    mcpUrl: new URL('/mcp', url),
    sim,
    logs,
    dataDir,
    db,
    client,
    operations,
    advance: (ms) => {
      offset += ms;
    },
    now: clock,
    raw: (req) => http(url, req),
    api: (req) => http(url, { ...req, headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(req.headers ?? {}) } }),
    ready: () => until(client, 'state', () => client.selected()?.online === true),
    close: async ({ keepDataDir = false, keepSimulator = false } = {}) => {
      db?.close();
      await server.close();
      if (!keepSimulator) await sim.close();
      if (!keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.waitReady !== false) await stack.ready();
  return stack;
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
