/**
 * The one command-line entry (also the container's): serve | demo | simulator | list-devices |
 * generate-api-key | check-config.
 */
import { randomBytes } from 'node:crypto';
import { AnovaClient } from './anova/client';
import { ConfigError, environmentWithDotEnv, loadAnovaConfig, loadConfig, loadDataDir } from './config';
import { backupDatabase, defaultBackupPath } from './journal/backup';
import { createLogger, silentLogger } from './log';
import type { SimulatorHandle } from './simulator/types';
import { EXIT_SETUP, exitOnCrash, onSignals, serve, startServer, type RunningServer } from './main';

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
  backup [FILE]     write a consistent copy of the database (default DATA_DIR/backups/anova-<time>.db);
                    safe while the server runs
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
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 1);
    throw err;
  }
}

/** Connects, waits for the device list (and, briefly, each cooker's first state), prints it. */
async function listDevices(): Promise<void> {
  let config;
  try {
    config = loadAnovaConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 1);
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
  if (outcome === 'auth') fail('Anova rejected ANOVA_TOKEN. Create a new Personal Access Token in the Anova Oven app.', 1);
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
  process.stdout.write('\nPut the ID of the cooker to control in ANOVA_DEVICE_ID (needed only with several cookers).\n');
}

/** `backup [FILE]`: a checked snapshot of the database, beside the running server. */
function backup(args: string[]): void {
  let dataDir: string;
  try {
    dataDir = loadDataDir(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_SETUP);
    throw err;
  }
  try {
    const result = backupDatabase(dataDir, args[0] ?? defaultBackupPath(dataDir, Date.now()));
    process.stdout.write(`Backup written: ${result.path} (${result.bytes} bytes, ${result.cooks} cooks, integrity ok)\n`);
  } catch (err) {
    fail(`Backup failed: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}

/** The API wired to an in-process simulator, with a fresh key printed once. */
async function demo(args: string[]): Promise<void> {
  const { startSimulator } = await import('./simulator/index');
  const fast = args.includes('--fast');
  const port = Number(process.env.PORT ?? 3000);
  // Handlers first: a signal during start-up waits for what is starting, then shuts it down.
  let starting: Promise<SimulatorHandle> | undefined;
  let running: Promise<RunningServer> | undefined;
  onSignals(async () => {
    await (await running)?.close();
    await (await starting)?.close();
  });
  starting = startSimulator({ timeScale: fast ? 60 : 1, controlPort: 0, heatingRateCPerMin: 2.5 });
  const simulator = await starting;
  const apiKey = generateApiKey();
  const config = loadConfig({
    PORT: String(port),
    HOST: process.env.HOST ?? '127.0.0.1',
    API_KEY: apiKey,
    ANOVA_TOKEN: simulator.token,
    ANOVA_WS_URL: simulator.url,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const logger = createLogger({ level: config.logLevel, secrets: [apiKey, simulator.token] });
  exitOnCrash(logger);
  running = startServer(config, { logger });
  const base = (await running).url;
  const auth = `-H "Authorization: Bearer ${apiKey}"`;
  process.stdout.write(
    [
      '',
      '=== Anova Control Server: demo with a simulated cooker (no Anova account needed) ===',
      `API:        ${base}   (OpenAPI: ${base}/openapi.json)`,
      `Simulator:  control API ${simulator.controlUrl}   (time ${fast ? 'runs 60x faster' : 'is real time; use --fast for 60x'})`,
      `API key:    ${apiKey}`,
      '            (printed once; a new one is made each run)',
      '',
      'Try:',
      `  curl -s ${base}/health`,
      `  curl -s ${auth} -H "Content-Type: application/json" -d '{"temperature_celsius":65,"time_minutes":90,"food_type":"chicken breast"}' ${base}/start-cook`,
      `  curl -s ${auth} ${base}/status`,
      `  curl -s ${auth} -X POST ${base}/stop-cook`,
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
