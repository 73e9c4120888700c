/**
 * The API's routes: GET /health, GET /openapi.json, POST /start-cook, GET /status, POST /stop-cook.
 * Each route lists its guards in order: rate limit (counts every request), auth, body.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ApiOperations } from '../api/operations';
import { EdgeError } from './errors';
import { bearerAuth } from './middleware/auth';
import { clientAddress } from './middleware/client-address';
import { hasBody, jsonBody } from './middleware/json-body';
import { RateLimiter, rateLimit } from './middleware/rate-limit';

export interface RouteDeps {
  apiKey: string;
  trustProxy: boolean;
  operations: ApiOperations;
  /** 'ok', or 'degraded' when the cook journal cannot be written (informational, like `anova`). */
  journalHealth: () => 'ok' | 'degraded';
  /** The OpenAPI document, serialised once at start-up. */
  openApiJson: string;
  version: string;
  cloudConnected: () => boolean;
  clock: () => number;
  /** The app's one failed-auth throttle, shared with /mcp and the OAuth approval page (server.ts). */
  authFailures?: RateLimiter;
}

/** docs/api.md "Rate limits", per client per minute. */
export const RATE_LIMITS = { startCook: 10, stopCook: 10, status: 60, health: 120, cookPlan: 60, cooks: 60 } as const;

export function buildRouter(deps: RouteDeps): { router: Router; fallback: Middleware } {
  const router = new Router();
  const client = (ctx: Context) => clientAddress(ctx, deps.trustProxy);
  const limit = (perMinute: number) => rateLimit(new RateLimiter({ limit: perMinute, clock: deps.clock }), client);
  const auth = bearerAuth({ apiKey: deps.apiKey, client, clock: deps.clock, failures: deps.authFailures });
  const startedAt = deps.clock();
  const allowed: Array<{ template: string; pattern: RegExp; methods: string[] }> = [];
  const register = (method: 'get' | 'post', path: string, ...handlers: Middleware[]) => {
    router[method](path, ...handlers);
    const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, '[^/]+')}$`);
    allowed.push({
      template: path.replace(/:([a-z_]+)/g, '{$1}'),
      pattern,
      methods: method === 'get' ? ['GET', 'HEAD'] : ['POST'],
    });
  };

  register('get', '/health', limit(RATE_LIMITS.health), (ctx) => {
    const now = deps.clock();
    ctx.body = {
      status: 'ok',
      version: deps.version,
      timestamp: new Date(now).toISOString(),
      uptime_seconds: Math.floor((now - startedAt) / 1000),
      anova: { connected: deps.cloudConnected() },
      journal: deps.journalHealth(),
    };
  });

  register('get', '/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = deps.openApiJson;
  });

  register('post', '/start-cook', limit(RATE_LIMITS.startCook), auth, jsonBody(), async (ctx) => {
    ctx.body = await deps.operations.startCook(ctx.request.body, hasBody(ctx));
  });

  register('get', '/status', limit(RATE_LIMITS.status), auth, (ctx) => {
    ctx.body = deps.operations.getStatus();
  });

  register('post', '/stop-cook', limit(RATE_LIMITS.stopCook), auth, jsonBody(), async (ctx) => {
    ctx.body = await deps.operations.stopCook();
  });

  register('get', '/cook-plan', limit(RATE_LIMITS.cookPlan), auth, (ctx) => {
    ctx.body = deps.operations.planCook(ctx.query);
  });

  // One budget for both journal routes (docs/api.md: 60 a minute together).
  const cooksLimit = limit(RATE_LIMITS.cooks);
  register('get', '/cooks', cooksLimit, auth, (ctx) => {
    ctx.body = deps.operations.listCooks(ctx.query);
  });
  register('get', '/cooks/:cook_id', cooksLimit, auth, (ctx) => {
    ctx.body = deps.operations.getCook(ctx.params.cook_id);
  });

  /** Runs when no route handled the request: 405 for a known path, else 404. */
  const fallback: Middleware = async (ctx) => {
    const path = ctx.path.length > 1 ? ctx.path.replace(/\/+$/, '') : ctx.path;
    const known = allowed.find((a) => a.pattern.test(path));
    if (known) {
      // The template, not the path: a cook id (or anything a caller put there) is never echoed.
      throw new EdgeError(
        'METHOD_NOT_ALLOWED',
        `${known.template} does not accept ${ctx.method}. Use ${known.methods.filter((m) => m !== 'HEAD').join(' or ')}.`,
        { Allow: known.methods.join(', ') },
      );
    }
    throw new EdgeError(
      'NOT_FOUND',
      'There is no such endpoint. The API has POST /start-cook, GET /status, POST /stop-cook, GET /cook-plan, GET /cooks, ' +
        'GET /cooks/{cook_id}, GET /health, GET /openapi.json and /mcp.',
    );
  };

  return { router, fallback };
}
