/**
 * OAuth end to end with a real HTTP client (Node's fetch), the way ChatGPT's connector goes:
 * 401 → protected-resource metadata → authorization-server metadata → dynamic registration →
 * approval page → code → tokens → /mcp with the SDK's client → refresh (rotation) → revoke.
 * Then the same grant across a restart of the server: tokens live in the database.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../app/journal/database';
import { connectMcp, OWNER_PASSWORD, PUBLIC_URL, startMcpStack, TEST_API_KEY, type McpStack } from './harness';
import {
  approve,
  authorizeQuery,
  CHATGPT_REDIRECT,
  connect,
  exchange,
  getJson,
  local,
  mcpStatusWith,
  newPkce,
  openApproval,
  refresh,
  register,
  submitApproval,
  token,
  type RegisteredClient,
  type Tokens,
} from './oauth-client';

let stack: McpStack;
const seen: string[] = []; // every credential handed out, checked against logs at the end
const dataDirs: string[] = [];

beforeAll(async () => {
  stack = await startMcpStack();
});
afterAll(async () => {
  const logs = stack.logs.text();
  for (const secret of [...seen, OWNER_PASSWORD, TEST_API_KEY]) expect(logs).not.toContain(secret);
  await stack.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

test('the whole flow: discovery, registration, approval, tokens, /mcp, refresh with rotation, revocation', async () => {
  // 1. An unauthenticated MCP request says where to start.
  const challenge = await mcpStatusWith(stack, undefined, { 'cf-connecting-ip': '10.40.0.1' });
  expect(challenge.status).toBe(401);
  const header = challenge.headers.get('www-authenticate') ?? '';
  expect(header).toBe(`Bearer resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource"`);
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(header)![1];

  // 2. RFC 9728, then RFC 8414 at the authorization server it names.
  const resource = await getJson(stack, local(stack, metadataUrl));
  expect(resource.status).toBe(200);
  expect(resource.body).toMatchObject({
    resource: `${PUBLIC_URL}/mcp`,
    authorization_servers: [PUBLIC_URL],
    bearer_methods_supported: ['header'],
  });
  expect((await getJson(stack, '/.well-known/oauth-protected-resource/mcp')).body).toEqual(resource.body);
  const issuer = resource.body.authorization_servers[0] as string;
  const as = await getJson(stack, local(stack, `${issuer}/.well-known/oauth-authorization-server`));
  expect(as.body).toMatchObject({
    issuer: PUBLIC_URL,
    authorization_endpoint: `${PUBLIC_URL}/oauth/authorize`,
    token_endpoint: `${PUBLIC_URL}/oauth/token`,
    registration_endpoint: `${PUBLIC_URL}/oauth/register`,
    revocation_endpoint: `${PUBLIC_URL}/oauth/revoke`,
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    authorization_response_iss_parameter_supported: true,
  });
  expect(as.body.token_endpoint_auth_methods_supported).toContain('none');

  // 3. Dynamic registration of a public client.
  const registered = await register(stack, {
    client_name: 'ChatGPT',
    redirect_uris: [CHATGPT_REDIRECT],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'mcp',
  });
  expect(registered.status).toBe(201);
  expect(registered.body).toMatchObject({
    client_name: 'ChatGPT',
    redirect_uris: [CHATGPT_REDIRECT],
    token_endpoint_auth_method: 'none',
  });
  expect(registered.body.client_secret).toBeUndefined();
  const client = registered.body as RegisteredClient;

  // 4. The approval page names the client and where the person goes next; the owner approves.
  const pkce = newPkce();
  const query = authorizeQuery(client, pkce);
  const page = await openApproval(stack, query);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.html).toContain('“ChatGPT”');
  expect(page.html).toContain('chatgpt.com');
  expect(page.html).toContain('Owner password');
  expect(page.html).not.toMatch(/<script/i);
  const sent = await submitApproval(
    stack,
    query,
    { csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' },
    { cookie: page.cookie! },
  );
  expect(sent.status).toBe(303);
  const back = new URL(sent.location!);
  expect(back.origin + back.pathname).toBe(CHATGPT_REDIRECT);
  expect(back.searchParams.get('state')).toBe('state-xyz');
  expect(back.searchParams.get('iss')).toBe(PUBLIC_URL);
  const code = back.searchParams.get('code')!;
  seen.push(code);

  // 5. Code + verifier → tokens (opaque, at most an hour).
  const first = await exchange(stack, client, code, pkce);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('no-store');
  const tokens = first.body as Tokens;
  expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'mcp' });
  expect(tokens.access_token).toMatch(/^mcp_at_[A-Za-z0-9_-]{43}$/);
  expect(tokens.refresh_token).toMatch(/^mcp_rt_[A-Za-z0-9_-]{43}$/);
  seen.push(tokens.access_token, tokens.refresh_token);

  // 6. The SDK's client on /mcp with the access token, both eras.
  for (const era of ['legacy', 'modern'] as const) {
    const mcp = await connectMcp(stack.mcpUrl, tokens.access_token, era);
    const { tools } = await mcp.listTools();
    expect(tools).toHaveLength(6);
    const status = await mcp.callTool({ name: 'get_status', arguments: {} });
    expect(status.isError).toBeFalsy();
    await mcp.close();
  }
  // The OAuth token opens /mcp only, not the HTTP API (its key is the API key).
  expect(
    (
      await stack.raw({
        path: '/status',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'cf-connecting-ip': '10.40.0.2' },
      })
    ).status,
  ).toBe(401);

  // 7. Refresh: a new pair, the old refresh token is used up.
  const second = await refresh(stack, client, tokens.refresh_token);
  expect(second.status).toBe(200);
  const rotated = second.body as Tokens;
  seen.push(rotated.access_token, rotated.refresh_token);
  expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
  expect(rotated.access_token).not.toBe(tokens.access_token);
  expect((await mcpStatusWith(stack, rotated.access_token)).status).toBe(200);

  // 8. The client revokes (RFC 7009): the whole family stops working at once.
  const revoked = await fetch(new URL('/oauth/revoke', stack.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: rotated.refresh_token, client_id: client.client_id }),
  });
  expect(revoked.status).toBe(200);
  expect(await revoked.json()).toEqual({});
  for (const access of [tokens.access_token, rotated.access_token]) {
    const res = await mcpStatusWith(stack, access, { 'cf-connecting-ip': '10.40.0.3' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  }
  expect((await refresh(stack, client, rotated.refresh_token)).body.error).toBe('invalid_grant');
});

test('confidential clients (client_secret_post, client_secret_basic), as claude.ai registers', async () => {
  for (const method of ['client_secret_post', 'client_secret_basic'] as const) {
    const res = await register(stack, {
      client_name: 'Claude',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      token_endpoint_auth_method: method,
    });
    expect(res.status).toBe(201);
    const client = res.body as RegisteredClient;
    expect(client.client_secret).toMatch(/^mcp_cs_/);
    seen.push(client.client_secret!);
    const pkce = newPkce();
    const code = await approve(stack, client, pkce);
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect_uris[0],
      code_verifier: pkce.verifier,
    };
    const auth: { headers: Record<string, string>; form: Record<string, string> } =
      method === 'client_secret_basic'
        ? {
            headers: {
              authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
            },
            form,
          }
        : { headers: {}, form: { ...form, client_id: client.client_id, client_secret: client.client_secret! } };
    const issued = await token(stack, auth.form, auth.headers);
    expect(issued.status).toBe(200);
    seen.push(issued.body.access_token, issued.body.refresh_token);
    expect((await mcpStatusWith(stack, issued.body.access_token)).status).toBe(200);
  }
});

test('tokens outlive a restart: they are in the database, and only as hashes', async () => {
  const { client, tokens } = await connect(stack, 'Claude Code');
  seen.push(tokens.access_token, tokens.refresh_token);
  // Commit the WAL so the main file holds everything, then look for any credential in the bytes.
  stack.db!.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const bytes = readFileSync(join(stack.dataDir, DATABASE_FILE)).toString('latin1');
  for (const secret of seen) expect(bytes).not.toContain(secret);
  const rows = stack.db!.prepare('SELECT token_hash, kind FROM oauth_tokens').all() as Array<{
    token_hash: Uint8Array;
  }>;
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.token_hash).toHaveLength(32);

  const { dataDir, sim } = stack;
  dataDirs.push(dataDir);
  await stack.close({ keepDataDir: true, keepSimulator: true });
  const restarted = await startMcpStack({ dataDir }, sim);
  try {
    expect((await mcpStatusWith(restarted, tokens.access_token)).status).toBe(200);
    const renewed = await refresh(restarted, client, tokens.refresh_token);
    expect(renewed.status).toBe(200);
    seen.push(renewed.body.access_token, renewed.body.refresh_token);
    expect((await mcpStatusWith(restarted, renewed.body.access_token)).status).toBe(200);
  } finally {
    stack = restarted; // afterAll checks its logs and closes it (and the simulator)
  }
});
