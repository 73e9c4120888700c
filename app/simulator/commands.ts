/**
 * Reads a client's command frame the way the device would (docs/anova-protocol.md §3). Pure: it
 * decides what the frame means; the server decides how to answer and when to apply it.
 *
 * Only exact field names count: `timer` in seconds, `unit` "C"/"F" uppercase, `type` equal to
 * the cooker's type. Anything else is "ignored": the real cloud acks such frames "ok" and the
 * device changes nothing (§2.2, §6 item 17).
 */
import { COMMAND, type Frame } from '../anova/protocol';
import type { SimCookerType } from './types';

/** Commands outside the PAT list that some clients send anyway (§3.4). */
export const UNOFFICIAL_COMMAND = {
  setTargetTemp: 'CMD_APC_SET_TARGET_TEMP',
  setTimer: 'CMD_APC_SET_TIMER',
} as const;

/** The cooker's accepted range (EX enforces ≤ 95 °C; §3.5). Outside it the device does nothing. */
export const MIN_TARGET_C = 0;
export const MAX_TARGET_C = 95;

export type CookerAction =
  | { kind: 'start'; targetC: number; timerSeconds: number }
  | { kind: 'stop' }
  | { kind: 'set-unit'; unit: 'C' | 'F' }
  | { kind: 'set-target'; targetC: number }
  | { kind: 'set-timer'; timerSeconds: number };

export type CommandReading =
  | { kind: 'unknown-command' }
  | { kind: 'unknown-cooker' }
  /** Reaches the cooker, but with wrong/missing fields or values it cannot use: no effect. */
  | { kind: 'ignored'; cookerId: string; reason: string }
  | { kind: 'action'; cookerId: string; action: CookerAction; unofficial: boolean };

export function readCommand(frame: Frame, cookerType: (cookerId: string) => SimCookerType | undefined): CommandReading {
  const parse = PARSERS.get(frame.command);
  if (!parse) return { kind: 'unknown-command' };
  const payload = isRecord(frame.payload) ? frame.payload : {};
  const cookerId = payload.cookerId;
  if (typeof cookerId !== 'string') return { kind: 'unknown-cooker' };
  const type = cookerType(cookerId);
  if (type === undefined) return { kind: 'unknown-cooker' };
  if (payload.type !== type) return { kind: 'ignored', cookerId, reason: `type must be "${type}"` };
  const parsed = parse(payload);
  if (typeof parsed === 'string') return { kind: 'ignored', cookerId, reason: parsed };
  return { kind: 'action', cookerId, action: parsed, unofficial: isUnofficial(frame.command) };
}

type Payload = Record<string, unknown>;
/** An action, or why the device ignores the frame. */
type PayloadParser = (p: Payload) => CookerAction | string;

const PARSERS = new Map<string, PayloadParser>([
  [
    COMMAND.start,
    (p) => {
      const targetC = readTargetC(p);
      if (typeof targetC === 'string') return targetC;
      const timerSeconds = readTimer(p);
      if (typeof timerSeconds === 'string') return timerSeconds;
      return { kind: 'start', targetC, timerSeconds };
    },
  ],
  [COMMAND.stop, () => ({ kind: 'stop' })],
  [COMMAND.setUnit, (p) => (isUnit(p.unit) ? { kind: 'set-unit', unit: p.unit } : UNIT_REASON)],
  [
    UNOFFICIAL_COMMAND.setTargetTemp,
    (p) => {
      const targetC = readTargetC(p);
      return typeof targetC === 'string' ? targetC : { kind: 'set-target', targetC };
    },
  ],
  [
    UNOFFICIAL_COMMAND.setTimer,
    (p) => {
      const timerSeconds = readTimer(p);
      return typeof timerSeconds === 'string' ? timerSeconds : { kind: 'set-timer', timerSeconds };
    },
  ],
]);

const UNIT_REASON = 'unit must be "C" or "F"';

function readTargetC(p: Payload): number | string {
  if (!isUnit(p.unit)) return UNIT_REASON;
  const t = p.targetTemperature;
  if (typeof t !== 'number' || !Number.isFinite(t)) return 'targetTemperature must be a number';
  const celsius = p.unit === 'F' ? ((t - 32) * 5) / 9 : t;
  if (celsius < MIN_TARGET_C || celsius > MAX_TARGET_C) {
    return `targetTemperature must be within ${MIN_TARGET_C}-${MAX_TARGET_C} °C`;
  }
  return celsius;
}

function readTimer(p: Payload): number | string {
  const timer = p.timer;
  if (typeof timer !== 'number' || !Number.isInteger(timer) || timer < 0) {
    return 'timer must be a whole number of seconds (0 = no timer)';
  }
  return timer;
}

function isUnit(v: unknown): v is 'C' | 'F' {
  return v === 'C' || v === 'F';
}

function isUnofficial(command: string): boolean {
  return command === UNOFFICIAL_COMMAND.setTargetTemp || command === UNOFFICIAL_COMMAND.setTimer;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
