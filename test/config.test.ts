import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ANOVA_TOKEN_PLACEHOLDER,
  API_KEY_PLACEHOLDER,
  ConfigError,
  environmentWithDotEnv,
  loadConfig,
} from '../app/config';
import { NOTIFY_EVENT_NAMES } from '../app/notify/types';

const KEY = 'k'.repeat(40);
const TOKEN = 'anova-abcdefghijklmnopqrstuvwxyz';
const minimal = { API_KEY: KEY, ANOVA_TOKEN: TOKEN };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

test('defaults match the documentation', () => {
  expect(loadConfig(minimal)).toEqual({
    port: 3000,
    host: '0.0.0.0',
    apiKey: KEY,
    anovaToken: TOKEN,
    anovaWsUrl: 'wss://devices.anovaculinary.io',
    anovaDeviceId: null,
    offlineAfterMs: 120_000,
    pingIntervalMs: 30_000,
    commandTimeoutMs: 10_000,
    publicUrl: 'http://localhost:3000',
    trustProxy: false,
    logLevel: 'info',
    dataDir: 'data',
    journalRetentionDays: 365,
    dropAlertSeconds: 300,
    notify: { webhook: null, ntfy: null, events: [...NOTIFY_EVENT_NAMES] },
    oauthOwnerPassword: null,
  });
});

test('every variable is read', () => {
  const c = loadConfig({
    ...minimal,
    PORT: '8080',
    HOST: '127.0.0.1',
    ANOVA_WS_URL: 'ws://127.0.0.1:8765',
    ANOVA_DEVICE_ID: 'anova f56-0123',
    ANOVA_OFFLINE_AFTER_SECONDS: '60',
    ANOVA_PING_INTERVAL_SECONDS: '15',
    ANOVA_COMMAND_TIMEOUT_SECONDS: '12.5',
    PUBLIC_URL: 'https://anova.example.com/',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'debug',
  });
  expect(c).toMatchObject({
    port: 8080,
    host: '127.0.0.1',
    anovaWsUrl: 'ws://127.0.0.1:8765',
    anovaDeviceId: 'anova f56-0123',
    offlineAfterMs: 60_000,
    pingIntervalMs: 15_000,
    commandTimeoutMs: 12_500,
    publicUrl: 'https://anova.example.com',
    trustProxy: true,
    logLevel: 'debug',
  });
});

test('missing required variables are all listed', () => {
  expect(problems({})).toEqual(['ANOVA_TOKEN is required but not set', 'API_KEY is required but not set']);
});

test('a short API key or the placeholder is refused without echoing it', () => {
  const short = problems({ ...minimal, API_KEY: 'short-secret' });
  expect(short.join()).toMatch(/API_KEY must be at least 32 characters/);
  expect(short.join()).not.toContain('short-secret');
  expect(problems({ ...minimal, API_KEY: API_KEY_PLACEHOLDER }).join()).toMatch(/placeholder/);
  expect(problems({ ...minimal, ANOVA_TOKEN: ANOVA_TOKEN_PLACEHOLDER }).join()).toMatch(/placeholder/);
});

test.each([
  ['PORT', 'eighty'],
  ['ANOVA_WS_URL', 'https://devices.anovaculinary.io'],
  ['ANOVA_WS_URL', 'wss://devices.anovaculinary.io?token=anova-x'],
  ['ANOVA_COMMAND_TIMEOUT_SECONDS', '60'],
  ['ANOVA_OFFLINE_AFTER_SECONDS', '-1'],
  ['TRUST_PROXY', 'maybe'],
  ['LOG_LEVEL', 'verbose'],
  ['PUBLIC_URL', 'not a url'],
])('%s=%s is refused with a message naming it', (name, value) => {
  const list = problems({ ...minimal, [name]: value });
  expect(list).toHaveLength(1);
  expect(list[0].startsWith(name)).toBe(true);
});

test('.env is read when present and the real environment wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anova-env-'));
  const file = join(dir, '.env');
  writeFileSync(file, `API_KEY=${KEY}\nANOVA_TOKEN=${TOKEN}\nPORT=4000\nLOG_LEVEL=debug # comment\n`);
  process.env.PORT = '5000';
  try {
    const c = loadConfig(environmentWithDotEnv(file));
    expect(c.port).toBe(5000);
    expect(c.apiKey).toBe(KEY);
    expect(c.logLevel).toBe('debug');
  } finally {
    delete process.env.PORT;
  }
  expect(() => environmentWithDotEnv(join(dir, 'absent.env'))).not.toThrow();
});

test("every problem is said in plain words, never in the validation library's", () => {
  let problems: string[] = [];
  try {
    loadConfig({ ...minimal, PUBLIC_URL: 'notaurl', TRUST_PROXY: 'maybe', LOG_LEVEL: 'verbose', PORT: '99999' });
  } catch (err) {
    problems = (err as ConfigError).problems;
  }
  expect(problems).toEqual([
    'LOG_LEVEL must be one of error, warn, info, debug',
    'PORT must be a port number from 0 to 65535',
    'PUBLIC_URL must be a full address starting with https://, for example https://anova.example.com',
    'TRUST_PROXY must be true or false',
  ]);
});

test('a notification URL whose password holds a literal %: a ConfigError (exit 2), not a URIError', () => {
  const p = problems({ ...minimal, NOTIFY_WEBHOOK_URL: 'https://me:50%off@ha.example.com/api/webhook/x' });
  expect(p).toEqual([
    expect.stringMatching(/^NOTIFY_WEBHOOK_URL must have its user name and password percent-encoded/),
  ]);
  expect(p.join()).not.toContain('50%off');
});
