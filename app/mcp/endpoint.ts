/**
 * The MCP edge in Koa (docs/mcp.md): POST /mcp served by the SDK's createMcpHandler (stateless:
 * a fresh McpServer per request, both protocol eras), plus the OAuth authorization server the
 * clients that only speak OAuth need (../oauth/routes.ts). Mounted by createHttpApp when it is
 * given `mcp` deps.
 *
 * /mcp's guards, in order: method (POST only; GET and DELETE, the 2025 session operations, are
 * 405), rate limit (120 a minute per client), Origin (when present it must be PUBLIC_URL's: a
 * page on another site, or a DNS-rebinding attack, cannot drive the cooker through a browser),
 * authentication (./auth.ts), the JSON body (16 KiB, as every route), then the SDK.
 *
 * The SDK and the tools load on the first /mcp request, not at start: they are about 150
 * modules, 12 MB of heap and 0.15 s here (over a second on a Pi Zero 2 W), which the HTTP API's
 * cold start and /health should not wait for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import type { ApiOperations } from '../api/operations';
import { EdgeError } from '../http/errors';
import { jsonBody } from '../http/middleware/json-body';
import { RateLimiter, rateLimit } from '../http/middleware/rate-limit';
import type { Logger } from '../log';
import { oauthRouter } from '../oauth/routes';
import { OAuthStore, type DatabaseSource } from '../oauth/store';
import { mcpAuth } from './auth';

/** What the composition root passes (createHttpApp adds the rest from its own deps). */
export interface McpDeps {
  /** PUBLIC_URL: the OAuth issuer and the origin /mcp accepts. */
  publicUrl: string;
  /** The journal's database (OAuth grants live there); null when degraded: OAuth then fails closed. */
  database: DatabaseSource;
  /** OAUTH_OWNER_PASSWORD, or null: the approval page then asks for the API key. */
  ownerPassword: string | null;
}

export interface McpEdgeDeps extends McpDeps {
  operations: ApiOperations;
  apiKey: string;
  version: string;
  logger: Logger;
  clock: () => number;
  client: (ctx: Context) => string;
  /** The app's one failed-auth throttle. */
  authFailures: RateLimiter;
}

/** docs/api.md, "Rate limits": /mcp, per client per minute. */
export const MCP_RATE_LIMIT = 120;

export function mcpRouter(deps: McpEdgeDeps): Router {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const allowedOrigin = new URL(publicUrl).origin;
  const store = new OAuthStore(deps.database);
  const router = oauthRouter({
    store,
    publicUrl,
    apiKey: deps.apiKey,
    ownerPassword: deps.ownerPassword,
    clock: deps.clock,
    logger: deps.logger,
    client: deps.client,
    authFailures: deps.authFailures,
  });

  // The caller's address reaches the per-request server factory (per-tool rate limits) this way.
  const callers = new AsyncLocalStorage<string>();
  let loading: Promise<NodeMcpRequestHandler> | null = null;
  const mcpHandler = () =>
    (loading ??= loadMcpHandler(deps, () => callers.getStore() ?? 'unknown').catch((err: unknown) => {
      loading = null; // the next request tries again
      throw err;
    }));

  const onlyPost: Middleware = async (ctx, next) => {
    if (ctx.method !== 'POST') {
      throw new EdgeError(
        'METHOD_NOT_ALLOWED',
        '/mcp does not accept this method. MCP over Streamable HTTP here is stateless: send every message with POST.',
        { Allow: 'POST' },
      );
    }
    await next();
  };
  const sameOrigin: Middleware = async (ctx, next) => {
    const origin = ctx.get('origin');
    if (origin !== '' && origin !== allowedOrigin) {
      // DNS-rebinding defence: a page of another site must not reach the cooker through a browser.
      throw new EdgeError(
        'ORIGIN_NOT_ALLOWED',
        `Requests to /mcp from a web page of another site are refused. Connect your MCP client to ${publicUrl}/mcp directly.`,
      );
    }
    await next();
  };
  const parseBody = jsonBody();
  const body: Middleware = async (ctx, next) => {
    try {
      await parseBody(ctx, async () => undefined);
    } catch (err) {
      if (err instanceof EdgeError && err.code === 'INVALID_JSON') {
        throw new EdgeError('INVALID_JSON', 'The request body is not valid JSON. Send one JSON-RPC message per POST.');
      }
      throw err;
    }
    await next();
  };

  router.all(
    '/mcp',
    onlyPost,
    rateLimit(new RateLimiter({ limit: MCP_RATE_LIMIT, clock: deps.clock }), deps.client),
    sameOrigin,
    mcpAuth({
      apiKey: deps.apiKey,
      store,
      publicUrl,
      client: deps.client,
      authFailures: deps.authFailures,
      clock: deps.clock,
    }),
    body,
    async (ctx) => {
      const serve = await mcpHandler();
      ctx.respond = false; // the SDK writes the response itself
      keepNoStore(ctx.res);
      await callers.run(deps.client(ctx), () => serve(ctx.req, ctx.res, ctx.request.body));
    },
  );
  return router;
}

/** createMcpHandler over the tools, adapted to Node's (req, res, parsedBody). */
async function loadMcpHandler(deps: McpEdgeDeps, caller: () => string): Promise<NodeMcpRequestHandler> {
  const [{ createMcpHandler }, { toNodeHandler }, { buildMcpServer, createToolLimiters }] = await Promise.all([
    import('@modelcontextprotocol/server'),
    import('@modelcontextprotocol/node'),
    import('./tools'),
  ]);
  const limiters = createToolLimiters(deps.clock);
  const toolDeps = { operations: deps.operations, logger: deps.logger, version: deps.version, clock: deps.clock };
  const handler = createMcpHandler(() => buildMcpServer(toolDeps, limiters, caller()), {
    legacy: 'stateless', // 2025 "initialize" clients, answered per request from the same factory
    // responseMode 'auto' (the default): one JSON answer, since no tool sends progress first
    keepAliveMs: 0,
    onerror: (err) => deps.logger.debug('mcp request rejected', { reason: err.message }),
  });
  return toNodeHandler(handler, { onerror: (err) => deps.logger.error('mcp handler failed', { error: err }) });
}

/**
 * docs/api.md's general rules hold on /mcp too: `Cache-Control: no-store` (set by
 * requestContext) must survive the SDK's own `no-cache` on its SSE answers. `no-transform` is
 * kept for SSE, so no proxy buffers or compresses a stream.
 */
function keepNoStore(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    for (const arg of rest) {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) continue;
      for (const name of Object.keys(arg)) {
        if (name.toLowerCase() === 'cache-control') delete (arg as Record<string, unknown>)[name];
      }
    }
    this.setHeader('Cache-Control', 'no-store, no-transform');
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];
}
