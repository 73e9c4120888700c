/**
 * The API's routes: GET /health, GET /openapi.json, POST /start-cook, GET /status, POST /stop-cook.
 * Each route lists its guards in order: rate limit (counts every request), auth, body.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { CookService } from '../cooking/service';
import { parseStartCookBody } from '../cooking/request';
import { EdgeError } from './errors';
import { bearerAuth } from './middleware/auth';
import { clientAddress } from './middleware/client-address';
import { hasBody, jsonBody } from './middleware/json-body';
import { RateLimiter, rateLimit } from './middleware/rate-limit';

export interface RouteDeps {
  apiKey: string;
  trustProxy: boolean;
  service: CookService;
  /** The OpenAPI document, serialised once at start-up. */
  openApiJson: string;
  version: string;
  cloudConnected: () => boolean;
  clock: () => number;
}

/** api.md "Rate limits", per client per minute. */
export const RATE_LIMITS = { startCook: 10, stopCook: 10, status: 60, health: 120 } as const;

export function buildRouter(deps: RouteDeps): { router: Router; fallback: Middleware } {
  const router = new Router();
  const client = (ctx: Context) => clientAddress(ctx, deps.trustProxy);
  const limit = (perMinute: number) => rateLimit(new RateLimiter({ limit: perMinute, clock: deps.clock }), client);
  const auth = bearerAuth({ apiKey: deps.apiKey, client, clock: deps.clock });
  const startedAt = deps.clock();
  const allowed = new Map<string, string[]>();
  const register = (method: 'get' | 'post', path: string, ...handlers: Middleware[]) => {
    router[method](path, ...handlers);
    allowed.set(path, method === 'get' ? ['GET', 'HEAD'] : ['POST']);
  };

  register('get', '/health', limit(RATE_LIMITS.health), (ctx) => {
    const now = deps.clock();
    ctx.body = {
      status: 'ok',
      version: deps.version,
      timestamp: new Date(now).toISOString(),
      uptime_seconds: Math.floor((now - startedAt) / 1000),
      anova: { connected: deps.cloudConnected() },
    };
  });

  register('get', '/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = deps.openApiJson;
  });

  register('post', '/start-cook', limit(RATE_LIMITS.startCook), auth, jsonBody(), async (ctx) => {
    const request = parseStartCookBody(ctx.request.body, hasBody(ctx));
    const started = await deps.service.start(request);
    const minutes = started.timeMinutes;
    ctx.body = {
      success: true,
      message:
        `Started cooking at ${started.targetTempC.toFixed(1)}°C for ${minutes} minute${minutes === 1 ? '' : 's'}. ` +
        'The water is heating to temperature; the timer starts when it gets there.',
      cook_id: started.cookId,
      device_state: started.deviceState,
      target_temp_celsius: started.targetTempC,
      time_minutes: minutes,
      estimated_completion: new Date(started.estimatedCompletionAt).toISOString(),
      food_type: started.foodType,
      warnings: started.warnings,
      ...(started.thicknessAssumedMm === null ? {} : { thickness_assumed_mm: started.thicknessAssumedMm }),
    };
  });

  register('get', '/status', limit(RATE_LIMITS.status), auth, (ctx) => {
    ctx.body = deps.service.status();
  });

  register('post', '/stop-cook', limit(RATE_LIMITS.stopCook), auth, jsonBody(), async (ctx) => {
    const stopped = await deps.service.stop();
    ctx.body = {
      success: true,
      message: 'Cooking stopped. The heater is off; the water will cool down on its own.',
      device_state: 'idle',
      final_temp_celsius: stopped.finalTempC === null ? null : Math.round(stopped.finalTempC * 10) / 10,
    };
  });

  /** Runs when no route handled the request: 405 for a known path, else 404. */
  const fallback: Middleware = async (ctx) => {
    const path = ctx.path.length > 1 ? ctx.path.replace(/\/+$/, '') : ctx.path;
    const methods = allowed.get(path);
    if (methods) {
      throw new EdgeError(
        'METHOD_NOT_ALLOWED',
        `${path} does not accept ${ctx.method}. Use ${methods.filter((m) => m !== 'HEAD').join(' or ')}.`,
        { Allow: methods.join(', ') },
      );
    }
    throw new EdgeError('NOT_FOUND', 'There is no such endpoint. The API has /start-cook, /status, /stop-cook and /health.');
  };

  return { router, fallback };
}
