/**
 * The one base of every failure the API reports, whichever layer raised it (the HTTP edge, the
 * cooking domain, the cooker port, the journal): a stable code from the API's error table
 * (app/api/schemas.ts, docs/api.md) and a message written for the person, which a chat
 * assistant repeats. The edges turn any AppError into a response the same way
 * (app/http/errors.ts, toErrorResponse); anything else is an unexpected 500.
 */
export interface AppErrorOptions {
  /** For logs only, when it says more than the public message (never a secret). */
  logMessage?: string;
  /** Response headers that belong to the failure (Retry-After, Allow, WWW-Authenticate). */
  headers?: Record<string, string>;
  /** Extra fields of the error body (retry_after_seconds). */
  extra?: Record<string, unknown>;
}

export class AppError<C extends string = string> extends Error {
  readonly publicMessage: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: C,
    publicMessage: string,
    opts: AppErrorOptions = {},
  ) {
    super(opts.logMessage ?? publicMessage);
    this.publicMessage = publicMessage;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }
}
