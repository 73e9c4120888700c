/**
 * The MCP edge's configuration: an envalid spec fragment for app/config.ts to merge, and what it
 * turns into. Like every validator for a secret, it never echoes the value.
 *
 *   OAUTH_OWNER_PASSWORD  optional; at least 12 characters. What the owner types on the OAuth
 *                         approval page. Unset: the page asks for the API key instead.
 */
import { makeValidator } from 'envalid';

export const OWNER_PASSWORD_MIN_LENGTH = 12;

const ownerPassword = makeValidator<string>((value) => {
  if (value === '') return '';
  if ([...value].length < OWNER_PASSWORD_MIN_LENGTH) {
    throw new Error(`must be at least ${OWNER_PASSWORD_MIN_LENGTH} characters when set`);
  }
  if (value.trim() !== value) throw new Error('must not start or end with whitespace');
  return value;
});

export const mcpConfigSpec = {
  OAUTH_OWNER_PASSWORD: ownerPassword({
    default: '',
    desc: 'password the owner types to approve an OAuth client (MCP); unset: the API key is asked for',
  }),
};

export interface McpConfig {
  /** null when unset: the approval page asks for API_KEY. */
  oauthOwnerPassword: string | null;
}

/** From envalid's cleaned values of mcpConfigSpec. */
export function readMcpConfig(env: { OAUTH_OWNER_PASSWORD: string }): McpConfig {
  return { oauthOwnerPassword: env.OAUTH_OWNER_PASSWORD === '' ? null : env.OAUTH_OWNER_PASSWORD };
}
