/**
 * Failures raised by the HTTP edge itself (auth, limits, bodies, unknown paths). Like every
 * failure the API reports they are AppErrors, answered by toErrorResponse (app/api/errors.ts).
 */
import { AppError } from '../errors';

/** Errors raised by the HTTP edge itself. */
export type EdgeErrorCode =
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'ORIGIN_NOT_ALLOWED';

export class EdgeError extends AppError<EdgeErrorCode> {
  override readonly name = 'EdgeError';
  constructor(
    code: EdgeErrorCode,
    publicMessage: string,
    headers: Record<string, string> = {},
    extra: Record<string, unknown> = {},
  ) {
    super(code, publicMessage, { headers, extra });
  }
}
