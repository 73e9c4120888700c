/**
 * The whole product over loopback: the simulator (a real WebSocket server speaking Anova's
 * protocol) and the real HTTP server on port 0 wired to it, with captured logs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/config';
import { secretsOf, startServer, type RunningServer, type StartOptions } from '../../app/main';
import { startSimulator } from '../../app/simulator/index';
import type { SimulatorHandle, SimulatorOptions } from '../../app/simulator/types';
import { captureLogger } from './logs';
import { http, type HttpRequest, type HttpResponse } from './http';
import { until } from './events';

export const TEST_API_KEY = 'test-api-key-0123456789abcdefghijklmnopqrstuvwxyz';

export interface Stack {
  sim: SimulatorHandle;
  server: RunningServer;
  logs: ReturnType<typeof captureLogger>;
  /** DATA_DIR of this server: a fresh temp dir unless the options gave one (a restart reuses it). */
  dataDir: string;
  /** Request with the API key. */
  api(req: HttpRequest): Promise<HttpResponse>;
  /** Request without any Authorization header unless given. */
  raw(req: HttpRequest): Promise<HttpResponse>;
  /** Resolves when the selected cooker is online with a state. */
  ready(): Promise<void>;
  /** Stops the server and starts a new one on the same data and simulator (a crash is tested with a real process). */
  restart(): Promise<void>;
  /** Stops the server, then the simulator unless it is kept (for a new stack on the same one). */
  close(opts?: { keepSimulator?: boolean }): Promise<void>;
}

export interface StackOptions {
  sim?: SimulatorOptions;
  /** Use this running simulator instead of starting one (`sim` is then ignored). */
  simulator?: SimulatorHandle;
  env?: Record<string, string>;
  start?: StartOptions;
  /** Wait for the cooker to be online before returning (default true). */
  waitReady?: boolean;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sim = opts.simulator ?? (await startSimulator({ pushIntervalMs: 50, heatingRateCPerMin: 600, ...opts.sim }));
  const dataDir = opts.env?.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'anova-stack-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: TEST_API_KEY,
    ANOVA_TOKEN: sim.token,
    ANOVA_WS_URL: sim.url,
    ANOVA_OFFLINE_AFTER_SECONDS: '2',
    ANOVA_PING_INTERVAL_SECONDS: '1',
    ANOVA_COMMAND_TIMEOUT_SECONDS: '2',
    PUBLIC_URL: 'https://anova.example.com',
    ...opts.env,
    DATA_DIR: dataDir,
  });
  const logs = captureLogger(secretsOf(config));
  const launch = () =>
    startServer(config, {
      logger: logs.logger,
      client: { backoff: { initialMs: 20, maxMs: 200, healthyAfterMs: 1_000 }, authRetryMs: 200 },
      ...opts.start,
    });
  const stack: Stack = {
    sim,
    server: await launch(),
    logs,
    dataDir,
    api: (req) =>
      http(stack.server.url, { ...req, headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(req.headers ?? {}) } }),
    raw: (req) => http(stack.server.url, req),
    ready: () => until(stack.server.client, 'state', () => stack.server.client.selected()?.online === true),
    restart: async () => {
      await stack.server.close();
      stack.server = await launch();
      await stack.ready();
    },
    close: async ({ keepSimulator = false } = {}) => {
      await stack.server.close();
      if (!keepSimulator) await sim.close();
    },
  };
  if (opts.waitReady !== false) await stack.ready();
  return stack;
}
