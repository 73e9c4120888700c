/**
 * Who may call /mcp (docs/api.md, "MCP"): `Authorization: Bearer <API_KEY>`, or a live OAuth
 * access token this server issued. One failed-auth throttle for both, shared with the HTTP API
 * and the approval page: 10 failures a minute from one client and it gets 429 before anything
 * is checked.
 *
 * A 401 names where to start OAuth: `WWW-Authenticate: Bearer resource_metadata="<PUBLIC_URL>/
 * .well-known/oauth-protected-resource"` (RFC 9728 §5.1), plus `error="invalid_token"` when a
 * token was sent (RFC 6750 §3.1). A token that looks like one of ours while the database is
 * unusable gets 503 JOURNAL_UNAVAILABLE (fail closed), never access; the API key still works.
 */
import { AppError } from '../errors';
import type { Context, Middleware } from 'koa';
import { EdgeError } from '../http/errors';
import { BEARER, digest, keyMatches, refuseWhenThrottled } from '../http/middleware/auth';
import type { RateLimiter } from '../http/middleware/rate-limit';
import { looksLikeAccessToken, protectedResourceMetadataUrl } from '../oauth/routes';
import { OAuthUnavailableError, type OAuthStore } from '../oauth/store';

export interface McpAuthOptions {
  apiKey: string;
  store: OAuthStore;
  publicUrl: string;
  client: (ctx: Context) => string;
  authFailures: RateLimiter;
  clock: () => number;
}

export function mcpAuth(opts: McpAuthOptions): Middleware {
  const expected = digest(opts.apiKey);
  const metadata = protectedResourceMetadataUrl(opts.publicUrl);
  return async (ctx, next) => {
    const client = opts.client(ctx);
    refuseWhenThrottled(opts.authFailures, client);
    const match = BEARER.exec(ctx.get('authorization'));
    const token = match?.[1];
    // The key check runs for every token, so its timing never says which kind was sent.
    const isApiKey = token !== undefined && keyMatches(token, expected);
    if (!isApiKey && !(token !== undefined && looksLikeAccessToken(token) && oauthTokenIsLive(opts, token))) {
      // No credential is no guess: it is how an MCP client discovers OAuth, and behind Cloudflare
      // many users of one assistant share its egress addresses, so counting it could lock them out.
      if (token !== undefined) opts.authFailures.take(client);
      throw new EdgeError(
        'UNAUTHORIZED',
        token === undefined
          ? 'Authentication is required. Send "Authorization: Bearer <API key>", or connect with OAuth (your MCP client finds ' +
              `how at ${metadata}).`
          : 'The API key or access token is wrong, expired or revoked. Send the API key, or let your MCP client sign in again with OAuth.',
        {
          'WWW-Authenticate': `Bearer resource_metadata="${metadata}"${token === undefined ? '' : ', error="invalid_token"'}`,
        },
      );
    }
    await next();
  };
}

function oauthTokenIsLive(opts: McpAuthOptions, token: string): boolean {
  try {
    return opts.store.verifyAccessToken(token, opts.clock()) !== null;
  } catch (err) {
    if (!(err instanceof OAuthUnavailableError)) throw err;
    throw new AppError(
      'JOURNAL_UNAVAILABLE',
      "OAuth access tokens cannot be checked because the server's database is unavailable right now. Use the API key, or try again later.",
    );
  }
}
