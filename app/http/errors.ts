/**
 * Turns typed errors (from the edge, the cooking domain and the Anova adapter) into an HTTP
 * response. Statuses come from the one code table in cooking/schema.ts (also the OpenAPI
 * document's); messages are written for a chat assistant to repeat to a person.
 */
import { AnovaError, type AnovaErrorCode } from '../anova/errors';
import { CookError } from '../cooking/errors';
import { API_ERROR_CODES } from '../api/schemas';

/** Errors raised by the HTTP edge itself. */
export type EdgeErrorCode =
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'COOK_NOT_FOUND'
  | 'INVALID_LIMIT'
  | 'JOURNAL_UNAVAILABLE'
  | 'ORIGIN_NOT_ALLOWED';

export class EdgeError extends Error {
  override readonly name = 'EdgeError';
  constructor(
    readonly code: EdgeErrorCode,
    readonly publicMessage: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(publicMessage);
  }
}

/** What to tell a person when the Anova side fails (the adapter's own messages are for logs). */
const ANOVA_MESSAGES: Record<AnovaErrorCode, string> = {
  ANOVA_AUTH_FAILED:
    "Anova's cloud rejected this server's access token. Create a new Personal Access Token in the Anova Oven app (More → Developer → Personal Access Tokens) and put it in ANOVA_TOKEN on the server.",
  ANOVA_API_ERROR: "Anova's cloud refused the command. Check the cooker in the Anova app, then try again.",
  DEVICE_OFFLINE:
    "The cooker can't be reached right now: it is offline or not on the Anova account, or the server's link to Anova's cloud is down and reconnecting. Check that the cooker is plugged in and on Wi-Fi, then try again in a minute.",
  CLOUD_UNREACHABLE: "The server cannot reach Anova's cloud right now and is reconnecting on its own. Try again in a minute.",
  TIMEOUT:
    "Anova's cloud did not answer in time, so it is not certain whether the cooker got the command. Check the status before trying again.",
};

export interface ErrorResponse {
  status: number;
  body: { error: string; message: string } & Record<string, unknown>;
  headers: Record<string, string>;
  /** True when the failure is ours (log it with its stack). */
  unexpected: boolean;
}

export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof EdgeError) {
    return {
      status: API_ERROR_CODES[err.code].status,
      body: { error: err.code, message: err.publicMessage, ...err.extra },
      headers: err.headers,
      unexpected: err.code === 'INTERNAL_ERROR',
    };
  }
  if (err instanceof CookError) {
    return {
      status: API_ERROR_CODES[err.code].status,
      body: { error: err.code, message: err.publicMessage },
      headers: {},
      unexpected: false,
    };
  }
  if (err instanceof AnovaError) {
    return {
      status: API_ERROR_CODES[err.code].status,
      body: { error: err.code, message: ANOVA_MESSAGES[err.code] },
      headers: {},
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { error: 'INTERNAL_ERROR', message: 'Something went wrong on the server. Try again; if it keeps happening, check the server logs.' },
    headers: {},
    unexpected: true,
  };
}
