/**
 * Builds the Koa application from its dependencies (no globals), for main.ts and for tests.
 */
import Koa from 'koa';
import type { Logger } from '../log';
import { requestContext } from './middleware/request-context';
import { buildRouter, type RouteDeps } from './routes';

export interface HttpAppDeps extends RouteDeps {
  logger: Logger;
}

export function createHttpApp(deps: HttpAppDeps): Koa {
  const app = new Koa();
  app.silent = true; // errors are logged by requestContext, once, with the request id
  const { router, fallback } = buildRouter(deps);
  app.use(requestContext(deps.logger, new Set(['/health'])));
  app.use(router.routes());
  app.use(fallback);
  return app;
}
