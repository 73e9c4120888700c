/**
 * The MCP config fragment (app/mcp/config.ts) as envalid runs it once merged into app/config.ts:
 * OAUTH_OWNER_PASSWORD is optional, at least 12 characters when set, and never echoed.
 */
import { cleanEnv } from 'envalid';
import { mcpConfigSpec, readMcpConfig } from '../../app/mcp/config';

function load(env: Record<string, string>) {
  const errors: Record<string, Error | undefined> = {};
  const cleaned = cleanEnv(env, mcpConfigSpec, {
    reporter: ({ errors: e }) => Object.assign(errors, e),
  });
  return { config: Object.keys(errors).length === 0 ? readMcpConfig(cleaned) : null, errors };
}

test('unset or empty: no owner password (the approval page asks for the API key)', () => {
  expect(load({}).config).toEqual({ oauthOwnerPassword: null });
  expect(load({ OAUTH_OWNER_PASSWORD: '' }).config).toEqual({ oauthOwnerPassword: null });
});

test('12 characters or more is the password, kept exactly', () => {
  expect(load({ OAUTH_OWNER_PASSWORD: 'correct horse' }).config).toEqual({ oauthOwnerPassword: 'correct horse' });
  expect(load({ OAUTH_OWNER_PASSWORD: 'ünïcödé-pässwörd' }).config?.oauthOwnerPassword).toBe('ünïcödé-pässwörd');
});

test.each(['short-pw', '11-chars-xx', '  padded-password  '])('%j is refused without echoing it', (value) => {
  const { config, errors } = load({ OAUTH_OWNER_PASSWORD: value });
  expect(config).toBeNull();
  const message = errors.OAUTH_OWNER_PASSWORD?.message ?? '';
  expect(message).toMatch(/^must /);
  expect(message).not.toContain(value.trim());
});
