/**
 * First middleware: request id, response headers every answer carries, the error → JSON
 * conversion, and the one access-log line per request (with the error code when it failed).
 * Everything the request causes runs inside its log context, so every line carries its id.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { withLogContext, type Logger } from '../../log';
import { toErrorResponse } from '../../api/errors';

/** An incoming X-Request-Id is echoed only when it is short and plain (it ends up in logs). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * @param quietPaths successful requests to these paths log at debug: Docker's health probe every
 * 30 s would otherwise be most of the log on a Pi.
 */
export function requestContext(logger: Logger, quietPaths: ReadonlySet<string> = new Set()): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');

    try {
      await withLogContext({ requestId }, next);
    } catch (err) {
      const res = toErrorResponse(err);
      if (res.unexpected) {
        logger.error('request failed', { requestId, method: ctx.method, path: ctx.path, error: err });
      }
      ctx.status = res.status;
      ctx.set(res.headers);
      ctx.body = res.body;
    }

    const status = ctx.status;
    const line = {
      requestId,
      method: ctx.method,
      path: ctx.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(status >= 400 && typeof ctx.body?.error === 'string' ? { code: ctx.body.error } : {}),
    };
    if (status >= 500) logger.error('request', line);
    else if (status >= 400) logger.warn('request', line);
    else if (quietPaths.has(ctx.path)) logger.debug('request', line);
    else logger.info('request', line);
  };
}
