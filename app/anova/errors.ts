/**
 * Typed failures of the Anova adapter. The HTTP edge maps `code` to a status and a message
 * for people (app/http/errors.ts); `message` here is for logs and never holds the token.
 */
export type AnovaErrorCode =
  | 'ANOVA_AUTH_FAILED' // the cloud rejected the token
  | 'ANOVA_API_ERROR' // a command was answered with a non-"ok" status
  | 'DEVICE_OFFLINE' // selected cooker offline, or none on the account
  | 'CLOUD_UNREACHABLE' // no socket to the cloud right now
  | 'TIMEOUT'; // no RESPONSE within the command timeout

export class AnovaError extends Error {
  override readonly name = 'AnovaError';
  constructor(
    readonly code: AnovaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
