/**
 * JSON body parsing with koa-bodyparser: any content type is read as JSON (curl -d sends a form
 * type by default), 16 KiB at most, `__proto__` keys dropped, failures in the documented shape.
 */
import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { EdgeError } from '../errors';

export const MAX_BODY_BYTES = 16 * 1024;

export function jsonBody(): Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    detectJSON: () => true,
    jsonLimit: MAX_BODY_BYTES,
    strict: false,
    // co-body option: strip prototype-poisoning keys instead of failing the parse
    onProtoPoisoning: 'remove',
  } as unknown as bodyParser.Options);

  return async (ctx, next) => {
    try {
      await parse(ctx, async () => undefined);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 413) {
        throw new EdgeError(
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB. Send a small JSON object.`,
        );
      }
      if (typeof status === 'number' && status >= 400 && status < 500) {
        throw new EdgeError(
          'INVALID_JSON',
          'The request body is not valid JSON. Send a JSON object such as {"temperature_celsius": 63, "time_minutes": 90}.',
        );
      }
      throw err;
    }
    await next();
  };
}

/** True when the request carried a non-blank body. */
export function hasBody(ctx: Parameters<Middleware>[0]): boolean {
  const raw = ctx.request.rawBody;
  return typeof raw === 'string' && raw.trim() !== '';
}
