/**
 * Shared set-up for the AnovaClient suites: a real simulator on loopback, a client with
 * accelerated timings, and a logger that keeps every line in memory (synchronously, so a test
 * can assert on a log line right after the event that caused it).
 */
import { AnovaClient, type AnovaClientOptions } from '../../app/anova/client';
import { CookerError, type CookerErrorCode } from '../../app/cooking/cooker';
import type { Logger } from '../../app/log';
import { startSimulator } from '../../app/simulator/index';
import type { SimulatorHandle, SimulatorOptions } from '../../app/simulator/types';
import { until, waitForEvent } from '../helpers/events';

export { until, waitForEvent };

export type Level = 'error' | 'warn' | 'info' | 'debug';

export interface LogRecord {
  level: Level;
  message: string;
  meta: Record<string, unknown>;
}

export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];
  error(message: string, meta: Record<string, unknown> = {}) {
    this.records.push({ level: 'error', message, meta });
  }
  warn(message: string, meta: Record<string, unknown> = {}) {
    this.records.push({ level: 'warn', message, meta });
  }
  info(message: string, meta: Record<string, unknown> = {}) {
    this.records.push({ level: 'info', message, meta });
  }
  debug(message: string, meta: Record<string, unknown> = {}) {
    this.records.push({ level: 'debug', message, meta });
  }
  named(message: string): LogRecord[] {
    return this.records.filter((r) => r.message === message);
  }
  /** Everything logged, serialised, to look for secrets. */
  text(): string {
    return this.records.map((r) => JSON.stringify(r)).join('\n');
  }
}

/** Timings for loopback tests: fast, with generous margins where a loaded machine could bite. */
export const FAST: Partial<AnovaClientOptions> = {
  pingIntervalMs: 100,
  offlineAfterMs: 2000,
  commandTimeoutMs: 3000,
  connectTimeoutMs: 2000,
  backoff: { initialMs: 20, maxMs: 200, healthyAfterMs: 60_000 },
  authRetryMs: 100,
};

export interface Rig {
  sim: SimulatorHandle;
  client: AnovaClient;
  logs: MemoryLogger;
  /** Closes the client and the simulator; checks that the token never reached a log line. */
  stop(): Promise<void>;
}

/**
 * A running simulator and a (not yet started) client for it. `client.token` defaults to the
 * simulator's accepted token.
 */
export async function rig(simOpts: SimulatorOptions = {}, clientOpts: Partial<AnovaClientOptions> = {}): Promise<Rig> {
  const sim = await startSimulator({ pushIntervalMs: 50, ...simOpts });
  const logs = new MemoryLogger();
  const client = new AnovaClient({ ...FAST, url: sim.url, token: sim.token, logger: logs, ...clientOpts });
  const tokens = [sim.token, clientOpts.token].filter((t): t is string => typeof t === 'string');
  return {
    sim,
    client,
    logs,
    async stop() {
      await client.close();
      await sim.close();
      for (const token of tokens) expect(logs.text()).not.toContain(token);
    },
  };
}

/** Starts the client and waits until its selected cooker is online. */
export async function online(client: AnovaClient): Promise<void> {
  client.start();
  await until(client, 'state', () => client.selected()?.online === true);
}

/** Asserts a promise rejects with an CookerError of that code; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, code: CookerErrorCode): Promise<CookerError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected a rejection with ${code}, got a success`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CookerError);
  expect((err as CookerError).code).toBe(code);
  return err as CookerError;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The CMD_* frames the simulator received, in order. */
export function commandsReceived(sim: SimulatorHandle) {
  return sim
    .received()
    .map((r) => r.frame)
    .filter((f) => f.command.startsWith('CMD_'));
}
