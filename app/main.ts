/**
 * Composition root: config → logger → database and journal → Anova client → cook service (with
 * its food-safety monitor) → API operations → HTTP server, plus the process's signals.
 * `startServer` is what tests and the demo call; `serve` is the CLI command.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnovaClient, type AnovaClientOptions } from './anova/client';
import { createApiOperations, type ApiOperations } from './api/operations';
import { ConfigError, environmentWithDotEnv, loadConfig, type Config } from './config';
import { CookMonitor } from './cooking/monitor';
import { planCook } from './cooking/plan';
import { parseCookPlanQuery } from './cooking/request';
import { CookService } from './cooking/service';
import { buildOpenApiDocument } from './http/openapi';
import { createHttpApp } from './http/server';
import { DataDirectoryInUseError, openDatabase, type OpenedDatabase } from './journal/database';
import { CookJournal } from './journal/journal';
import { createLogger, type Logger } from './log';
import { notifyConfigWarnings, notifySecrets } from './notify/config';
import { Notifier } from './notify/notifier';
import { createOutbox } from './notify/outbox';
import { connectNotifications } from './notify/sources';
import { VERSION } from './version';

/** In-flight requests get this long to finish on shutdown before the cloud socket is closed. */
const DRAIN_MS = 2_500;
/** Hard bound: the process is gone well inside Docker's 10 s grace period (and our 5 s promise). */
const EXIT_DEADLINE_MS = 4_500;
/**
 * A silence between two observations longer than this is time the monitor could not see (it
 * counts as danger time). Longer than the journal's one-a-minute samples, so a rebuild after a
 * restart replays them as seen time.
 */
const MONITOR_MAX_GAP_MS = 120_000;
/** Exit code for a setup that cannot run: bad configuration, or a data directory another server holds. */
export const EXIT_SETUP = 2;

export interface RunningServer {
  url: string;
  port: number;
  client: AnovaClient;
  service: CookService;
  journal: CookJournal;
  operations: ApiOperations;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish (bounded), closes the cloud socket and the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: () => number;
  /** Test knobs for the Anova client (backoff, auth retry...). */
  client?: Partial<AnovaClientOptions>;
  confirmWindowMs?: number;
  /** How often the monitor is advanced while the cooker is silent (default 15 s). */
  monitorTickMs?: number;
  /** How long samples wait in memory before a commit (default 10 min, FLUSH_INTERVAL_MS). */
  journalFlushMs?: number;
}

/**
 * Starts everything and resolves once the HTTP server listens.
 * @throws DataDirectoryInUseError when another server holds DATA_DIR.
 */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const clock = opts.clock ?? Date.now;
  for (const warning of notifyConfigWarnings(config.notify)) logger.warn('notifications', { warning });
  const database = openDatabase({ dataDir: config.dataDir, logger, clock });
  const journal = new CookJournal({
    db: database.db,
    logger,
    clock,
    retentionDays: config.journalRetentionDays,
    flushIntervalMs: opts.journalFlushMs,
  });
  const client = new AnovaClient({
    url: config.anovaWsUrl,
    token: config.anovaToken,
    deviceId: config.anovaDeviceId ?? undefined,
    offlineAfterMs: config.offlineAfterMs,
    pingIntervalMs: config.pingIntervalMs,
    commandTimeoutMs: config.commandTimeoutMs,
    logger,
    ...opts.client,
  });
  const service = new CookService({
    cooker: client,
    journal,
    // Silence longer than the staleness limit is time the monitor could not see.
    createMonitor: (plan) =>
      new CookMonitor(plan, { dropAlertSeconds: config.dropAlertSeconds, maxGapMs: MONITOR_MAX_GAP_MS }),
    clock,
    confirmWindowMs: opts.confirmWindowMs,
    tickMs: opts.monitorTickMs,
  });
  const notifier = new Notifier({ config: config.notify, logger, outbox: createOutbox(database.db), clock });
  const disconnectNotifications = connectNotifications({
    service,
    onCloudStatus: (listener) => {
      client.on('status', listener);
      return () => client.off('status', listener);
    },
    currentCookId: () => service.statusOrNull()?.cook_id ?? null,
    publish: (input) => notifier.publish(input),
  });
  service.recover();
  const operations = createApiOperations({
    service,
    journal,
    plan: (input) => ({ ...planCook(parseCookPlanQuery(input)) }),
  });
  const app = createHttpApp({
    logger,
    apiKey: config.apiKey,
    trustProxy: config.trustProxy,
    operations,
    journalHealth: () => journal.health(),
    openApiJson: JSON.stringify(buildOpenApiDocument({ publicUrl: config.publicUrl, version: VERSION })),
    version: VERSION,
    cloudConnected: () => client.cloudStatus().state === 'connected',
    clock,
    mcp: { publicUrl: config.publicUrl, database: database.db, ownerPassword: config.oauthOwnerPassword },
  });

  const server = app.listen({ port: config.port, host: config.host });
  server.keepAliveTimeout = 65_000; // longer than cloudflared's idle pool, so it never reuses a closed socket
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    disconnectNotifications();
    service.close();
    journal.close();
    database.close();
    throw err;
  }
  client.start();
  notifier.start(); // what was due when the server stopped goes out now
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info('server listening', { host: config.host, port, version: VERSION, journal: journal.health() });

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    client,
    service,
    journal,
    operations,
    logger,
    close: () =>
      (closing ??= shutdown({ server, client, service, journal, database, notifier, disconnectNotifications, logger })),
  };
}

interface Parts {
  server: Server;
  client: AnovaClient;
  service: CookService;
  journal: CookJournal;
  database: OpenedDatabase;
  notifier: Notifier;
  disconnectNotifications: () => void;
  logger: Logger;
}

async function shutdown(parts: Parts): Promise<void> {
  const { server, client, service, journal, database, notifier, logger } = parts;
  logger.info('shutting down');
  // Whatever fails on the way, the journal still commits what waits and the database closes.
  try {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Notifications still undelivered stay in the outbox and go out after the restart.
    const notifierClosed = notifier.close();
    // Observed at once: a rejection while we wait below is handled, not reported as unhandled.
    notifierClosed.catch(() => undefined);
    const drained = await Promise.race([closed.then(() => true), delay(DRAIN_MS).then(() => false)]);
    // Closing the client fails any command still waiting (CLOUD_UNREACHABLE), so those requests answer now.
    await client.close();
    if (!drained) {
      await Promise.race([closed, delay(500)]);
      server.closeAllConnections();
    }
    parts.disconnectNotifications();
    service.close();
    await notifierClosed;
  } catch (err) {
    logger.error('shutdown step failed; closing the journal anyway', { error: err });
    throw err;
  } finally {
    try {
      journal.close(); // the samples still waiting are committed here
    } finally {
      database.close();
    }
  }
  logger.info('shut down');
}

/** Every configured value that must never appear in a log line. */
export function secretsOf(config: Config): string[] {
  return [
    config.apiKey,
    config.anovaToken,
    ...notifySecrets(config.notify),
    ...(config.oauthOwnerPassword ? [config.oauthOwnerPassword] : []),
  ];
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The `serve` command: run until SIGTERM/SIGINT; exit non-zero on bad config or a crash. */
export async function serve(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(EXIT_SETUP);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  exitOnCrash(logger);
  // Handlers first: a signal that arrives while the server starts waits for it, then shuts it down.
  let running: Promise<RunningServer> | undefined;
  onSignals(async () => {
    await (await running)?.close();
  });
  running = startServer(config, { logger });
  try {
    await running;
  } catch (err) {
    if (!(err instanceof DataDirectoryInUseError)) throw err;
    logger.error('data directory in use', { dataDir: err.dataDir });
    process.stderr.write(`${err.message}\n`);
    process.exit(EXIT_SETUP);
  }
}

/** Unexpected errors are logged and end the process non-zero; Docker restarts it. */
export function exitOnCrash(logger: Logger): void {
  const die = (kind: string) => (err: unknown) => {
    logger.error(kind, { error: err });
    setTimeout(() => process.exit(1), 100).unref();
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled rejection'));
}

/** SIGTERM/SIGINT run `stop` once, then exit 0; a deadline guarantees the exit. */
export function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
