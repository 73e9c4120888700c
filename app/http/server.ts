/**
 * Builds the Koa application from its dependencies (no globals), for main.ts and for tests.
 */
import Koa from 'koa';
import type { Logger } from '../log';
import { mcpRouter, type McpDeps } from '../mcp/endpoint';
import { createFailedAuthThrottle } from './middleware/auth';
import { clientAddress } from './middleware/client-address';
import { requestContext } from './middleware/request-context';
import { buildRouter, type RouteDeps } from './routes';

export interface HttpAppDeps extends RouteDeps {
  logger: Logger;
  /** /mcp and its OAuth authorization server (docs/mcp.md); without it there is no /mcp. */
  mcp?: McpDeps;
}

export function createHttpApp(deps: HttpAppDeps): Koa {
  const app = new Koa();
  app.silent = true; // errors are logged by requestContext, once, with the request id
  // One failed-auth throttle for every door: HTTP routes, /mcp and the OAuth approval page.
  const authFailures = deps.authFailures ?? createFailedAuthThrottle(deps.clock);
  const { router, fallback } = buildRouter({ ...deps, authFailures });
  app.use(requestContext(deps.logger, new Set(['/health'])));
  app.use(router.routes());
  if (deps.mcp) {
    const mcp = mcpRouter({
      ...deps.mcp,
      operations: deps.operations,
      apiKey: deps.apiKey,
      version: deps.version,
      logger: deps.logger,
      clock: deps.clock,
      client: (ctx) => clientAddress(ctx, deps.trustProxy),
      authFailures,
    });
    app.use(mcp.routes());
  }
  app.use(fallback);
  return app;
}
