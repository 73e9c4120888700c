/**
 * The standalone simulator (`cli.ts simulator`, the Docker demo stack): settings from SIM_*
 * environment variables, a start-up banner with everything needed to connect, and a clean stop
 * on SIGTERM/SIGINT. The banner is the one place a token is ever printed.
 */
import { createLogger, type LogLevel } from '../log';
import { MAX_TIME_SCALE, MIN_TIME_SCALE } from './clock';
import { COOKER_TYPES } from './fleet';
import { randomSimToken, startSimulator } from './index';
import { TOKEN_PREFIX } from './tokens';
import type { SimCookerType, SimulatorHandle } from './types';

export interface SimulatorEnvConfig {
  host: string;
  port: number;
  /** null: no control API (SIM_CONTROL_PORT=off). */
  controlPort: number | null;
  token: string;
  cookers: SimCookerType[];
  timeScale: number;
  pushIntervalMs: number;
  logLevel: LogLevel;
}

export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid simulator settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Reads and checks every SIM_* variable; throws one error listing all the problems. */
export function parseSimulatorEnv(env: Env): SimulatorEnvConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const check = <T>(name: string, fallback: T, read: (raw: string) => T | undefined, expected: string): T => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = read(raw);
    if (parsed !== undefined) return parsed;
    problems.push(`${name} ${expected} (got "${name === 'SIM_TOKEN' ? '…' : raw}")`);
    return fallback;
  };
  const port = (raw: string) => (/^\d+$/.test(raw) && Number(raw) <= 65_535 ? Number(raw) : undefined);

  const config: SimulatorEnvConfig = {
    host: check('SIM_HOST', '127.0.0.1', (raw) => (/\s/.test(raw) ? undefined : raw), 'must be a host name or address'),
    port: check('SIM_PORT', 8765, port, 'must be a port number from 0 to 65535'),
    controlPort: check<number | null>(
      'SIM_CONTROL_PORT',
      8766,
      (raw) => (raw.toLowerCase() === 'off' ? null : port(raw)),
      'must be a port number from 0 to 65535, or "off"',
    ),
    token: check(
      'SIM_TOKEN',
      '',
      (raw) => (raw.startsWith(TOKEN_PREFIX) && raw.length > TOKEN_PREFIX.length && !/\s/.test(raw) ? raw : undefined),
      `must start with "${TOKEN_PREFIX}" and hold no spaces`,
    ),
    cookers: check(
      'SIM_COOKERS',
      ['a7'],
      (raw) => {
        const types = raw.split(',').map((t) => t.trim().toLowerCase());
        return types.every((t) => COOKER_TYPES.includes(t as SimCookerType)) ? (types as SimCookerType[]) : undefined;
      },
      `must be a comma list of cooker types (${COOKER_TYPES.join(', ')})`,
    ),
    timeScale: check(
      'SIM_TIME_SCALE',
      1,
      (raw) => {
        const n = Number(raw);
        return Number.isFinite(n) && n >= MIN_TIME_SCALE && n <= MAX_TIME_SCALE ? n : undefined;
      },
      `must be a number from ${MIN_TIME_SCALE} to ${MAX_TIME_SCALE}`,
    ),
    pushIntervalMs: check(
      'SIM_PUSH_INTERVAL_MS',
      2000,
      (raw) => (/^\d+$/.test(raw) && Number(raw) >= 10 && Number(raw) <= 3_600_000 ? Number(raw) : undefined),
      'must be a whole number of milliseconds from 10 to 3600000',
    ),
    logLevel: check(
      'SIM_LOG_LEVEL',
      'info',
      (raw) => (LOG_LEVELS.includes(raw as LogLevel) ? (raw as LogLevel) : undefined),
      `must be one of ${LOG_LEVELS.join(', ')}`,
    ),
  };
  if (problems.length > 0) throw new SimulatorConfigError(problems);
  return { ...config, token: config.token || randomSimToken() };
}

export interface RunningSimulator {
  readonly simulator: SimulatorHandle;
  /** Stops everything (also what SIGTERM/SIGINT do); safe to call twice. */
  close(): Promise<void>;
  /** Settles once the simulator has stopped, however it was stopped. */
  readonly stopped: Promise<void>;
}

export async function runSimulatorFromEnv(
  env: Env = process.env,
  out: NodeJS.WritableStream = process.stdout,
): Promise<RunningSimulator> {
  const config = parseSimulatorEnv(env);
  const logger = createLogger({
    level: config.logLevel,
    stream: out,
    secrets: [config.token],
    defaultMeta: { service: 'simulator' },
  });
  const simulator = await startSimulator({
    host: config.host,
    port: config.port,
    controlPort: config.controlPort,
    tokens: [config.token],
    cookers: config.cookers.map((type) => ({ type })),
    timeScale: config.timeScale,
    pushIntervalMs: config.pushIntervalMs,
    logger,
  });
  out.write(banner(simulator, config));

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await simulator.close();
      out.write('Simulator stopped.\n');
      resolveStopped();
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    out.write(`\n${signal} received: stopping the simulator.\n`);
    void close();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { simulator, close, stopped };
}

function banner(sim: SimulatorHandle, config: SimulatorEnvConfig): string {
  const cookers = sim.cookers().map((c) => `${c.type} ${c.cookerId} (${c.name})`);
  const control = sim.controlUrl;
  const lines = [
    '',
    "Anova cloud simulator running (simulated cookers, not Anova's cloud).",
    '',
    `  WebSocket URL  ${sim.url}`,
    `  ANOVA_TOKEN    ${sim.token}`,
    `  Control API    ${control ?? 'off'}`,
    `  Cookers        ${cookers.join('\n                 ')}`,
    `  Time           ${config.timeScale}x real time, a state push every ${config.pushIntervalMs} ms`,
    '',
    'Point the server at it:',
    `  API_KEY=<any 32+ characters> ANOVA_WS_URL=${sim.url} ANOVA_TOKEN=${sim.token} npm start`,
  ];
  if (control) {
    const id = encodeURIComponent(sim.cookers()[0]?.cookerId ?? '<cookerId>');
    lines.push(
      '',
      'Drive it:',
      `  curl -s ${control}/                                   # status`,
      `  curl -s -X POST ${control}/time-scale -d '{"scale":60}'  # an hour per minute`,
      `  curl -s -X POST ${control}/cookers/${id}/unplug`,
    );
  }
  lines.push('', 'Stop with Ctrl-C. Details: docs/simulator.md', '', '');
  return lines.join('\n');
}
