/**
 * The API's error answer, shared by both edges (the HTTP routes answer it as a response, the MCP
 * tools as an isError result): any AppError (from the edge, the cooking domain, the cooker port
 * or the journal) becomes its status from the one code table (./schemas.ts, also the OpenAPI
 * document's) and a body of its code and person-facing message. Anything else is a 500 whose
 * details go to the log only.
 */
import { AppError } from '../errors';
import { API_ERROR_CODES, type ApiErrorCode } from './schemas';

export interface ErrorResponse {
  status: number;
  body: { error: string; message: string } & Record<string, unknown>;
  headers: Record<string, string>;
  /** True when the failure is ours (log it with its stack). */
  unexpected: boolean;
}

const isApiErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(API_ERROR_CODES, code);

export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof AppError && isApiErrorCode(err.code)) {
    return {
      status: API_ERROR_CODES[err.code].status,
      body: { error: err.code, message: err.publicMessage, ...err.extra },
      headers: { ...err.headers },
      unexpected: err.code === 'INTERNAL_ERROR',
    };
  }
  return {
    status: 500,
    body: {
      error: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server. Try again; if it keeps happening, check the server logs.',
    },
    headers: {},
    unexpected: true,
  };
}
