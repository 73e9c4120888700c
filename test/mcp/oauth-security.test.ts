/**
 * The OAuth authorization server and /mcp's authentication under attack: missing, wrong and
 * expired tokens; a code used twice; a wrong PKCE verifier; a refresh token reused after
 * rotation; redirect URIs that are not registered or may not be registered; brute force on the
 * approval page; CSRF; the database gone (fail closed); and what the database and the logs
 * hold. Each attack comes from its own client address so one test's failures never throttle
 * another's.
 */
import { oauthList, oauthRevoke } from '../../app/mcp/cli';
import { LIFETIME_MS, MAX_UNAPPROVED_CLIENTS } from '../../app/oauth/store';
import { Writable } from 'node:stream';
import { connect as openSocket } from 'node:net';
import { once } from 'node:events';
import { OWNER_PASSWORD, PUBLIC_URL, startMcpStack, TEST_API_KEY, type McpStack } from './harness';
import {
  approve,
  authorizeQuery,
  connect,
  exchange,
  mcpStatusWith,
  newPkce,
  openApproval,
  refresh,
  register,
  registerPublicClient,
  submitApproval,
  token,
  type RegisteredClient,
} from './oauth-client';

let stack: McpStack;
let ip = 0;
const nextIp = () => `10.50.${(++ip >> 8) & 255}.${ip & 255}`;
const bodies: string[] = [];

beforeAll(async () => {
  stack = await startMcpStack();
});
afterAll(async () => {
  const everything = [stack.logs.text(), ...bodies].join('\n');
  expect(everything).not.toContain(TEST_API_KEY);
  expect(everything).not.toContain(OWNER_PASSWORD);
  expect(everything).not.toMatch(/mcp_(at|rt|ac|cs)_[A-Za-z0-9_-]{43}/); // no code, token or client secret
  await stack.close();
});

// A minute passes between tests, so the per-client limit of /oauth/* (60 a minute) starts afresh.
beforeEach(() => stack.advance(60_000));

const metadata = `Bearer resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource"`;

describe('/mcp authentication', () => {
  test.each([
    ['no Authorization header', undefined, metadata],
    ['a wrong token', 'mcp_at_not-a-token-that-was-ever-issued-0000000000', `${metadata}, error="invalid_token"`],
    ['a wrong API key', `sk-anova-${'wrong-key-'.padEnd(43, '0')}`, `${metadata}, error="invalid_token"`],
  ])('%s → 401 with WWW-Authenticate resource_metadata', async (_name, bearer, expected) => {
    const res = await mcpStatusWith(stack, bearer, { 'cf-connecting-ip': nextIp() });
    bodies.push(res.text);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(expected);
    expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String) });
    if (bearer) expect(res.text).not.toContain(bearer);
  });

  test('an expired access token → 401; its refresh token still renews the grant', async () => {
    const { client, tokens } = await connect(stack);
    expect((await mcpStatusWith(stack, tokens.access_token)).status).toBe(200);
    stack.advance(LIFETIME_MS.accessToken + 1_000);
    const expired = await mcpStatusWith(stack, tokens.access_token, { 'cf-connecting-ip': nextIp() });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe(`${metadata}, error="invalid_token"`);
    const renewed = await refresh(stack, client, tokens.refresh_token);
    expect(renewed.status).toBe(200);
    expect((await mcpStatusWith(stack, renewed.body.access_token)).status).toBe(200);
  });

  test('the API key works on /mcp; an OAuth token does not open the HTTP API', async () => {
    expect((await mcpStatusWith(stack, TEST_API_KEY)).status).toBe(200);
    const { tokens } = await connect(stack);
    const res = await stack.raw({
      path: '/status',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'cf-connecting-ip': nextIp() },
    });
    expect(res.status).toBe(401);
  });

  test('requests with no credential (OAuth discovery) are not counted as failures', async () => {
    const client = { 'cf-connecting-ip': nextIp() };
    for (let i = 0; i < 15; i++) expect((await mcpStatusWith(stack, undefined, client)).status).toBe(401);
    expect((await mcpStatusWith(stack, TEST_API_KEY, client)).status).toBe(200);
  });

  test('failures on /mcp count toward the throttle the HTTP API uses', async () => {
    const attacker = { 'cf-connecting-ip': nextIp() };
    for (let i = 0; i < 10; i++) expect((await mcpStatusWith(stack, `guess-${i}`, attacker)).status).toBe(401);
    expect((await mcpStatusWith(stack, TEST_API_KEY, attacker)).status).toBe(429);
    const http = await stack.raw({
      path: '/status',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, ...attacker },
    });
    expect(http.status).toBe(429);
    expect(http.body.error).toBe('RATE_LIMITED');
  });
});

describe('authorization codes and PKCE', () => {
  test('a code used twice: the second use fails and revokes every token the first one got', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    const code = await approve(stack, client, pkce);
    const first = await exchange(stack, client, code, pkce);
    expect(first.status).toBe(200);
    expect((await mcpStatusWith(stack, first.body.access_token)).status).toBe(200);
    const second = await exchange(stack, client, code, pkce);
    bodies.push(second.text);
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used/),
    });
    expect(second.body.message).toBe(second.body.error_description);
    expect((await mcpStatusWith(stack, first.body.access_token, { 'cf-connecting-ip': nextIp() })).status).toBe(401);
    expect((await refresh(stack, client, first.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  test('a wrong PKCE verifier is refused, and the code is gone afterwards', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    const code = await approve(stack, client, pkce);
    const wrong = await exchange(stack, client, code, { ...pkce, verifier: newPkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/code_verifier/),
    });
    expect((await exchange(stack, client, code, pkce)).body.error).toBe('invalid_grant');
  });

  test('no verifier, a malformed one, another client or another redirect_uri: refused', async () => {
    const client = await registerPublicClient(stack);
    const other = await registerPublicClient(stack, 'Other', 'https://other.example/cb');
    const pkce = newPkce();
    const base = {
      grant_type: 'authorization_code',
      redirect_uri: client.redirect_uris[0],
      client_id: client.client_id,
    };
    const code1 = await approve(stack, client, pkce);
    expect((await token(stack, { ...base, code: code1 })).body).toMatchObject({ error: 'invalid_request' });
    expect((await token(stack, { ...base, code: code1, code_verifier: 'short' })).body).toMatchObject({
      error: 'invalid_request',
    });
    expect(
      (await token(stack, { ...base, code: code1, code_verifier: pkce.verifier, client_id: other.client_id })).body,
    ).toMatchObject({
      error: 'invalid_grant',
    });
    const code2 = await approve(stack, client, pkce);
    const elsewhere = await token(stack, {
      ...base,
      code: code2,
      code_verifier: pkce.verifier,
      redirect_uri: 'https://chatgpt.com/other',
    });
    expect(elsewhere.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/redirect_uri/),
    });
  });

  test('an expired code is refused', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    const code = await approve(stack, client, pkce);
    stack.advance(LIFETIME_MS.code + 1_000);
    expect((await exchange(stack, client, code, pkce)).body.error).toBe('invalid_grant');
  });

  test('authorization requests without S256 PKCE are sent back with invalid_request, never with a code', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    const broken: Array<Record<string, string>> = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { code_challenge: 'x'.repeat(20) },
    ];
    for (const extra of broken) {
      const page = await openApproval(stack, authorizeQuery(client, pkce, extra));
      expect(page.status).toBe(303);
      const back = new URL(page.headers.get('location')!);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
      expect(back.searchParams.get('state')).toBe('state-xyz');
    }
    const noMethod = authorizeQuery(client, pkce);
    noMethod.delete('code_challenge_method');
    expect(new URL((await openApproval(stack, noMethod)).headers.get('location')!).searchParams.get('error')).toBe(
      'invalid_request',
    );
    const implicit = await openApproval(stack, authorizeQuery(client, pkce, { response_type: 'token' }));
    expect(new URL(implicit.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
    const foreign = await openApproval(stack, authorizeQuery(client, pkce, { resource: 'https://evil.example/mcp' }));
    expect(new URL(foreign.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
  });
});

describe('refresh tokens', () => {
  test('a refresh token reused after rotation revokes the whole family', async () => {
    const { client, tokens } = await connect(stack);
    const rotated = await refresh(stack, client, tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const replay = await refresh(stack, client, tokens.refresh_token);
    bodies.push(replay.text);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used/),
    });
    // The thief and the legitimate client are both out: every token of the family is dead.
    expect((await refresh(stack, client, rotated.body.refresh_token)).body.error).toBe('invalid_grant');
    for (const access of [tokens.access_token, rotated.body.access_token]) {
      expect((await mcpStatusWith(stack, access, { 'cf-connecting-ip': nextIp() })).status).toBe(401);
    }
    expect(stack.logs.records()).toContainEqual(
      expect.objectContaining({ message: 'oauth refresh token used twice: its grant is revoked' }),
    );
  });

  test('a refresh token presented by another client is refused and revokes its family', async () => {
    const { client, tokens } = await connect(stack);
    const thief = await registerPublicClient(stack, 'Thief', 'https://thief.example/cb');
    expect((await refresh(stack, thief, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(stack, client, tokens.refresh_token)).body.error).toBe('invalid_grant');
  });
});

describe('redirect URIs', () => {
  test('an unregistered redirect URI gets an error page, never a redirect', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    for (const redirect of [
      'https://evil.example/cb',
      `${client.redirect_uris[0]}/x`,
      `${client.redirect_uris[0]}?a=1`,
      client.redirect_uris[0].toUpperCase(),
    ]) {
      const page = await openApproval(stack, authorizeQuery(client, pkce, { redirect_uri: redirect }));
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(page.html).toContain('not one the app registered');
      expect(page.csrf).toBeUndefined();
    }
    const unknownClient = await openApproval(
      stack,
      authorizeQuery({ ...client, client_id: 'mcp_client_nobody' }, pkce),
    );
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.headers.get('location')).toBeNull();
  });

  test.each([
    ['http on a public host', 'http://evil.example/cb'],
    ['a custom scheme', 'cursor://anysphere.cursor-mcp/oauth/callback'],
    ['a javascript: URI', 'javascript:alert(1)'],
    ['a fragment', 'https://chatgpt.com/cb#frag'],
    ['credentials in the URI', 'https://user:pw@chatgpt.com/cb'],
    ['whitespace', 'https://chatgpt.com/cb '],
    ['not a URL', 'chatgpt.com/cb'],
  ])('registering %s is refused', async (_name, uri) => {
    const res = await register(stack, { client_name: 'x', redirect_uris: [uri], token_endpoint_auth_method: 'none' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_redirect_uri');
    expect(res.text).not.toContain(uri);
  });

  test.each([
    'http://localhost:33418/callback',
    'http://127.0.0.1:8976/cb',
    'http://[::1]:9000/cb',
    'https://claude.ai/api/mcp/auth_callback',
  ])('%s may be registered', async (uri) => {
    const res = await register(stack, { client_name: 'x', redirect_uris: [uri], token_endpoint_auth_method: 'none' });
    expect(res.status).toBe(201);
  });

  test('a flood of registrations nobody approves pushes out the oldest of them, never an approved app', async () => {
    const { client, tokens } = await connect(stack, 'Approved before the flood');
    const flood: RegisteredClient[] = [];
    for (let i = 0; i < MAX_UNAPPROVED_CLIENTS + 10; i++) {
      const res = await register(
        stack,
        { client_name: `flood-${i}`, redirect_uris: ['https://flood.example/cb'], token_endpoint_auth_method: 'none' },
        { 'cf-connecting-ip': nextIp() },
      );
      expect(res.status).toBe(201);
      flood.push(res.body as RegisteredClient);
    }
    const pageFor = (c: RegisteredClient) =>
      openApproval(stack, authorizeQuery(c, newPkce()), { 'cf-connecting-ip': nextIp() });
    expect((await pageFor(flood[0])).status).toBe(400); // pushed out: an unknown client
    expect((await pageFor(flood.at(-1)!)).status).toBe(200);
    expect((await refresh(stack, client, tokens.refresh_token)).status).toBe(200);
    expect(
      await approve(stack, await registerPublicClient(stack, 'After the flood'), newPkce(), { ip: nextIp() }),
    ).toMatch(/^mcp_ac_/);
  });

  test('client metadata that cannot work is refused', async () => {
    const base = { redirect_uris: ['https://chatgpt.com/cb'] };
    expect((await register(stack, { ...base, token_endpoint_auth_method: 'private_key_jwt' })).body.error).toBe(
      'invalid_client_metadata',
    );
    expect((await register(stack, { ...base, grant_types: ['client_credentials'] })).body.error).toBe(
      'invalid_client_metadata',
    );
    expect((await register(stack, { ...base, client_name: 'a\u0000b' })).body.error).toBe('invalid_client_metadata');
    expect((await register(stack, { ...base, client_name: 'Chat\u202eGPT' })).body.error).toBe(
      'invalid_client_metadata',
    );
    expect((await register(stack, { ...base, client_name: 'Chat\u200bGPT' })).body.error).toBe(
      'invalid_client_metadata',
    );
    expect((await register(stack, { redirect_uris: [] })).body.error).toBe('invalid_redirect_uri');
    expect((await register(stack, ['https://chatgpt.com/cb'] as unknown as Record<string, unknown>)).body.error).toBe(
      'invalid_client_metadata',
    );
  });
});

describe('the approval page', () => {
  test('brute force on the owner secret hits the failed-auth throttle, shared with the HTTP API', async () => {
    const client = await registerPublicClient(stack);
    const pkce = newPkce();
    const query = authorizeQuery(client, pkce);
    const attacker = { 'cf-connecting-ip': nextIp() };
    const page = await openApproval(stack, query, attacker);
    for (let i = 0; i < 10; i++) {
      const res = await submitApproval(
        stack,
        query,
        { csrf: page.csrf!, secret: `guess-${i}`, decision: 'approve' },
        { cookie: page.cookie!, ...attacker },
      );
      expect(res.status).toBe(403);
      expect(res.location).toBeNull();
      expect(res.html).toContain('That is not the owner password');
    }
    const right = await submitApproval(
      stack,
      query,
      { csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' },
      { cookie: page.cookie!, ...attacker },
    );
    expect(right.status).toBe(429);
    expect(right.location).toBeNull();
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    const api = await stack.raw({ path: '/status', headers: { authorization: `Bearer ${TEST_API_KEY}`, ...attacker } });
    expect(api.status).toBe(429);
    // Someone else is not affected.
    expect(await approve(stack, client, pkce, { ip: nextIp() })).toMatch(/^mcp_ac_/);
  });

  test('guesses sent in parallel cannot all pass the throttle before the first failure counts', async () => {
    const client = await registerPublicClient(stack);
    const query = authorizeQuery(client, newPkce());
    const ip = nextIp();
    const page = await openApproval(stack, query, { 'cf-connecting-ip': ip });
    // 30 requests whose headers arrive first and whose bodies come later: every handler is
    // waiting for its body (the /health round trip after the headers shows the server has read them).
    const { hostname, port } = new URL(stack.url);
    const bodies = Array.from({ length: 30 }, (_, i) =>
      new URLSearchParams({ csrf: page.csrf!, secret: `parallel-guess-${i}`, decision: 'approve' }).toString(),
    );
    const sockets = await Promise.all(
      bodies.map(async (body) => {
        const socket = openSocket(Number(port), hostname);
        await once(socket, 'connect');
        let answer = '';
        socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
        const ended = once(socket, 'end').then(() => answer);
        const head = [
          `POST /oauth/authorize?${query} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          'Content-Type: application/x-www-form-urlencoded',
          `Content-Length: ${Buffer.byteLength(body)}`,
          `Cookie: ${page.cookie!}`,
          `CF-Connecting-IP: ${ip}`,
          'Connection: close',
          '',
          '',
        ].join('\r\n');
        await new Promise<void>((resolve, reject) => socket.write(head, (err) => (err ? reject(err) : resolve())));
        return { socket, body, ended };
      }),
    );
    expect((await stack.raw({ path: '/health' })).status).toBe(200);
    for (const { socket, body } of sockets) socket.write(body);
    const answers = await Promise.all(sockets.map((s) => s.ended));
    const statuses = answers.map((a) => Number(/^HTTP\/1\.1 (\d{3})/.exec(a)?.[1]));
    expect(statuses.filter((s) => s === 403)).toHaveLength(10); // the secret was compared 10 times
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  test('CSRF: no cookie, another cookie, no field, or a foreign Origin → 403, no code', async () => {
    const client = await registerPublicClient(stack);
    const query = authorizeQuery(client, newPkce());
    const page = await openApproval(stack, query);
    const other = await openApproval(stack, query);
    const attempts: Array<[Record<string, string>, Record<string, string>]> = [
      [{ csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' }, {}],
      [{ csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' }, { cookie: other.cookie! }],
      [{ secret: OWNER_PASSWORD, decision: 'approve' }, { cookie: page.cookie! }],
      [
        { csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' },
        { cookie: page.cookie!, origin: 'https://evil.example' },
      ],
    ];
    for (const [form, headers] of attempts) {
      const res = await submitApproval(stack, query, form, { ...headers, 'cf-connecting-ip': nextIp() });
      expect(res.status).toBe(403);
      expect(res.location).toBeNull();
    }
    const ok = await submitApproval(
      stack,
      query,
      { csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' },
      { cookie: page.cookie!, origin: PUBLIC_URL },
    );
    expect(ok.status).toBe(303);
  });

  test('a form over 8 KiB gets an error page, not a server error', async () => {
    const client = await registerPublicClient(stack);
    const query = authorizeQuery(client, newPkce());
    const page = await openApproval(stack, query);
    const res = await submitApproval(
      stack,
      query,
      { csrf: page.csrf!, secret: 'x'.repeat(9_000), decision: 'approve' },
      { cookie: page.cookie! },
    );
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.location).toBeNull();
  });

  test('the page escapes what the client registered, cannot be framed, runs no script', async () => {
    const res = await register(stack, {
      client_name: '<script>alert(1)</script>"><img src=x>',
      redirect_uris: ['https://chatgpt.com/cb?x="><b>'],
      token_endpoint_auth_method: 'none',
    });
    expect(res.status).toBe(201);
    const page = await openApproval(stack, authorizeQuery(res.body, newPkce()));
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('<img');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x&gt;');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://chatgpt.com");
    expect(csp).not.toMatch(/script-src/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const cookie = page.headers.getSetCookie().find((c) => c.includes('oauth_csrf='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/^__Host-.*; Secure/); // PUBLIC_URL is https
  });

  test('Deny sends the person back with access_denied and no code', async () => {
    const client = await registerPublicClient(stack);
    const query = authorizeQuery(client, newPkce());
    const page = await openApproval(stack, query);
    const res = await submitApproval(stack, query, { csrf: page.csrf!, decision: 'deny' }, { cookie: page.cookie! });
    expect(res.status).toBe(303);
    const back = new URL(res.location!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
  });

  test('without OAUTH_OWNER_PASSWORD the page asks for the API key, and only the key approves', async () => {
    const keyed = await startMcpStack({ ownerPassword: null, waitReady: false }, undefined);
    try {
      const client = await registerPublicClient(keyed);
      const pkce = newPkce();
      const page = await openApproval(keyed, authorizeQuery(client, pkce));
      expect(page.html).toContain('API key of this server');
      const query = authorizeQuery(client, pkce);
      const wrong = await submitApproval(
        keyed,
        query,
        { csrf: page.csrf!, secret: OWNER_PASSWORD, decision: 'approve' },
        { cookie: page.cookie! },
      );
      expect(wrong.status).toBe(403);
      expect(await approve(keyed, client, pkce, { secret: TEST_API_KEY })).toMatch(/^mcp_ac_/);
    } finally {
      await keyed.close();
    }
  });
});

describe('without a database (journal degraded): OAuth fails closed, the API key still works', () => {
  let degraded: McpStack;
  beforeAll(async () => {
    degraded = await startMcpStack({ withoutDatabase: true });
  });
  afterAll(async () => {
    await degraded.close();
  });

  test('registration, token and the approval page answer 503 with a clear message', async () => {
    const reg = await register(degraded, { redirect_uris: ['https://chatgpt.com/cb'] });
    expect(reg.status).toBe(503);
    expect(reg.body).toMatchObject({ error: 'temporarily_unavailable', message: expect.stringMatching(/database/) });
    const tok = await token(degraded, { grant_type: 'refresh_token', refresh_token: 'mcp_rt_x', client_id: 'c' });
    expect(tok.status).toBe(503);
    const page = await openApproval(degraded, new URLSearchParams({ client_id: 'c' }));
    expect(page.status).toBe(503);
    expect(page.html).toContain('database');
    expect(degraded.logs.records()).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/^oauth unavailable/) }),
    );
  });

  test('an access token gets 503 JOURNAL_UNAVAILABLE (never access); the API key gets in', async () => {
    const res = await mcpStatusWith(degraded, 'mcp_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('JOURNAL_UNAVAILABLE');
    expect((await mcpStatusWith(degraded, TEST_API_KEY)).status).toBe(200);
  });
});

describe('the CLI', () => {
  const capture = () => {
    let text = '';
    return { out: new Writable({ write: (c, _e, done) => ((text += String(c)), done()) }), text: () => text };
  };

  test('oauth list shows the clients; oauth revoke <id> cuts one off at once; oauth revoke all the rest', async () => {
    const a = await connect(stack, 'List Me A');
    const b = await connect(stack, 'List Me B');
    const listed = capture();
    expect(oauthList({ dataDir: stack.dataDir, out: listed.out })).toBe(0);
    expect(listed.text()).toContain(a.client.client_id);
    expect(listed.text()).toContain('List Me B');
    expect(listed.text()).not.toMatch(/mcp_(at|rt)_/);

    const revoked = capture();
    expect(oauthRevoke({ dataDir: stack.dataDir, target: a.client.client_id, out: revoked.out })).toBe(0);
    expect((await mcpStatusWith(stack, a.tokens.access_token, { 'cf-connecting-ip': nextIp() })).status).toBe(401);
    expect((await mcpStatusWith(stack, b.tokens.access_token)).status).toBe(200);
    expect(oauthRevoke({ dataDir: stack.dataDir, target: a.client.client_id, out: capture().out })).toBe(1);
    expect(oauthRevoke({ dataDir: stack.dataDir, target: undefined, out: capture().out })).toBe(2);

    const all = capture();
    expect(oauthRevoke({ dataDir: stack.dataDir, target: 'all', out: all.out })).toBe(0);
    expect(all.text()).toMatch(/^Revoked \d+ clients/);
    expect((await mcpStatusWith(stack, b.tokens.access_token, { 'cf-connecting-ip': nextIp() })).status).toBe(401);
    const empty = capture();
    oauthList({ dataDir: stack.dataDir, out: empty.out });
    expect(empty.text()).toBe('No OAuth clients are registered.\n');
  });
});
