/**
 * The one command-line entry (also the container's): serve | demo | simulator | list-devices |
 * generate-api-key | check-config.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AnovaClient } from './anova/client';
import {
  API_KEY_PLACEHOLDER,
  ConfigError,
  environmentWithDotEnv,
  loadAnovaConfig,
  loadConfig,
  loadDataDir,
  loadNotifyConfig,
  type Config,
} from './config';
import { backupDatabase, defaultBackupPath, restoreDatabase, scratchBackupPath } from './journal/backup';
import { DataDirectoryInUseError } from './journal/database';
import { describeNotifyConfig, notifyConfigWarnings, notifySecrets, type NotifyConfig } from './notify/config';
import { oauthList, oauthRevoke } from './mcp/cli';
import { runNotifyTest } from './notify/notify-test';
import { createLogger, silentLogger } from './log';
import type { SimulatorHandle } from './simulator/types';
import { EXIT_SETUP, exitOnCrash, onSignals, secretsOf, serve, startServer, type RunningServer } from './main';

const USAGE = `Anova Control Server

Usage: node dist/app/cli.js <command>

Commands:
  serve             run the HTTP API (default; configured by environment variables / .env)
  demo [--fast]     run the API against the built-in simulated cooker; no account needed
                    (--fast: simulated time runs 60x, a 90-minute cook takes 90 s)
  simulator         run only the simulated Anova cloud (see docs/simulator.md)
  list-devices      connect with ANOVA_TOKEN and list the cookers on the account
  generate-api-key  print a new random API key for API_KEY
  check-config      validate the environment and say what is wrong (never prints secrets)
  oauth list        list the OAuth (MCP) clients that were granted access
  oauth revoke ID   revoke one client's access (ID from oauth list), or all of them with "all"
  notify-test       send a test notification to every configured target (NOTIFY_* variables)
  backup [FILE|-]   write a consistent copy of the database (default DATA_DIR/backups/anova-<time>.db,
                    - for stdout); safe while the server runs
  restore FILE|-    put a backup in place of the database (server stopped; the old file is kept)
`;

export function generateApiKey(): string {
  return `sk-anova-${randomBytes(32).toString('base64url')}`;
}

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function checkConfig(): void {
  try {
    const c = loadConfig(environmentWithDotEnv());
    process.stdout.write(
      [
        'Configuration OK.',
        `  listening on      ${c.host}:${c.port}`,
        `  public URL        ${c.publicUrl}`,
        `  API_KEY           set (${c.apiKey.length} characters)`,
        `  ANOVA_TOKEN       set (${c.anovaToken.startsWith('anova-') ? 'starts with anova-' : 'does NOT start with anova-: check it'})`,
        `  Anova cloud       ${new URL(c.anovaWsUrl).host}`,
        `  cooker            ${c.anovaDeviceId ?? '(the only one on the account)'}`,
        `  trust proxy       ${c.trustProxy}`,
        `  log level         ${c.logLevel}`,
        `  data directory    ${c.dataDir} (history kept ${c.journalRetentionDays} days)`,
        `  OAuth approval    ${c.oauthOwnerPassword ? 'OAUTH_OWNER_PASSWORD set' : 'asks for the API key (OAUTH_OWNER_PASSWORD not set)'}`,
        ...describeNotifyConfig(c.notify),
        ...warnings(c).map((w) => `  warning: ${w}`),
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
}

/** Settings that run but are probably not what the person wants. */
function warnings(c: Config): string[] {
  const out = notifyConfigWarnings(c.notify);
  if (!c.publicUrl.startsWith('https://')) {
    out.push('PUBLIC_URL is not https: ChatGPT Actions and MCP connectors need the https address of the tunnel');
  }
  return out;
}

/** `oauth list` / `oauth revoke <client_id|all>`: the MCP clients granted access, in DATA_DIR's database. */
function oauth(args: string[]): void {
  const dataDir = dataDirOrExit();
  const io = { dataDir, out: process.stdout, err: process.stderr };
  const [verb, target] = args;
  if (verb === 'list') process.exitCode = oauthList(io);
  else if (verb === 'revoke') process.exitCode = oauthRevoke({ ...io, target });
  else fail('Usage: oauth list | oauth revoke <client_id|all>', EXIT_SETUP);
}

/** `notify-test`: one test notification to every configured target, and what became of it. */
async function notifyTest(): Promise<void> {
  let config: NotifyConfig;
  try {
    config = loadNotifyConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
  const logger = createLogger({ level: 'warn', secrets: notifySecrets(config), stream: process.stderr });
  process.exitCode = await runNotifyTest(config, process.stdout, logger);
}

/** Connects, waits for the device list (and, briefly, each cooker's first state), prints it. */
async function listDevices(): Promise<void> {
  let config;
  try {
    config = loadAnovaConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
  const client = new AnovaClient({
    url: config.anovaWsUrl,
    token: config.anovaToken,
    offlineAfterMs: config.offlineAfterMs,
    pingIntervalMs: config.pingIntervalMs,
    commandTimeoutMs: config.commandTimeoutMs,
    logger: silentLogger,
  });
  const outcome = await new Promise<'listed' | 'auth' | 'timeout'>((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => resolve('timeout'), 15_000);
    const done = (result: 'listed' | 'auth') => {
      clearTimeout(timer);
      clearTimeout(settle);
      resolve(result);
    };
    const everyCookerHasState = () => client.devices().every((d) => client.snapshot(d.cookerId)?.state);
    client.on('status', (s) => s.state === 'auth_failed' && done('auth'));
    client.on('devices', () => {
      // Each cooker's last state follows the list within a moment; wait for them, briefly.
      if (everyCookerHasState()) return done('listed');
      settle ??= setTimeout(() => done('listed'), 3_000);
    });
    client.on('state', () => client.devices().length > 0 && everyCookerHasState() && done('listed'));
    client.start();
  });
  const devices = client.devices();
  const states = new Map(devices.map((d) => [d.cookerId, client.snapshot(d.cookerId)]));
  await client.close();
  if (outcome === 'auth')
    fail('Anova rejected ANOVA_TOKEN. Create a new Personal Access Token in the Anova Oven app.', 1);
  if (outcome === 'timeout') fail("No answer from Anova's cloud within 15 s. Check the network and ANOVA_WS_URL.", 1);
  if (devices.length === 0) {
    process.stdout.write('No cookers on this account. Pair one in the Anova app first.\n');
    return;
  }
  const rows = devices.map((d) => {
    const s = states.get(d.cookerId);
    return [d.cookerId, d.name, d.type, s ? (s.online ? 'online' : 'offline') : 'no state yet'];
  });
  const header = ['ID', 'NAME', 'TYPE', 'ONLINE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
  }
  process.stdout.write(
    '\nPut the ID of the cooker to control in ANOVA_DEVICE_ID (needed only with several cookers).\n',
  );
}

function dataDirOrExit(): string {
  try {
    return loadDataDir(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
}

/** `backup [FILE|-]`: a checked snapshot of the database, beside the running server; `-` streams it to stdout. */
async function backup(args: string[]): Promise<void> {
  const dataDir = dataDirOrExit();
  const toStdout = args[0] === '-';
  const dest = toStdout ? scratchBackupPath(dataDir, Date.now()) : (args[0] ?? defaultBackupPath(dataDir, Date.now()));
  let result;
  try {
    result = backupDatabase(dataDir, dest);
  } catch (err) {
    fail(`Backup failed: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  const summary = `(${result.bytes} bytes, ${result.cooks} cooks, integrity ok)`;
  if (!toStdout) {
    process.stdout.write(`Backup written: ${result.path} ${summary}\n`);
    return;
  }
  try {
    await pipeline(createReadStream(dest), process.stdout);
  } finally {
    rmSync(dest, { force: true });
  }
  process.stderr.write(`Backup streamed to stdout ${summary}\n`);
}

/** `restore FILE|-`: puts a backup in place of the database (the server must be stopped); keeps the old file. */
async function restore(args: string[]): Promise<void> {
  const dataDir = dataDirOrExit();
  if (args[0] === undefined) fail('Usage: restore FILE (or - to read the backup from stdin)', EXIT_SETUP);
  const fromStdin = args[0] === '-';
  const source = fromStdin ? join(dataDir, `.incoming-${process.pid}.db`) : args[0];
  // fail() exits at once: it runs only after the finally below has removed the scratch copy.
  let failure: string;
  try {
    if (fromStdin) {
      mkdirSync(dataDir, { recursive: true });
      await pipeline(process.stdin, createWriteStream(source, { mode: 0o600 }));
    }
    const result = restoreDatabase(dataDir, source, Date.now());
    const kept = result.previous ? ` The database it replaced is kept as ${result.previous}.` : '';
    process.stdout.write(`Restored ${result.cooks} cooks into ${dataDir}.${kept}\n`);
    return;
  } catch (err) {
    failure =
      err instanceof DataDirectoryInUseError
        ? `${err.message} (docker compose stop app)`
        : String((err as Error).message ?? err);
  } finally {
    if (fromStdin) rmSync(source, { force: true });
  }
  fail(`Restore failed: ${failure}`, 1);
}

/** `demo --fast`: simulated time runs this many times faster than real time. */
const FAST_SCALE = 60;
/**
 * The real cloud pushes a cooking state about every 2 s. The simulator's push interval is real
 * time, so --fast shortens it to keep 2 s of simulated time between pushes: at the default 2 real
 * seconds a push would be 2 simulated minutes apart, and the food-safety monitor would count
 * every gap as time it could not see the cooker.
 */
const FAST_PUSH_INTERVAL_MS = Math.floor(2000 / FAST_SCALE);

/** The API wired to an in-process simulator, with a fresh key printed once. */
async function demo(args: string[]): Promise<void> {
  const { startSimulator } = await import('./simulator/index');
  const fast = args.includes('--fast');
  const env = environmentWithDotEnv();
  const port = Number(env.PORT ?? 3000);
  // Handlers first: a signal during start-up waits for what is starting, then shuts it down.
  let starting: Promise<SimulatorHandle> | undefined;
  let running: Promise<RunningServer> | undefined;
  onSignals(async () => {
    await (await running)?.close();
    await (await starting)?.close();
  });
  starting = startSimulator({
    controlPort: 0,
    heatingRateCPerMin: 2.5,
    ...(fast ? { timeScale: FAST_SCALE, pushIntervalMs: FAST_PUSH_INTERVAL_MS } : {}),
  });
  const simulator = await starting;
  // A set API_KEY is kept, so a Custom GPT pointed at the demo keeps working across restarts.
  const apiKey = env.API_KEY && env.API_KEY !== API_KEY_PLACEHOLDER ? env.API_KEY : generateApiKey();
  let config: Config;
  try {
    config = loadConfig({
      ...env,
      PORT: String(port),
      HOST: env.HOST ?? '127.0.0.1',
      API_KEY: apiKey,
      ANOVA_TOKEN: simulator.token,
      ANOVA_WS_URL: simulator.url,
      ANOVA_DEVICE_ID: '',
      PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${port}`,
      DATA_DIR: env.DATA_DIR ?? 'data/demo', // apart from a real cooker's journal
      ...(fast ? { ANOVA_OFFLINE_AFTER_SECONDS: String(120 * FAST_SCALE) } : {}),
    });
  } catch (err) {
    await simulator.close();
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  exitOnCrash(logger);
  // With --fast the whole server lives on the simulator's clock, so estimates, the journal and the
  // food-safety monitor count simulated minutes (the client's staleness limit is scaled to match).
  const clock = () => simulator.now();
  running = startServer(config, { logger, ...(fast ? { clock, client: { clock } } : {}) });
  const base = (await running).url;
  const auth = `-H "Authorization: Bearer ${apiKey}"`;
  process.stdout.write(
    [
      '',
      '=== Anova Control Server: demo with a simulated cooker (no Anova account needed) ===',
      `API:        ${base}   (OpenAPI: ${base}/openapi.json, MCP: ${base}/mcp)`,
      `Simulator:  control API ${simulator.controlUrl}   (time ${fast ? 'runs 60x faster' : 'is real time; use --fast for 60x'})`,
      `API key:    ${apiKey}`,
      apiKey === env.API_KEY
        ? '            (API_KEY from the environment)'
        : '            (printed once; a new one is made each run unless API_KEY is set)',
      `Journal:    ${config.dataDir}`,
      '',
      'Try:',
      `  curl -s ${base}/health`,
      `  curl -s ${auth} "${base}/cook-plan?temperature_celsius=65&food_type=chicken%20breast&thickness_mm=25"`,
      `  curl -s ${auth} -H "Content-Type: application/json" -d '{"temperature_celsius":65,"time_minutes":90,"food_type":"chicken breast","thickness_mm":25}' ${base}/start-cook`,
      `  curl -s ${auth} ${base}/status`,
      `  curl -s ${auth} -X POST ${base}/stop-cook`,
      `  curl -s ${auth} ${base}/cooks`,
      '',
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
}

export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'demo':
      return demo(rest);
    case 'simulator': {
      const { runSimulatorFromEnv } = await import('./simulator/main');
      const handle = await runSimulatorFromEnv(process.env, process.stdout);
      onSignals(() => handle.close());
      return;
    }
    case 'list-devices':
      return listDevices();
    case 'generate-api-key':
      process.stdout.write(`${generateApiKey()}\n`);
      return;
    case 'check-config':
      return checkConfig();
    case 'backup':
      return backup(rest);
    case 'restore':
      return restore(rest);
    case 'notify-test':
      return notifyTest();
    case 'oauth':
      return oauth(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      fail(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
