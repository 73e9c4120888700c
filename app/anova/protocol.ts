/**
 * Wire format of Anova's cloud WebSocket API (docs/anova-protocol.md §2-3), shared by the client
 * and the simulator so both speak exactly the same frames.
 */

/** Anova's cloud endpoint for Personal Access Token sessions (docs/anova-protocol.md §1.1). */
export const DEFAULT_ANOVA_WS_URL = 'wss://devices.anovaculinary.io';

export const EVENT = {
  wifiList: 'EVENT_APC_WIFI_LIST',
  userState: 'EVENT_USER_STATE',
  wifiVersion: 'EVENT_APC_WIFI_VERSION',
  state: 'EVENT_APC_STATE',
  ovenList: 'EVENT_APO_WIFI_LIST',
  response: 'RESPONSE',
} as const;

export const COMMAND = {
  start: 'CMD_APC_START',
  stop: 'CMD_APC_STOP',
  setUnit: 'CMD_APC_SET_TEMPERATURE_UNIT',
} as const;

/** Any frame in either direction: `{command, requestId?, payload?}`. */
export interface Frame {
  command: string;
  requestId?: string;
  payload?: unknown;
}

export interface StartPayload {
  cookerId: string;
  type: string;
  targetTemperature: number;
  unit: 'C';
  /** Seconds; 0 means no timer. */
  timer: number;
}

export interface StopPayload {
  cookerId: string;
  type: string;
}

export interface SetUnitPayload {
  cookerId: string;
  type: string;
  unit: 'C' | 'F';
}

export function startFrame(requestId: string, p: StartPayload): Frame {
  return { command: COMMAND.start, requestId, payload: p };
}

export function stopFrame(requestId: string, p: StopPayload): Frame {
  return { command: COMMAND.stop, requestId, payload: p };
}

export function setUnitFrame(requestId: string, p: SetUnitPayload): Frame {
  return { command: COMMAND.setUnit, requestId, payload: p };
}

/** Parses one text frame; null when it is not a JSON object with a string `command`. */
export function parseFrame(text: string): Frame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const f = value as Record<string, unknown>;
  if (typeof f.command !== 'string') return null;
  return {
    command: f.command,
    requestId: typeof f.requestId === 'string' ? f.requestId : undefined,
    payload: f.payload,
  };
}

/** Builds the connection URL. The result holds the token: never log it (see redactUrl). */
export function connectionUrl(baseUrl: string, token: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('token', token);
  url.searchParams.set('supportedAccessories', 'APC');
  return url.toString();
}

/** The URL without its query string, safe for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
