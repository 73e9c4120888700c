/**
 * Defaults and validation of the simulator's switches. The same checks guard the in-process
 * handle (typed callers) and the control API (JSON from anyone), so values are checked at run
 * time whatever their static type says.
 */
import { assertNumberInRange, invalid } from './errors';
import type { CommandAnswer, ConnectQuirks, SimBehavior, SimFaults, SimPhysics, TokenRejection } from './types';

export const DEFAULT_PHYSICS: SimPhysics = { heatingRateCPerMin: 2.5, coolingRateCPerMin: 0.5, ambientTempC: 20 };

export const DEFAULT_BEHAVIOR: SimBehavior = {
  tokenRejection: 'http401',
  wrongFields: 'ack',
  offlineCommands: 'silent',
  unknownCommands: 'silent',
  unofficialCommands: 'reject',
  applyDelayMs: 0,
  rateLimit: { maxCommands: 30, windowMs: 60_000, closeCode: 1008 },
  maxConnectionAgeMs: null,
  idlePushIntervalMs: null,
};

export function defaultFaults(): SimFaults {
  return {
    blackhole: false,
    answerPings: true,
    refuseConnections: false,
    commandAnswer: { mode: 'ok' },
    responseDelayMs: 0,
    connectQuirks: { stateBeforeList: false, duplicateList: false, unknownEvent: false },
  };
}

/** Longest delay anything can be told to wait: the spec's 0-15 s, with room for slow demos. */
export const MAX_DELAY_MS = 60_000;
const DAY_MS = 86_400_000;

const TOKEN_REJECTIONS: readonly TokenRejection[] = ['http401', 'close1008'];

/** Returns `current` with the fields of `patch` applied, or throws on the first bad field. */
export function mergeBehavior(current: SimBehavior, patch: Partial<SimBehavior>): SimBehavior {
  assertPlainObject('behavior', patch);
  const next: SimBehavior = { ...current };
  for (const [key, value] of Object.entries(patch) as [keyof SimBehavior, unknown][]) {
    if (value === undefined) continue;
    switch (key) {
      case 'tokenRejection':
        next.tokenRejection = oneOf(key, value, TOKEN_REJECTIONS);
        break;
      case 'wrongFields':
        next.wrongFields = oneOf(key, value, ['ack', 'reject'] as const);
        break;
      case 'offlineCommands':
        next.offlineCommands = oneOf(key, value, ['silent', 'error'] as const);
        break;
      case 'unknownCommands':
        next.unknownCommands = oneOf(key, value, ['silent', 'error'] as const);
        break;
      case 'unofficialCommands':
        next.unofficialCommands = oneOf(key, value, ['reject', 'ignore', 'apply'] as const);
        break;
      case 'applyDelayMs':
        next.applyDelayMs = delayMs(key, value);
        break;
      case 'rateLimit':
        next.rateLimit = value === null ? null : rateLimit(value);
        break;
      case 'maxConnectionAgeMs':
        next.maxConnectionAgeMs = value === null ? null : numberIn(key, value, 1, DAY_MS);
        break;
      case 'idlePushIntervalMs':
        next.idlePushIntervalMs = value === null ? null : numberIn(key, value, 1, DAY_MS);
        break;
      default:
        throw invalid(`unknown behavior "${String(key)}"`);
    }
  }
  return next;
}

export function mergeQuirks(current: ConnectQuirks, patch: Partial<ConnectQuirks>): ConnectQuirks {
  assertPlainObject('connectQuirks', patch);
  const next: ConnectQuirks = { ...current };
  for (const [key, value] of Object.entries(patch) as [keyof ConnectQuirks, unknown][]) {
    if (value === undefined) continue;
    if (!(key in next)) throw invalid(`unknown connect quirk "${String(key)}"`);
    next[key] = flag(key, value);
  }
  return next;
}

export function mergePhysics(current: SimPhysics, patch: Partial<SimPhysics>): SimPhysics {
  assertPlainObject('physics', patch);
  const next: SimPhysics = { ...current };
  for (const [key, value] of Object.entries(patch) as [keyof SimPhysics, unknown][]) {
    if (value === undefined) continue;
    switch (key) {
      case 'heatingRateCPerMin':
        next.heatingRateCPerMin = numberIn(key, value, 0.01, 1000);
        break;
      case 'coolingRateCPerMin':
        next.coolingRateCPerMin = numberIn(key, value, 0, 1000);
        break;
      case 'ambientTempC':
        next.ambientTempC = numberIn(key, value, -20, 50);
        break;
      default:
        throw invalid(`unknown physics setting "${String(key)}"`);
    }
  }
  return next;
}

export function validCommandAnswer(answer: CommandAnswer): CommandAnswer {
  assertPlainObject('command answer', answer);
  const mode = oneOf('command answer mode', answer.mode, ['ok', 'error', 'silent'] as const);
  if (mode !== 'error') return { mode };
  const payload = (answer as { payload?: unknown }).payload;
  if (payload === undefined) return { mode };
  assertPlainObject('error payload', payload);
  return { mode, payload: { ...(payload as Record<string, unknown>) } };
}

export function delayMs(name: string, value: unknown): number {
  return numberIn(name, value, 0, MAX_DELAY_MS);
}

export function tokenRejection(value: unknown): TokenRejection {
  return oneOf('how', value, TOKEN_REJECTIONS);
}

export function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false`);
  return value;
}

function rateLimit(value: unknown): NonNullable<SimBehavior['rateLimit']> {
  assertPlainObject('rateLimit', value);
  const v = value as Record<string, unknown>;
  return {
    maxCommands: integerIn('rateLimit.maxCommands', v.maxCommands, 1, 100_000),
    windowMs: numberIn('rateLimit.windowMs', v.windowMs ?? 60_000, 1, DAY_MS),
    closeCode: integerIn('rateLimit.closeCode', v.closeCode ?? 1008, 1000, 4999),
  };
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw invalid(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

function numberIn(name: string, value: unknown, min: number, max: number): number {
  assertNumberInRange(name, value as number, min, max);
  return value as number;
}

function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value)) throw invalid(`${name} must be a whole number from ${min} to ${max}`);
  return numberIn(name, value, min, max);
}

function assertPlainObject(name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${name} must be an object`);
}
