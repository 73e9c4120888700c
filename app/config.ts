/**
 * Configuration: the only reader of process.env. Validated with envalid at start-up so a bad
 * value fails fast with a clear message (and a non-zero exit) instead of misbehaving later.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { DEFAULT_ANOVA_WS_URL } from './anova/protocol';
import { cleanEnv, makeValidator, str, EnvMissingError } from 'envalid';
import { mcpConfigSpec, readMcpConfig } from './mcp/config';
import { notifyConfigFromEnv, notifySpec, type NotifyConfig, type NotifyEnv } from './notify/config';

/** Placeholders shipped in .env.example; refused so nobody runs with them by mistake. */
export const API_KEY_PLACEHOLDER = 'replace-with-output-of-generate-api-key';
export const ANOVA_TOKEN_PLACEHOLDER = 'anova-replace-with-your-personal-access-token';

export interface Config {
  port: number;
  host: string;
  apiKey: string;
  anovaToken: string;
  anovaWsUrl: string;
  anovaDeviceId: string | null;
  offlineAfterMs: number;
  pingIntervalMs: number;
  commandTimeoutMs: number;
  publicUrl: string;
  trustProxy: boolean;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Where the SQLite file lives (./data locally, /data in the image). */
  dataDir: string;
  journalRetentionDays: number;
  /** How long the water may sit more than 1 °C below the set temperature before temperature_drop. */
  dropAlertSeconds: number;
  /** Where notifications go (none configured: no notifications). */
  notify: NotifyConfig;
  /** What the owner types to approve an OAuth (MCP) client; null: the API key is asked for. */
  oauthOwnerPassword: string | null;
}

const apiKey = makeValidator<string>((value) => {
  if (value === API_KEY_PLACEHOLDER) {
    throw new Error('is still the placeholder from .env.example; generate one with `generate-api-key`');
  }
  if (value.length < 32) throw new Error('must be at least 32 characters; generate one with `generate-api-key`');
  if (/\s/.test(value)) throw new Error('must not contain whitespace');
  return value;
});

const anovaToken = makeValidator<string>((value) => {
  if (value === ANOVA_TOKEN_PLACEHOLDER) {
    throw new Error('is still the placeholder from .env.example; create a Personal Access Token in the Anova Oven app');
  }
  if (/\s/.test(value) || value.length === 0) throw new Error('must be a token without whitespace');
  return value;
});

const wsUrl = makeValidator<string>((value) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error('must be a ws:// or wss:// URL');
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new Error('must be a ws:// or wss:// URL');
  if (parsed.search) throw new Error('must not carry a query string (the token goes in ANOVA_TOKEN)');
  return value;
});

/*
 * Every validator says what is wrong in plain words ("must be ..."); envalid's own (url, bool,
 * choices) answer in its words ("Invalid bool input"), so the few we need are written here.
 */

const httpUrl = makeValidator<string>((value) => {
  const problem = 'must be a full address starting with https://, for example https://anova.example.com';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(problem);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(problem);
  return value;
});

const trueOrFalse = makeValidator<boolean>((value) => {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new Error('must be true or false');
});

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
const logLevel = makeValidator<(typeof LOG_LEVELS)[number]>((value) => {
  const v = value.trim().toLowerCase() as (typeof LOG_LEVELS)[number];
  if (!LOG_LEVELS.includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`);
  return v;
});

/** 0 asks the OS for a free port (tests, benchmarks). */
const listenPort = makeValidator<number>((value) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65_535) throw new Error('must be a port number from 0 to 65535');
  return n;
});

const numberInRange = (min: number, max: number, def: number, desc: string) =>
  makeValidator<number>((value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number from ${min} to ${max}`);
    return n;
  })({ default: def, desc });

/** What talking to Anova's cloud needs (also all that `list-devices` needs). */
const anovaSpec = {
  ANOVA_TOKEN: anovaToken({ desc: 'Anova Personal Access Token' }),
  ANOVA_WS_URL: wsUrl({ default: DEFAULT_ANOVA_WS_URL, desc: 'Anova cloud WebSocket URL' }),
  ANOVA_DEVICE_ID: str({ default: '', desc: 'cooker id to control (empty: the only cooker)' }),
  ANOVA_OFFLINE_AFTER_SECONDS: numberInRange(1, 86_400, 120, 'silence after which the cooker is offline'),
  ANOVA_PING_INTERVAL_SECONDS: numberInRange(0.05, 3_600, 30, 'WebSocket ping interval'),
  ANOVA_COMMAND_TIMEOUT_SECONDS: numberInRange(0.05, 15, 10, 'how long to wait for the cloud to answer a command'),
};

/** Where the database lives (also all that `backup` and `oauth` need). */
const dataSpec = {
  DATA_DIR: str({
    default: 'data',
    desc: 'directory of the SQLite file (cook journal, notification outbox, OAuth grants)',
  }),
};

/** The envalid spec; its keys are exactly the variables the server reads (documented in .env.example). */
const spec = {
  PORT: listenPort({ default: 3000, desc: 'HTTP port' }),
  HOST: str({ default: '0.0.0.0', desc: 'HTTP bind address' }),
  API_KEY: apiKey({ desc: 'Bearer key ChatGPT sends' }),
  ...anovaSpec,
  PUBLIC_URL: httpUrl({ default: 'http://localhost:3000', desc: 'public base URL, used in the OpenAPI servers list' }),
  TRUST_PROXY: trueOrFalse({ default: false, desc: 'trust CF-Connecting-IP for the client address' }),
  LOG_LEVEL: logLevel({ default: 'info', desc: 'error, warn, info or debug' }),
  ...dataSpec,
  JOURNAL_RETENTION_DAYS: numberInRange(1, 36_500, 365, 'days of cook history kept'),
  FOOD_SAFETY_DROP_ALERT_SECONDS: numberInRange(
    1,
    3_600,
    300,
    'seconds the water may sit more than 1 °C low before an alert',
  ),
  ...notifySpec,
  ...mcpConfigSpec,
};

export const CONFIG_VARIABLES = Object.keys(spec);

/** Thrown with every problem listed, secrets never included. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * envalid reporter that throws one ConfigError listing every problem. Our validators for the
 * secrets never echo the value; envalid's own (port, url, bool) echo only non-secret values.
 */
function throwProblems({ errors }: { errors: Partial<Record<string, Error>> }): void {
  const problems = Object.entries(errors).map(([name, err]) => {
    if (err instanceof EnvMissingError) return `${name} is required but not set`;
    const message = err?.message ?? 'is invalid';
    return /^(must|is) /.test(message) ? `${name} ${message}` : `${name}: ${message}`;
  });
  if (problems.length > 0) throw new ConfigError(problems.sort());
}

export type AnovaConfig = Pick<
  Config,
  'anovaToken' | 'anovaWsUrl' | 'anovaDeviceId' | 'offlineAfterMs' | 'pingIntervalMs' | 'commandTimeoutMs'
>;

/** Only the Anova variables (for `list-devices`, which needs no API key). */
export function loadAnovaConfig(env: Record<string, string | undefined>): AnovaConfig {
  const e = cleanEnv(env, anovaSpec, { reporter: throwProblems });
  return {
    anovaToken: e.ANOVA_TOKEN,
    anovaWsUrl: e.ANOVA_WS_URL,
    anovaDeviceId: e.ANOVA_DEVICE_ID === '' ? null : e.ANOVA_DEVICE_ID,
    offlineAfterMs: Math.round(e.ANOVA_OFFLINE_AFTER_SECONDS * 1000),
    pingIntervalMs: Math.round(e.ANOVA_PING_INTERVAL_SECONDS * 1000),
    commandTimeoutMs: Math.round(e.ANOVA_COMMAND_TIMEOUT_SECONDS * 1000),
  };
}

/** Only the notification targets (for `notify-test`, which needs no API key or Anova token). */
export function loadNotifyConfig(env: Record<string, string | undefined>): NotifyConfig {
  return notifyConfigFromEnv(cleanEnv(env, notifySpec, { reporter: throwProblems }) as NotifyEnv);
}

/** Only DATA_DIR (for the commands that work on the database file). */
export function loadDataDir(env: Record<string, string | undefined>): string {
  return cleanEnv(env, dataSpec, { reporter: throwProblems }).DATA_DIR;
}

/** Validates an environment (process.env, or a literal object in tests) into a Config. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = cleanEnv(env, spec, { reporter: throwProblems });
  return {
    port: e.PORT,
    host: e.HOST,
    apiKey: e.API_KEY,
    ...loadAnovaConfig(env),
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    journalRetentionDays: e.JOURNAL_RETENTION_DAYS,
    dropAlertSeconds: e.FOOD_SAFETY_DROP_ALERT_SECONDS,
    notify: notifyConfigFromEnv(e as unknown as NotifyEnv),
    oauthOwnerPassword: readMcpConfig(e).oauthOwnerPassword,
  };
}

/**
 * The process environment with `.env` from the working directory underneath it: a variable
 * set in the real environment wins over the file.
 */
export function environmentWithDotEnv(path = '.env'): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { ...fromFile, ...process.env };
}
