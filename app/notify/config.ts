/**
 * Notification settings (docs/api.md, "Notifications"; docs/notifications.md): an envalid spec
 * fragment that app/config.ts merges into its own, and the step that turns the cleaned values into
 * a NotifyConfig. Every target is optional; none set means no notifications (and no outbox writes).
 *
 * Validators never echo a value: URLs may carry credentials or a secret path (an ntfy topic is a
 * password; a Home Assistant webhook id too), and the secret and the token are secrets.
 */
import { isIP } from 'node:net';
import { makeValidator } from 'envalid';
import { isNotifyEventName, NOTIFY_EVENT_NAMES, type NotifyEventName } from './types';

export interface BasicAuth {
  username: string;
  password: string;
}

interface TargetBase {
  /** The URL requests go to, without credentials (never logged: the path may be a secret). */
  url: string;
  /** host[:port], the only part of the URL that is ever logged or printed. */
  host: string;
  /** user:pass@ from the URL, sent as Basic auth. */
  auth: BasicAuth | null;
  /** false for http:// (allowed only for loopback and private addresses; a warning at start). */
  https: boolean;
}

export interface WebhookTargetConfig extends TargetBase {
  /** HMAC-SHA256 key for X-Anova-Signature, or null (unsigned). */
  secret: string | null;
}

export interface NtfyTargetConfig extends TargetBase {
  /** Access token sent as `Authorization: Bearer`, or null. */
  token: string | null;
}

export interface NotifyConfig {
  webhook: WebhookTargetConfig | null;
  ntfy: NtfyTargetConfig | null;
  /** The events that are sent (NOTIFY_EVENTS; all by default). */
  events: readonly NotifyEventName[];
}

const PRIVATE_SUFFIXES = ['.localhost', '.local', '.lan', '.home.arpa', '.internal'];

function ipv4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local
    (a === 100 && b >= 64 && b <= 127) // shared address space (CGNAT, Tailscale)
  );
}

function ipv6Private(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::1') return true;
  // IPv4-mapped, dotted (::ffff:10.0.0.1) or as the URL parser writes it (::ffff:a00:1).
  const mapped = /^::ffff:(.+)$/.exec(lower);
  if (mapped) {
    const rest = mapped[1];
    if (isIP(rest) === 4) return ipv4Private(rest);
    const groups = rest.split(':');
    if (groups.length === 2) {
      const hi = parseInt(groups[0], 16);
      const lo = parseInt(groups[1], 16);
      return ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return false;
  }
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 /* fc00::/7 unique local */ || (first & 0xffc0) === 0xfe80; /* fe80::/10 */
}

/**
 * Loopback, private-network and link-local addresses, and names that only resolve on a home
 * network (localhost, single-label names such as a compose service, .local, .lan, .home.arpa...).
 */
export function isPrivateOrLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // A trailing dot makes a name absolute: `ai.` is the top-level domain, not a local single label.
  const absolute = bare.endsWith('.');
  const host = bare.replace(/\.$/, '');
  const kind = isIP(host);
  if (kind === 4) return ipv4Private(host);
  if (kind === 6) return ipv6Private(host);
  if (host === 'localhost') return true;
  if (!host.includes('.')) return !absolute;
  return PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * The URL's user:pass, percent-decoded; null when it has none, undefined when they do not decode
 * (a literal % not followed by two hex digits: decodeURIComponent would throw a URIError).
 */
function decodeUserInfo(parsed: URL): BasicAuth | null | undefined {
  if (!parsed.username && !parsed.password) return null;
  try {
    return { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  } catch {
    return undefined;
  }
}

/** '' (unset) or an http(s) URL; http only to private/loopback hosts. Never echoes the value. */
function checkTargetUrl(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new Error(`must be an https:// URL (${what})`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`must be an https:// URL (${what})`);
  if (parsed.hostname === '') throw new Error(`must be an https:// URL with a host name (${what})`);
  if (decodeUserInfo(parsed) === undefined) {
    throw new Error(
      'must have its user name and password percent-encoded (a % in them is written %25, an @ %40, a : %3A)',
    );
  }
  if (parsed.protocol === 'http:' && !isPrivateOrLoopbackHost(parsed.hostname)) {
    throw new Error('must use https:// (plain http:// is accepted only for loopback and private-network addresses)');
  }
  return trimmed;
}

const webhookUrl = makeValidator<string>((value) => checkTargetUrl(value, 'the receiver of the JSON webhook'));

const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
const ntfyUrl = makeValidator<string>((value) => {
  const url = checkTargetUrl(value, 'a topic URL such as https://ntfy.sh/your-secret-topic');
  if (url === '') return '';
  const parsed = new URL(url);
  const topic = parsed.pathname.split('/').filter(Boolean).pop() ?? '';
  if (!NTFY_TOPIC.test(topic)) {
    throw new Error(
      'must be a topic URL such as https://ntfy.sh/your-secret-topic (the topic: letters, digits, - and _, at most 64)',
    );
  }
  if (parsed.search)
    throw new Error('must be a topic URL without a query string (the token goes in NOTIFY_NTFY_TOKEN)');
  return url;
});

/** '' (unset) or a secret without whitespace; at least 16 characters when it is a signing key. */
const secretValue = (minLength: number, hint: string) =>
  makeValidator<string>((value) => {
    if (value === '') return '';
    if (/\s/.test(value)) throw new Error('must not contain whitespace');
    if (value.length < minLength) throw new Error(`must be at least ${minLength} characters; ${hint}`);
    return value;
  });

/** Unset: all events. Otherwise a comma list of known names; unknown ones are listed. */
const eventList = makeValidator<string>((value) => {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = NOTIFY_EVENT_NAMES.join(', ');
  if (names.length === 0)
    throw new Error(`must list at least one event (leave it unset for all); valid events: ${valid}`);
  const unknown = names.filter((n) => !isNotifyEventName(n));
  if (unknown.length > 0) {
    // Event names are not secrets; cap what is echoed so a pasted secret cannot end up whole in a message.
    const shown = unknown.map((n) => (n.length > 40 ? `${n.slice(0, 12)}…` : n)).join(', ');
    throw new Error(`must list only known events (unknown: ${shown}); valid events: ${valid}`);
  }
  return names.join(',');
});

/** The envalid spec fragment: app/config.ts spreads it into its spec. */
export const notifySpec = {
  NOTIFY_WEBHOOK_URL: webhookUrl({ default: '', desc: 'JSON webhook receiving notifications (empty: none)' }),
  NOTIFY_WEBHOOK_SECRET: secretValue(
    16,
    'generate one with `openssl rand -hex 32`',
  )({
    default: '',
    desc: 'HMAC-SHA256 key for X-Anova-Signature (empty: unsigned)',
  }),
  NOTIFY_NTFY_URL: ntfyUrl({
    default: '',
    desc: 'ntfy topic URL, e.g. https://ntfy.sh/your-secret-topic (empty: none)',
  }),
  NOTIFY_NTFY_TOKEN: secretValue(
    1,
    'create one in ntfy (Account → Access tokens)',
  )({
    default: '',
    desc: 'ntfy access token (empty: none)',
  }),
  NOTIFY_EVENTS: eventList({
    default: NOTIFY_EVENT_NAMES.join(','),
    desc: 'comma list of events to send (default: all)',
  }),
};

export const NOTIFY_VARIABLES = Object.keys(notifySpec);

/** The cleaned values of the fragment, as cleanEnv returns them. */
export type NotifyEnv = { [K in keyof typeof notifySpec]: string };

function target(urlText: string): TargetBase | null {
  if (urlText === '') return null;
  const parsed = new URL(urlText);
  const auth = decodeUserInfo(parsed);
  // checkTargetUrl refuses such a URL first; never drop the credentials silently.
  if (auth === undefined) throw new Error('the user name and password in a notification URL must be percent-encoded');
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return { url: parsed.toString(), host: parsed.host, auth, https: parsed.protocol === 'https:' };
}

/** Cleaned values (from app/config.ts's cleanEnv over a spec that includes notifySpec) → NotifyConfig. */
export function notifyConfigFromEnv(e: NotifyEnv): NotifyConfig {
  const webhook = target(e.NOTIFY_WEBHOOK_URL);
  const ntfy = target(e.NOTIFY_NTFY_URL);
  const events = e.NOTIFY_EVENTS.split(',').filter(isNotifyEventName);
  return {
    webhook: webhook && { ...webhook, secret: e.NOTIFY_WEBHOOK_SECRET || null },
    ntfy: ntfy && { ...ntfy, token: e.NOTIFY_NTFY_TOKEN || null },
    // The order of the contract, whatever order the list was written in; duplicates collapse.
    events: NOTIFY_EVENT_NAMES.filter((n) => events.includes(n)),
  };
}

/** True when at least one target is configured. */
export function notificationsEnabled(config: NotifyConfig): boolean {
  return config.webhook !== null || config.ntfy !== null;
}

/** Lines to log at warn level at start. Host names only; never a path, a credential or a secret. */
export function notifyConfigWarnings(config: NotifyConfig): string[] {
  const warnings: string[] = [];
  if (config.webhook && !config.webhook.https) {
    warnings.push(
      `NOTIFY_WEBHOOK_URL uses plain http:// to ${config.webhook.host}: notifications cross the local network unencrypted`,
    );
  }
  if (config.ntfy && !config.ntfy.https) {
    warnings.push(
      `NOTIFY_NTFY_URL uses plain http:// to ${config.ntfy.host}: notifications cross the local network unencrypted`,
    );
  }
  if (config.ntfy?.token && config.ntfy.auth) {
    warnings.push('NOTIFY_NTFY_URL carries a user name and password and NOTIFY_NTFY_TOKEN is set: the token is used');
  }
  return warnings;
}

/**
 * Values app/log.ts must scrub from every line (its `secrets` option): the webhook secret, the
 * ntfy token, URL passwords, and the full URLs (a topic or webhook id in the path is a secret).
 */
export function notifySecrets(config: NotifyConfig): string[] {
  const out: string[] = [];
  for (const t of [config.webhook, config.ntfy]) {
    if (!t) continue;
    const parsed = new URL(t.url);
    out.push(t.url, parsed.pathname, parsed.search);
    if (t.auth?.password) out.push(t.auth.password);
  }
  if (config.webhook?.secret) out.push(config.webhook.secret);
  if (config.ntfy?.token) out.push(config.ntfy.token);
  return out.filter((s) => s.length >= 8);
}

/** check-config lines (host names only). */
export function describeNotifyConfig(config: NotifyConfig): string[] {
  const events = config.events.length === NOTIFY_EVENT_NAMES.length ? 'all' : config.events.join(', ');
  return [
    `  notify webhook    ${config.webhook ? `${config.webhook.host}${config.webhook.https ? '' : ' (plain http)'}, ${config.webhook.secret ? 'signed' : 'unsigned'}` : '(none)'}`,
    `  notify ntfy       ${config.ntfy ? `${config.ntfy.host}${config.ntfy.https ? '' : ' (plain http)'}, ${config.ntfy.token ? 'token' : config.ntfy.auth ? 'user and password' : 'no auth'}` : '(none)'}`,
    `  notify events     ${events}`,
  ];
}
