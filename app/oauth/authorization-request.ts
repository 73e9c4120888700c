/**
 * Checks an authorization request (GET and POST /oauth/authorize read the same query), in the
 * order OAuth 2.1 §4.1.2.1 requires: until the client and its redirect URI are known to match
 * a registration, an error is shown to the person and never redirected (an open redirector
 * otherwise); after that, errors go back to the client's redirect URI.
 */
import { PKCE_VALUE } from './secrets';
import type { OAuthClient, OAuthStore } from './store';

export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  codeChallenge: string;
  state: string | undefined;
  /** What the grant is for: always this server's /mcp (RFC 8707). */
  resource: string;
  /** Granted scope: always `mcp` (requested scopes are not refused, only not granted). */
  scope: string;
}

export type AuthorizationCheck =
  | { ok: true; request: AuthorizationRequest }
  /** Show this to the person; do not redirect. */
  | { ok: false; show: { status: number; title: string; message: string } }
  /** Send the person back to the client with an error (RFC 6749 §4.1.2.1). */
  | { ok: false; redirect: { redirectUri: string; error: string; description: string; state: string | undefined } };

export const GRANTED_SCOPE = 'mcp';
/** state is the client's; echoed as is, bounded so the page and the redirect stay small. */
const MAX_STATE_LENGTH = 2_048;

type Query = Record<string, string | string[] | undefined>;

export function checkAuthorizationRequest(
  query: Query,
  store: OAuthStore,
  resources: { canonical: string; accepted: ReadonlySet<string> },
): AuthorizationCheck {
  const show = (message: string, status = 400) => ({
    ok: false as const,
    show: { status, title: 'This connection request cannot be used', message },
  });

  const clientId = query.client_id;
  if (typeof clientId !== 'string' || clientId === '') {
    return show(
      'The request does not say which app is asking (client_id is missing). Start connecting again from the app.',
    );
  }
  const client = store.findClient(clientId);
  if (!client) {
    return show(
      'The app asking is not registered with this server, or its registration was revoked. Remove the connector in the app and add it again.',
    );
  }
  const redirectUri = query.redirect_uri;
  if (typeof redirectUri !== 'string' || !client.redirectUris.includes(redirectUri)) {
    return show(
      'The address this request would send you back to is not one the app registered, so the request was not shown. Start connecting again from the app.',
    );
  }

  // From here on, errors go back to the (verified) redirect URI.
  const stateValue = query.state;
  if (Array.isArray(stateValue) || (typeof stateValue === 'string' && stateValue.length > MAX_STATE_LENGTH)) {
    return show('The request carries an invalid state parameter. Start connecting again from the app.');
  }
  const state = stateValue === '' ? undefined : stateValue;
  const back = (error: string, description: string) => ({
    ok: false as const,
    redirect: { redirectUri, error, description, state },
  });

  for (const name of ['response_type', 'code_challenge', 'code_challenge_method', 'scope'] as const) {
    if (Array.isArray(query[name])) return back('invalid_request', `${name} is repeated`);
  }
  if (query.response_type !== 'code') return back('unsupported_response_type', 'only response_type=code is supported');
  if (query.code_challenge_method !== 'S256') {
    return back('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
  }
  const codeChallenge = query.code_challenge;
  if (typeof codeChallenge !== 'string' || !PKCE_VALUE.test(codeChallenge)) {
    return back('invalid_request', 'code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]');
  }
  const requested = query.resource === undefined ? [] : [query.resource].flat();
  if (requested.some((r) => !resources.accepted.has(r))) {
    return back('invalid_target', `this server only issues tokens for ${resources.canonical}`);
  }
  return {
    ok: true,
    request: { client, redirectUri, codeChallenge, state, resource: resources.canonical, scope: GRANTED_SCOPE },
  };
}
