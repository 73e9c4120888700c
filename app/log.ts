/**
 * Logging: winston, one JSON object per line on stdout. Secrets are scrubbed here, in one place,
 * from every line whatever field they ended up in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import winston from 'winston';

/** The part of a logger the rest of the code uses (winston's Logger satisfies it; tests can capture). */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const REDACTED = '[REDACTED]';
const MESSAGE = Symbol.for('message');

/** Fields every line gets while a piece of work runs (the HTTP request id of the request it serves). */
const context = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

/** Runs `work` with `fields` on every log line it causes, however deep (the Anova client's lines too). */
export function withLogContext<T>(fields: Readonly<Record<string, unknown>>, work: () => T): T {
  return context.run(fields, work);
}

/**
 * Runs `work` outside any log context: for work that outlives the request that started it (a
 * notification lane's delivery chain and retry timers), so its lines carry no request id.
 */
export function withoutLogContext<T>(work: () => T): T {
  return context.exit(work);
}

/**
 * The current context's fields, for work that continues outside it: a command's answer arrives
 * on the socket's own callback, not inside the request that sent it.
 */
export function logContext(): Readonly<Record<string, unknown>> {
  return context.getStore() ?? {};
}

const addContext = winston.format((info) => {
  const fields = context.getStore();
  if (fields)
    for (const [key, value] of Object.entries(fields))
      if (!(key in info)) (info as Record<string, unknown>)[key] = value;
  return info;
});

/** Error objects in fields would serialise as {}: keep their name, message and stack (logs only). */
const serializeErrors = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) {
      (info as Record<string, unknown>)[key] = { name: value.name, message: value.message, stack: value.stack };
    }
  }
  return info;
});

/**
 * Replaces every occurrence of a secret in the serialised line; cheap when none is present. The
 * line is JSON, where a `"` or `\` in a secret is escaped: `secrets` holds both forms.
 */
const scrubSecrets = winston.format((info, opts) => {
  const { secrets } = opts as { secrets: string[] };
  const line = (info as unknown as Record<symbol, unknown>)[MESSAGE];
  if (typeof line !== 'string') return info;
  let out = line;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  (info as unknown as Record<symbol, unknown>)[MESSAGE] = out;
  return info;
});

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never appear in a log line (API key, Anova token). Short values are ignored. */
  secrets?: string[];
  /** Where lines go; default stdout. Tests pass a stream to capture them. */
  stream?: NodeJS.WritableStream;
  /** Extra fields on every line, e.g. {service: 'simulator'}. */
  defaultMeta?: Record<string, unknown>;
}

export function createLogger(opts: LoggerOptions): winston.Logger {
  const raw = (opts.secrets ?? []).filter((s) => typeof s === 'string' && s.length >= 8);
  // Each in its JSON-escaped form too (as it appears inside a string of the line), which differs
  // when it holds a " or a \ (or a control character); that form first, as it is the longer.
  const secrets = [...new Set(raw.flatMap((s) => [JSON.stringify(s).slice(1, -1), s]))];
  const transport = opts.stream
    ? new winston.transports.Stream({ stream: opts.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: opts.level,
    defaultMeta: opts.defaultMeta,
    format: winston.format.combine(
      winston.format.timestamp(),
      addContext(),
      winston.format.errors({ stack: true }),
      serializeErrors(),
      winston.format.json(),
      scrubSecrets({ secrets }),
    ),
    transports: [transport],
  });
}

/** A logger that drops everything (for tools and tests that do not care). */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
