/**
 * The server as its own single-user OAuth 2.1 authorization server, for MCP clients that only
 * speak OAuth (ChatGPT connectors, claude.ai without custom headers). docs/mcp.md, "OAuth".
 *
 *   GET  /.well-known/oauth-protected-resource[/mcp]  RFC 9728: /mcp is protected by this server
 *   GET  /.well-known/oauth-authorization-server      RFC 8414: where the endpoints below are
 *   POST /oauth/register                              RFC 7591: open dynamic registration
 *   GET  /oauth/authorize                             the approval page (HTML, no JavaScript)
 *   POST /oauth/authorize                             the owner approves (or denies) with a secret
 *   POST /oauth/token                                 authorization_code (PKCE S256), refresh_token
 *   POST /oauth/revoke                                RFC 7009
 *
 * Single user: there are no accounts and no sessions. Every approval needs the owner's secret
 * (OAUTH_OWNER_PASSWORD, or the API key when none is set), checked in constant time and behind
 * the app's failed-auth throttle. JSON errors carry both the OAuth fields (`error`,
 * `error_description`) and the API's `message`.
 *
 * Written here rather than on panva's oidc-provider (evaluated, v9.13.3): on this server it cost
 * +11-16 MB RSS, +233 modules and +0.1 s of cold start (about 1 s on a Pi Zero 2 W), is ESM-only
 * (Jest would need --experimental-vm-modules), and a single-user server would still have to
 * configure away or persist most of what it brings (sessions, cookies, ID-token signing keys,
 * eight stored models). What remains is small; the security properties are pinned by
 * test/mcp/oauth-security.test.ts.
 */
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import { EdgeError } from '../http/errors';
import { digest, keyMatches, refuseWhenThrottled } from '../http/middleware/auth';
import { jsonBody } from '../http/middleware/json-body';
import { RateLimiter, rateLimit } from '../http/middleware/rate-limit';
import { checkAuthorizationRequest, GRANTED_SCOPE, type AuthorizationRequest } from './authorization-request';
import { approvalPage, errorPage } from './page';
import { MAX_REDIRECT_URIS, redirectUriProblem, withQuery } from './redirect-uri';
import { matchesHash, pkceS256, PKCE_VALUE, PREFIX, sameString } from './secrets';
import {
  CLIENT_AUTH_METHODS,
  LIFETIME_MS,
  OAuthUnavailableError,
  RegistrationFullError,
  type ClientAuthMethod,
  type Exchange,
  type OAuthClient,
  type OAuthStore,
} from './store';

export interface OAuthDeps {
  store: OAuthStore;
  /** PUBLIC_URL without a trailing slash: the issuer, and the origin of /mcp. */
  publicUrl: string;
  apiKey: string;
  /** OAUTH_OWNER_PASSWORD, or null to ask for the API key on the approval page. */
  ownerPassword: string | null;
  clock: () => number;
  logger: Logger;
  client: (ctx: Context) => string;
  /** The app's one failed-auth throttle (app/http/middleware/auth.ts). */
  authFailures: RateLimiter;
}

/** Per client per minute: /oauth/* together, and the metadata documents. */
export const OAUTH_RATE_LIMITS = { endpoints: 60, metadata: 120 } as const;

const MAX_CLIENT_NAME = 100;
const MAX_FORM_BYTES = 8 * 1024;
const CSRF_MAX_AGE_SECONDS = 15 * 60;
/**
 * Control characters, and invisible formatting ones (Unicode Cf: bidirectional overrides such as
 * U+202E, zero-width joiners), which could make the approval page show a name or host other than
 * the one it prints.
 */
const UNSHOWABLE_CHARACTER = /[\p{Cc}\p{Cf}]/u;

export function resourceUrl(publicUrl: string): string {
  return `${publicUrl}/mcp`;
}

export function protectedResourceMetadataUrl(publicUrl: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource`;
}

/** An OAuth error answer (RFC 6749 §5.2 shape, plus the API's `message`). */
class OAuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export function oauthRouter(deps: OAuthDeps): Router {
  const { store, publicUrl, clock, logger } = deps;
  const router = new Router();
  const origin = new URL(publicUrl).origin;
  const secure = new URL(publicUrl).protocol === 'https:';
  const csrfCookie = secure ? '__Host-anova_oauth_csrf' : 'anova_oauth_csrf';
  const resource = resourceUrl(publicUrl);
  const resources = { canonical: resource, accepted: new Set([resource, `${resource}/`, publicUrl, `${publicUrl}/`]) };
  const ownerSecret = digest(deps.ownerPassword ?? deps.apiKey);
  const secretKind = deps.ownerPassword === null ? 'api_key' : 'password';
  const limitEndpoints = rateLimit(new RateLimiter({ limit: OAUTH_RATE_LIMITS.endpoints, clock }), deps.client);
  const limitMetadata = rateLimit(new RateLimiter({ limit: OAUTH_RATE_LIMITS.metadata, clock }), deps.client);
  const endpoint = (path: string) => `${publicUrl}${path}`;

  const protectedResource = {
    resource,
    authorization_servers: [publicUrl],
    bearer_methods_supported: ['header'],
    scopes_supported: [GRANTED_SCOPE],
    resource_name: 'Anova Control Server',
  };
  const authorizationServer = {
    issuer: publicUrl,
    authorization_endpoint: endpoint('/oauth/authorize'),
    token_endpoint: endpoint('/oauth/token'),
    registration_endpoint: endpoint('/oauth/register'),
    revocation_endpoint: endpoint('/oauth/revoke'),
    scopes_supported: [GRANTED_SCOPE],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    authorization_response_iss_parameter_supported: true,
  };

  const methods = (path: string, allowed: string) => {
    router.all(path, () => {
      throw new EdgeError(
        'METHOD_NOT_ALLOWED',
        `${path} does not accept this method. Use ${allowed.replace(', HEAD', '')}.`,
        {
          Allow: allowed,
        },
      );
    });
  };

  // ------------------------------------------------------------------------ metadata

  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    router.get(path, limitMetadata, (ctx) => {
      ctx.body = protectedResource;
    });
    methods(path, 'GET, HEAD');
  }
  router.get('/.well-known/oauth-authorization-server', limitMetadata, (ctx) => {
    ctx.body = authorizationServer;
  });
  methods('/.well-known/oauth-authorization-server', 'GET, HEAD');

  // ------------------------------------------------------------------------ registration

  router.post('/oauth/register', limitEndpoints, oauthJson, jsonBody(), (ctx) => {
    const metadata = registrationMetadata(ctx.request.body);
    let registered: { client: OAuthClient; secret: string | null };
    try {
      registered = store.registerClient(metadata, clock());
    } catch (err) {
      if (!(err instanceof RegistrationFullError)) throw err;
      logger.warn('oauth registration refused: too many clients', {});
      throw new OAuthHttpError(
        503,
        'temporarily_unavailable',
        'This server already has as many registered apps as it keeps. Remove unused ones with the `oauth revoke` command, then connect again.',
      );
    }
    const { client, secret } = registered;
    logger.info('oauth client registered', {
      clientId: client.clientId,
      clientName: client.name,
      redirectHosts: client.redirectUris.map((u) => new URL(u).host),
      authMethod: client.authMethod,
    });
    ctx.status = 201;
    ctx.body = {
      client_id: client.clientId,
      client_id_issued_at: Math.floor(client.createdAt / 1000),
      ...(secret === null ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
      client_name: client.name,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: client.authMethod,
      scope: GRANTED_SCOPE,
    };
  });
  methods('/oauth/register', 'POST');

  // ------------------------------------------------------------------------ approval

  /** Headers of every HTML answer: no framing, no script, forms only back here and to the client. */
  const htmlHeaders = (ctx: Context, formTarget?: string) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'${
        formTarget ? ` ${new URL(formTarget).origin}` : ''
      }`,
    );
  };
  const showError = (ctx: Context, status: number, title: string, message: string) => {
    htmlHeaders(ctx);
    ctx.status = status;
    ctx.body = errorPage(title, message);
  };
  /** The authorization request, or null when an answer (page or redirect) was already set. */
  const authorizationRequest = (ctx: Context): AuthorizationRequest | null => {
    if (!store.available) {
      showError(ctx, 503, 'Connecting is unavailable right now', UNAVAILABLE_MESSAGE);
      return null;
    }
    const checked = checkAuthorizationRequest(ctx.query, store, resources);
    if (checked.ok) return checked.request;
    if ('show' in checked) {
      showError(ctx, checked.show.status, checked.show.title, checked.show.message);
    } else {
      const { redirectUri, error, description, state } = checked.redirect;
      ctx.redirect(withQuery(redirectUri, { error, error_description: description, state, iss: publicUrl }));
      ctx.status = 303;
    }
    return null;
  };
  const renderApproval = (ctx: Context, request: AuthorizationRequest, csrf: string, error?: string) => {
    htmlHeaders(ctx, request.redirectUri);
    ctx.body = approvalPage({
      client: request.client,
      redirectUri: request.redirectUri,
      action: ctx.originalUrl,
      csrf,
      secretKind,
      error,
    });
  };

  router.get('/oauth/authorize', limitEndpoints, htmlErrors, (ctx) => {
    const request = authorizationRequest(ctx);
    if (!request) return;
    const csrf = randomBytes(32).toString('base64url');
    ctx.append(
      'Set-Cookie',
      `${csrfCookie}=${csrf}; Path=/; Max-Age=${CSRF_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
    );
    renderApproval(ctx, request, csrf);
  });

  router.post('/oauth/authorize', limitEndpoints, htmlErrors, async (ctx) => {
    const request = authorizationRequest(ctx);
    if (!request) return;
    const address = deps.client(ctx);
    const form = await readForm(ctx);
    // Checked once the body is in, with nothing awaited before the secret is compared and a
    // failure counted: requests sent in parallel cannot all pass the check first.
    try {
      refuseWhenThrottled(deps.authFailures, address);
    } catch (err) {
      const wait = (err as EdgeError).headers['Retry-After'];
      ctx.set('Retry-After', wait);
      showError(
        ctx,
        429,
        'Too many attempts',
        `Too many wrong attempts from your network. Wait ${wait} seconds, then try again.`,
      );
      return;
    }
    const csrf = form.get('csrf') ?? '';
    const sentOrigin = ctx.get('origin');
    if (
      csrf === '' ||
      !sameString(csrf, cookie(ctx, csrfCookie) ?? '') ||
      (sentOrigin !== '' && sentOrigin !== origin)
    ) {
      showError(
        ctx,
        403,
        'This form cannot be used',
        'The approval form expired or was not sent from this page. Go back to the app and start connecting again.',
      );
      return;
    }
    const { client, redirectUri, state } = request;
    if (form.get('decision') === 'deny') {
      logger.info('oauth request denied by the owner', { clientId: client.clientId });
      ctx.redirect(
        withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'the owner denied the request',
          state,
          iss: publicUrl,
        }),
      );
      ctx.status = 303;
      return;
    }
    if (form.get('decision') !== 'approve' || !keyMatches(form.get('secret') ?? '', ownerSecret)) {
      deps.authFailures.take(address);
      logger.warn('oauth approval refused: wrong secret', { clientId: client.clientId });
      ctx.status = 403;
      const what = secretKind === 'password' ? 'owner password' : 'API key';
      renderApproval(ctx, request, csrf, `That is not the ${what}. Try again.`);
      return;
    }
    const code = store.approve(
      {
        clientId: client.clientId,
        redirectUri,
        codeChallenge: request.codeChallenge,
        resource: request.resource,
        scope: request.scope,
      },
      clock(),
    );
    logger.info('oauth request approved by the owner', { clientId: client.clientId, clientName: client.name });
    ctx.append('Set-Cookie', `${csrfCookie}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
    ctx.redirect(withQuery(redirectUri, { code, state, iss: publicUrl }));
    ctx.status = 303;
  });
  methods('/oauth/authorize', 'GET, HEAD, POST');

  // ------------------------------------------------------------------------ tokens

  /** RFC 6749 §2.3.1: client_secret_basic or client_secret_post, or a public client (client_id only). */
  const authenticateClient = (ctx: Context, form: URLSearchParams): OAuthClient => {
    const address = deps.client(ctx);
    const fail = (description: string, basic: boolean): never => {
      deps.authFailures.take(address);
      throw new OAuthHttpError(
        401,
        'invalid_client',
        description,
        basic ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {},
      );
    };
    let clientId = single(form, 'client_id');
    let secret = single(form, 'client_secret');
    const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(ctx.get('authorization'));
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) fail('The Basic credentials are malformed.', true);
      let basicId: string;
      try {
        basicId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      } catch {
        return fail('The Basic credentials are malformed.', true);
      }
      if (clientId !== undefined && clientId !== basicId) {
        throw new OAuthHttpError(400, 'invalid_request', 'client_id in the body differs from the Basic credentials.');
      }
      clientId = basicId;
    }
    if (clientId === undefined || clientId === '') {
      throw new OAuthHttpError(400, 'invalid_request', 'client_id is missing.');
    }
    const client = store.findClient(clientId);
    if (!client) return fail('Unknown client. Register again.', Boolean(basic));
    if (client.secretHash !== null && (secret === undefined || !matchesHash(secret, client.secretHash))) {
      return fail('Wrong or missing client secret.', Boolean(basic));
    }
    return client;
  };

  router.post('/oauth/token', limitEndpoints, oauthJson, async (ctx) => {
    const address = deps.client(ctx);
    const form = await readForm(ctx);
    refuseWhenThrottled(deps.authFailures, address); // after the body: see /oauth/authorize
    const client = authenticateClient(ctx, form);
    const grantType = single(form, 'grant_type');
    checkResources(form);
    const now = clock();
    let exchange: Exchange;
    if (grantType === 'authorization_code') {
      const code = required(form, 'code');
      const redirectUri = required(form, 'redirect_uri');
      const verifier = required(form, 'code_verifier');
      if (!PKCE_VALUE.test(verifier)) {
        throw new OAuthHttpError(
          400,
          'invalid_request',
          'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].',
        );
      }
      exchange = store.exchangeCode(code, now, (issued) => {
        if (issued.clientId !== client.clientId) return 'the code was issued to another client';
        if (issued.redirectUri !== redirectUri) return 'redirect_uri differs from the one of the authorization request';
        if (!sameString(pkceS256(verifier), issued.codeChallenge))
          return 'code_verifier does not match the code challenge';
        return null;
      });
    } else if (grantType === 'refresh_token') {
      exchange = store.rotateRefreshToken(required(form, 'refresh_token'), client.clientId, now);
    } else {
      throw new OAuthHttpError(
        400,
        grantType === undefined ? 'invalid_request' : 'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token (form-encoded).',
      );
    }
    if (!exchange.ok) {
      deps.authFailures.take(address);
      const what = grantType === 'authorization_code' ? 'authorization code' : 'refresh token';
      if (exchange.reason === 'reused') {
        logger.warn(`oauth ${what} used twice: its grant is revoked`, { clientId: client.clientId });
        throw new OAuthHttpError(
          400,
          'invalid_grant',
          `This ${what} was already used, so every token issued from it is now revoked. Connect again.`,
        );
      }
      if (exchange.reason === 'refused') {
        logger.warn(`oauth ${what} refused: its grant is revoked`, {
          clientId: client.clientId,
          reason: exchange.detail,
        });
        throw new OAuthHttpError(400, 'invalid_grant', `The ${what} was refused: ${exchange.detail}. Connect again.`);
      }
      throw new OAuthHttpError(400, 'invalid_grant', `The ${what} is invalid, expired or revoked. Connect again.`);
    }
    logger.info('oauth tokens issued', { clientId: client.clientId, grantType });
    ctx.set('Pragma', 'no-cache');
    ctx.body = {
      access_token: exchange.tokens.accessToken,
      token_type: 'Bearer',
      expires_in: Math.round(LIFETIME_MS.accessToken / 1000),
      refresh_token: exchange.tokens.refreshToken,
      scope: exchange.tokens.scope,
    };
  });
  methods('/oauth/token', 'POST');

  router.post('/oauth/revoke', limitEndpoints, oauthJson, async (ctx) => {
    const form = await readForm(ctx);
    refuseWhenThrottled(deps.authFailures, deps.client(ctx)); // after the body: see /oauth/authorize
    const client = authenticateClient(ctx, form);
    store.revokeToken(required(form, 'token'), client.clientId, clock());
    logger.info('oauth token revoked by its client', { clientId: client.clientId });
    ctx.body = {};
  });
  methods('/oauth/revoke', 'POST');

  /** Every resource parameter (RFC 8707) must name this server's /mcp. */
  function checkResources(form: URLSearchParams): void {
    if (form.getAll('resource').some((r) => !resources.accepted.has(r))) {
      throw new OAuthHttpError(400, 'invalid_target', `This server only issues tokens for ${resource}.`);
    }
  }

  /** JSON endpoints: OAuth errors in their shape, the database missing as 503. */
  async function oauthJson(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    try {
      if (!store.available) throw new OAuthUnavailableError('no database');
      await next();
    } catch (err) {
      if (err instanceof OAuthUnavailableError) {
        logUnavailable(err);
        answer(ctx, new OAuthHttpError(503, 'temporarily_unavailable', UNAVAILABLE_MESSAGE));
        return;
      }
      if (!(err instanceof OAuthHttpError)) throw err;
      answer(ctx, err);
    }
  }

  /** HTML endpoints: a failing database or a malformed form is a page too. */
  async function htmlErrors(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (err instanceof OAuthHttpError) {
        showError(
          ctx,
          err.status,
          'This form cannot be used',
          'The form was malformed. Go back to the app and start connecting again.',
        );
        return;
      }
      if (!(err instanceof OAuthUnavailableError)) throw err;
      logUnavailable(err);
      showError(ctx, 503, 'Connecting is unavailable right now', UNAVAILABLE_MESSAGE);
    }
  }

  let lastUnavailableLog = -Infinity;
  function logUnavailable(err: OAuthUnavailableError): void {
    const now = clock();
    if (now - lastUnavailableLog < 60_000) return;
    lastUnavailableLog = now;
    const cause = err.cause instanceof Error ? err.cause.message : undefined;
    logger.error('oauth unavailable: the database cannot be used; the API key still works', {
      reason: err.message,
      cause,
    });
  }

  return router;
}

const UNAVAILABLE_MESSAGE =
  "Connecting with OAuth is unavailable because the server's database cannot be used right now (the server log says why). " +
  'Clients that use the API key keep working.';

function answer(ctx: Context, err: OAuthHttpError): void {
  ctx.status = err.status;
  ctx.set(err.headers);
  ctx.body = { error: err.error, error_description: err.description, message: err.description };
}

/** RFC 7591 client metadata → what we register, or an invalid_* error. */
function registrationMetadata(body: unknown): { name: string; redirectUris: string[]; authMethod: ClientAuthMethod } {
  const invalid = (description: string, error = 'invalid_client_metadata') =>
    new OAuthHttpError(400, error, description);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('The body must be a JSON object of client metadata.');
  const field = (name: string) => Object.getOwnPropertyDescriptor(body, name)?.value as unknown;

  const uris = field('redirect_uris');
  if (!Array.isArray(uris) || uris.length === 0)
    throw invalid('redirect_uris must be a non-empty array.', 'invalid_redirect_uri');
  if (uris.length > MAX_REDIRECT_URIS)
    throw invalid(`At most ${MAX_REDIRECT_URIS} redirect_uris.`, 'invalid_redirect_uri');
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem !== null) throw invalid(`Refused: ${problem}.`, 'invalid_redirect_uri');
  }

  const method = field('token_endpoint_auth_method') ?? 'client_secret_basic'; // RFC 7591 §2 default
  if (!CLIENT_AUTH_METHODS.includes(method as ClientAuthMethod)) {
    throw invalid(`token_endpoint_auth_method must be one of ${CLIENT_AUTH_METHODS.join(', ')}.`);
  }
  const grantTypes = field('grant_types');
  if (grantTypes !== undefined && (!Array.isArray(grantTypes) || !grantTypes.includes('authorization_code'))) {
    throw invalid('grant_types must include authorization_code (refresh_token is granted too).');
  }
  const responseTypes = field('response_types');
  if (responseTypes !== undefined && (!Array.isArray(responseTypes) || !responseTypes.includes('code'))) {
    throw invalid('response_types must include code.');
  }
  const rawName = field('client_name');
  if (rawName !== undefined && typeof rawName !== 'string') throw invalid('client_name must be a string.');
  const name = (rawName ?? '').trim();
  if ([...name].length > MAX_CLIENT_NAME || UNSHOWABLE_CHARACTER.test(name)) {
    throw invalid(`client_name must be plain text of at most ${MAX_CLIENT_NAME} characters.`);
  }
  return {
    name: name === '' ? 'Unnamed app' : name,
    redirectUris: uris as string[],
    authMethod: method as ClientAuthMethod,
  };
}

const formParser = bodyParser({ enableTypes: ['form'], formLimit: `${MAX_FORM_BYTES}b` } as bodyParser.Options);

/** The form body as URLSearchParams (flat strings, as OAuth defines them; not qs' nested objects). */
async function readForm(ctx: Context): Promise<URLSearchParams> {
  try {
    await formParser(ctx, async () => undefined);
  } catch (err) {
    const status = (err as { status?: number }).status === 413 ? 413 : 400;
    throw new OAuthHttpError(
      status,
      'invalid_request',
      'The body must be a small application/x-www-form-urlencoded form.',
    );
  }
  const raw = ctx.request.rawBody;
  return new URLSearchParams(typeof raw === 'string' ? raw : '');
}

function single(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) throw new OAuthHttpError(400, 'invalid_request', `${name} is repeated.`);
  return values[0];
}

function required(form: URLSearchParams, name: string): string {
  const value = single(form, name);
  if (value === undefined || value === '') throw new OAuthHttpError(400, 'invalid_request', `${name} is missing.`);
  return value;
}

function cookie(ctx: Context, name: string): string | undefined {
  for (const part of ctx.get('cookie').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Only for routing a Bearer token at /mcp: is it one of ours (else it can only be the API key)? */
export function looksLikeAccessToken(token: string): boolean {
  return token.startsWith(PREFIX.accessToken);
}
