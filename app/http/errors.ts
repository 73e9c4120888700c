/**
 * The one table that turns typed errors (from the edge, the cooking domain and the Anova
 * adapter) into an HTTP status and a message a chat assistant can repeat to a person.
 */
import { AnovaError, type AnovaErrorCode } from '../anova/errors';
import { CookError } from '../cooking/errors';

/** Errors raised by the HTTP edge itself. */
export type EdgeErrorCode =
  | 'MISSING_BODY'
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

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

const EDGE_STATUS: Record<EdgeErrorCode, number> = {
  MISSING_BODY: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
};

const ANOVA: Record<AnovaErrorCode, { status: number; message: string }> = {
  ANOVA_AUTH_FAILED: {
    status: 502,
    message:
      "Anova's cloud rejected this server's access token. Create a new Personal Access Token in the Anova Oven app (More → Developer → Personal Access Tokens) and put it in ANOVA_TOKEN on the server.",
  },
  ANOVA_API_ERROR: {
    status: 502,
    message: "Anova's cloud refused the command. Check the cooker in the Anova app, then try again.",
  },
  DEVICE_OFFLINE: {
    status: 503,
    message:
      "The cooker can't be reached right now: it is offline or not on the Anova account, or the server's link to Anova's cloud is down and reconnecting. Check that the cooker is plugged in and on Wi-Fi, then try again in a minute.",
  },
  CLOUD_UNREACHABLE: {
    status: 503,
    message: "The server cannot reach Anova's cloud right now and is reconnecting on its own. Try again in a minute.",
  },
  TIMEOUT: {
    status: 504,
    message:
      "Anova's cloud did not answer in time, so it is not certain whether the cooker got the command. Check the status before trying again.",
  },
};

/** Cooking-domain codes that are not 400s. */
const COOK_STATUS: Record<string, number> = { DEVICE_BUSY: 409, NO_ACTIVE_COOK: 409 };

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
      status: EDGE_STATUS[err.code],
      body: { error: err.code, message: err.publicMessage, ...err.extra },
      headers: err.headers,
      unexpected: err.code === 'INTERNAL_ERROR',
    };
  }
  if (err instanceof CookError) {
    return {
      status: COOK_STATUS[err.code] ?? 400,
      body: { error: err.code, message: err.publicMessage },
      headers: {},
      unexpected: false,
    };
  }
  if (err instanceof AnovaError) {
    const { status, message } = ANOVA[err.code];
    return { status, body: { error: err.code, message }, headers: {}, unexpected: false };
  }
  return {
    status: 500,
    body: { error: 'INTERNAL_ERROR', message: 'Something went wrong on the server. Try again; if it keeps happening, check the server logs.' },
    headers: {},
    unexpected: true,
  };
}
