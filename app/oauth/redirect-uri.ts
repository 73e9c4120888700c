/**
 * Which redirect URIs a client may register (docs/mcp.md, "OAuth"): https anywhere, or http on
 * the loopback interface (a CLI such as Claude Code listening on the same machine), nothing else
 * (no custom schemes, no fragments, no user:password@). Matching at /oauth/authorize and
 * /oauth/token is exact string equality with a registered URI: no normalisation, no prefix,
 * no port flexibility, so what was approved is exactly where the code goes.
 */

/** Per URI and per client; ChatGPT and Claude register one or two. */
export const MAX_REDIRECT_URI_LENGTH = 2_000;
export const MAX_REDIRECT_URIS = 5;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Printable ASCII without spaces: the URL parser would silently drop tabs, newlines and edges. */
const PLAIN = /^[\x21-\x7e]+$/;

/** Null when `value` may be registered, else why not (safe to show: it never echoes the value). */
export function redirectUriProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'each redirect URI must be a non-empty string';
  if (value.length > MAX_REDIRECT_URI_LENGTH)
    return `a redirect URI is longer than ${MAX_REDIRECT_URI_LENGTH} characters`;
  if (!PLAIN.test(value)) return 'a redirect URI contains spaces, control or non-ASCII characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'a redirect URI is not an absolute URL';
  }
  if (value.includes('#')) return 'a redirect URI must not contain a fragment';
  if (url.username !== '' || url.password !== '') return 'a redirect URI must not contain a user name or password';
  if (url.protocol === 'https:') return url.hostname === '' ? 'a redirect URI has no host' : null;
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? null
      : 'an http redirect URI must be on the loopback interface (localhost, 127.0.0.1 or [::1]); use https';
  }
  return 'a redirect URI must use https (or http on the loopback interface)';
}

/** The URI to send the person back to, with the response parameters added to its query. */
export function withQuery(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.href;
}
