/**
 * A small OAuth client for the tests, on Node's own fetch (undici) over real HTTP: what ChatGPT's
 * or Claude's connector does, step by step, so each step can also be done wrong on purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { OWNER_PASSWORD, type McpStack } from './harness';

export const CHATGPT_REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function answer(res: Response): Promise<JsonAnswer> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** A URL the server published (on PUBLIC_URL) mapped to the test server. */
export function local(stack: McpStack, published: string): string {
  const url = new URL(published);
  return new URL(url.pathname + url.search, stack.url).href;
}

export async function getJson(stack: McpStack, path: string): Promise<JsonAnswer> {
  return answer(await fetch(new URL(path, stack.url)));
}

export async function register(
  stack: McpStack,
  metadata: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return answer(
    await fetch(new URL('/oauth/register', stack.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(metadata),
    }),
  );
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
}

export async function registerPublicClient(
  stack: McpStack,
  name = 'ChatGPT',
  redirectUri = CHATGPT_REDIRECT,
): Promise<RegisteredClient> {
  const res = await register(stack, {
    client_name: name,
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  return res.body as RegisteredClient;
}

export function authorizeQuery(
  client: RegisteredClient,
  pkce: Pkce,
  extra: Record<string, string> = {},
): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: 'state-xyz',
    scope: 'mcp',
    resource: 'https://anova.example.com/mcp',
    ...extra,
  });
}

export interface ApprovalForm {
  status: number;
  headers: Headers;
  html: string;
  csrf: string | undefined;
  cookie: string | undefined;
  action: string | undefined;
}

/** GET /oauth/authorize: the approval page, its CSRF field and cookie. */
export async function openApproval(
  stack: McpStack,
  query: URLSearchParams,
  headers: Record<string, string> = {},
): Promise<ApprovalForm> {
  const res = await fetch(new URL(`/oauth/authorize?${query}`, stack.url), { redirect: 'manual', headers });
  const html = await res.text();
  const setCookie = res.headers.getSetCookie().find((c) => c.includes('oauth_csrf='));
  return {
    status: res.status,
    headers: res.headers,
    html,
    csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1],
    cookie: setCookie?.split(';')[0],
    action: /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&'),
  };
}

/** POST /oauth/authorize as the page's form would (decision, secret, csrf), with the cookie. */
export async function submitApproval(
  stack: McpStack,
  query: URLSearchParams,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | null; html: string; headers: Headers }> {
  const res = await fetch(new URL(`/oauth/authorize?${query}`, stack.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
}

/** The owner opens the page and approves: returns the code from the redirect. */
export async function approve(
  stack: McpStack,
  client: RegisteredClient,
  pkce: Pkce,
  opts: { secret?: string; ip?: string; extra?: Record<string, string> } = {},
): Promise<string> {
  const query = authorizeQuery(client, pkce, opts.extra);
  const ip: Record<string, string> = opts.ip ? { 'cf-connecting-ip': opts.ip } : {};
  const page = await openApproval(stack, query, ip);
  if (page.status !== 200 || !page.csrf || !page.cookie)
    throw new Error(`no approval page: ${page.status} ${page.html.slice(0, 300)}`);
  const sent = await submitApproval(
    stack,
    query,
    { csrf: page.csrf, secret: opts.secret ?? OWNER_PASSWORD, decision: 'approve' },
    { cookie: page.cookie, ...ip },
  );
  if (sent.status !== 303 || !sent.location)
    throw new Error(`approval failed: ${sent.status} ${sent.html.slice(0, 300)}`);
  const code = new URL(sent.location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${sent.location}`);
  return code;
}

export async function token(
  stack: McpStack,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  return answer(
    await fetch(new URL('/oauth/token', stack.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    }),
  );
}

export async function exchange(
  stack: McpStack,
  client: RegisteredClient,
  code: string,
  pkce: Pkce,
): Promise<JsonAnswer> {
  return token(stack, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirect_uris[0],
    code_verifier: pkce.verifier,
    client_id: client.client_id,
    resource: 'https://anova.example.com/mcp',
  });
}

export async function refresh(stack: McpStack, client: RegisteredClient, refreshToken: string): Promise<JsonAnswer> {
  return token(stack, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

/** Register → approve → exchange, as a connector does; returns the client and its first tokens. */
export async function connect(
  stack: McpStack,
  name = 'ChatGPT',
): Promise<{ client: RegisteredClient; tokens: Tokens }> {
  const client = await registerPublicClient(stack, name);
  const pkce = newPkce();
  const code = await approve(stack, client, pkce);
  const res = await exchange(stack, client, code, pkce);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${res.text}`);
  return { client, tokens: res.body as Tokens };
}

/** POST /mcp initialize with a Bearer token: the status tells whether the token is accepted. */
export async function mcpStatusWith(stack: McpStack, bearer: string | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(stack.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    }),
  });
  return answer(res);
}
