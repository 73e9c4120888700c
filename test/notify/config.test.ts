import { ConfigError, loadNotifyConfig } from '../../app/config';
import {
  describeNotifyConfig,
  isPrivateOrLoopbackHost,
  notificationsEnabled,
  notifyConfigWarnings,
  notifySecrets,
  NOTIFY_VARIABLES,
} from '../../app/notify/config';
import { NOTIFY_EVENT_NAMES } from '../../app/notify/types';

function problems(env: Record<string, string>): string[] {
  try {
    loadNotifyConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

test('the variables are exactly the ones the contract names', () => {
  expect(NOTIFY_VARIABLES.sort()).toEqual(
    ['NOTIFY_EVENTS', 'NOTIFY_NTFY_TOKEN', 'NOTIFY_NTFY_URL', 'NOTIFY_WEBHOOK_SECRET', 'NOTIFY_WEBHOOK_URL'].sort(),
  );
});

test('nothing set: no targets, every event', () => {
  const c = loadNotifyConfig({});
  expect(c).toEqual({ webhook: null, ntfy: null, events: [...NOTIFY_EVENT_NAMES] });
  expect(notificationsEnabled(c)).toBe(false);
  expect(notifyConfigWarnings(c)).toEqual([]);
  expect(loadNotifyConfig({ NOTIFY_WEBHOOK_URL: '', NOTIFY_NTFY_URL: '' })).toEqual(c);
});

test('both targets read, credentials taken out of the URL', () => {
  const c = loadNotifyConfig({
    NOTIFY_WEBHOOK_URL: 'https://hook%20user:p%40ss-word@ha.example.com:8123/api/webhook/abc-def-123?x=1#frag',
    NOTIFY_WEBHOOK_SECRET: 'a'.repeat(32),
    NOTIFY_NTFY_URL: 'https://ntfy.sh/my-secret-topic_42',
    NOTIFY_NTFY_TOKEN: 'tk_abcdef',
  });
  expect(c.webhook).toEqual({
    url: 'https://ha.example.com:8123/api/webhook/abc-def-123?x=1',
    host: 'ha.example.com:8123',
    auth: { username: 'hook user', password: 'p@ss-word' },
    https: true,
    secret: 'a'.repeat(32),
  });
  expect(c.ntfy).toEqual({
    url: 'https://ntfy.sh/my-secret-topic_42',
    host: 'ntfy.sh',
    auth: null,
    https: true,
    token: 'tk_abcdef',
  });
  expect(notificationsEnabled(c)).toBe(true);
  expect(describeNotifyConfig(c).join('\n')).not.toMatch(/abc-def-123|my-secret-topic|p@ss|tk_abcdef|aaaa/);
});

test('plain http is allowed for loopback and private addresses, with a warning naming only the host', () => {
  for (const url of [
    'http://127.0.0.1:8123/api/webhook/x',
    'http://localhost:8123/x',
    'http://192.168.1.20:8123/x',
    'http://10.0.0.5/x',
    'http://172.20.1.1/x',
    'http://[::1]:9000/x',
    'http://[fd12:3456::1]/x',
    'http://homeassistant.local:8123/x',
    'http://homeassistant:8123/x',
    'http://nas.home.arpa/x',
  ]) {
    const c = loadNotifyConfig({ NOTIFY_WEBHOOK_URL: url });
    expect(c.webhook?.https).toBe(false);
    const warnings = notifyConfigWarnings(c);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(c.webhook!.host);
    expect(warnings[0]).not.toContain('/x');
  }
});

test('plain http to a public address is refused; the message never echoes the URL', () => {
  for (const url of [
    'http://hooks.example.com/abc',
    'http://8.8.8.8/x',
    'http://172.32.0.1/x',
    'http://[2001:db8::1]/x',
  ]) {
    const p = problems({ NOTIFY_WEBHOOK_URL: url });
    expect(p).toEqual([
      'NOTIFY_WEBHOOK_URL must use https:// (plain http:// is accepted only for loopback and private-network addresses)',
    ]);
    expect(p.join()).not.toContain(url);
  }
});

test('plain http to a trailing-dot name or a .home name is refused: ai. is a public top-level domain', () => {
  for (const url of ['http://ai./x', 'http://nas.home/x', 'http://example.com./x']) {
    expect(problems({ NOTIFY_WEBHOOK_URL: url })).toEqual([
      'NOTIFY_WEBHOOK_URL must use https:// (plain http:// is accepted only for loopback and private-network addresses)',
    ]);
  }
  // Still private with the trailing dot: the suffix says so.
  expect(loadNotifyConfig({ NOTIFY_WEBHOOK_URL: 'http://homeassistant.local./x' }).webhook?.https).toBe(false);
});

test('a literal % in the URL password: a ConfigError naming the variable, never the password', () => {
  const p = problems({
    NOTIFY_NTFY_URL: 'https://me:50%off@ntfy.example.com/alerts',
    NOTIFY_WEBHOOK_URL: 'https://100%me:pw-123456@ha.example.com/api/webhook/x',
  });
  expect(p).toEqual([
    'NOTIFY_NTFY_URL must have its user name and password percent-encoded (a % in them is written %25, an @ %40, a : %3A)',
    'NOTIFY_WEBHOOK_URL must have its user name and password percent-encoded (a % in them is written %25, an @ %40, a : %3A)',
  ]);
  expect(p.join()).not.toMatch(/50%off|100%me|pw-123456/);
  // Encoded, it is read as written.
  const c = loadNotifyConfig({ NOTIFY_NTFY_URL: 'https://me:50%25off@ntfy.example.com/alerts' });
  expect(c.ntfy?.auth).toEqual({ username: 'me', password: '50%off' });
});

test('not a URL, another scheme, a bad ntfy topic: listed, never echoed', () => {
  const p = problems({
    NOTIFY_WEBHOOK_URL: 'ftp://user:hunter2-secret@example.com/x',
    NOTIFY_NTFY_URL: 'https://ntfy.sh/',
  });
  expect(p).toHaveLength(2);
  expect(p[0]).toMatch(/^NOTIFY_NTFY_URL must be a topic URL/);
  expect(p[1]).toMatch(/^NOTIFY_WEBHOOK_URL must be an https:\/\/ URL/);
  expect(p.join()).not.toContain('hunter2');
  expect(problems({ NOTIFY_WEBHOOK_URL: 'not a url' })[0]).toMatch(/^NOTIFY_WEBHOOK_URL must be an https:\/\/ URL/);
  expect(problems({ NOTIFY_NTFY_URL: 'https://ntfy.sh/topic?auth=secret-thing' })[0]).toMatch(/without a query string/);
});

test('secrets: whitespace and a short signing key are refused without echoing them', () => {
  const p = problems({ NOTIFY_WEBHOOK_SECRET: 'short-secret', NOTIFY_NTFY_TOKEN: 'tk with space' });
  expect(p).toEqual([
    'NOTIFY_NTFY_TOKEN must not contain whitespace',
    'NOTIFY_WEBHOOK_SECRET must be at least 16 characters; generate one with `openssl rand -hex 32`',
  ]);
  expect(p.join()).not.toMatch(/short-secret|tk with space/);
});

test('NOTIFY_EVENTS restricts the events; an unknown name lists the valid ones', () => {
  expect(loadNotifyConfig({ NOTIFY_EVENTS: ' discard_food, cook_done ,discard_food' }).events).toEqual([
    'cook_done',
    'discard_food',
  ]);
  const p = problems({ NOTIFY_EVENTS: 'cook_done,cook_finished,low_watter' });
  expect(p).toHaveLength(1);
  expect(p[0]).toBe(
    `NOTIFY_EVENTS must list only known events (unknown: cook_finished, low_watter); valid events: ${NOTIFY_EVENT_NAMES.join(', ')}`,
  );
  expect(problems({ NOTIFY_EVENTS: ' , ' })[0]).toMatch(/^NOTIFY_EVENTS must list at least one event/);
});

test('notifySecrets lists what the logger must scrub', () => {
  const c = loadNotifyConfig({
    NOTIFY_WEBHOOK_URL: 'https://user:very-secret-password@ha.example.com/api/webhook/secret-webhook-id',
    NOTIFY_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
    NOTIFY_NTFY_URL: 'https://ntfy.sh/my-secret-topic',
    NOTIFY_NTFY_TOKEN: 'tk_0123456789',
  });
  expect(notifySecrets(c)).toEqual(
    expect.arrayContaining([
      'very-secret-password',
      'whsec-0123456789abcdef',
      'tk_0123456789',
      '/api/webhook/secret-webhook-id',
      '/my-secret-topic',
      'https://ntfy.sh/my-secret-topic',
    ]),
  );
});

test('a token and URL credentials together: the token wins, with a warning', () => {
  const c = loadNotifyConfig({
    NOTIFY_NTFY_URL: 'https://me:pw-123456@ntfy.example.com/alerts',
    NOTIFY_NTFY_TOKEN: 'tk_abc',
  });
  expect(notifyConfigWarnings(c)).toEqual([
    'NOTIFY_NTFY_URL carries a user name and password and NOTIFY_NTFY_TOKEN is set: the token is used',
  ]);
});

test.each([
  ['127.0.0.1', true],
  ['100.101.102.103', true],
  ['169.254.1.1', true],
  ['[::ffff:a00:1]', true],
  ['[fe80::1]', true],
  ['ntfy.sh', false],
  ['1.1.1.1', false],
  ['192.169.0.1', false],
  ['[::ffff:808:808]', false],
  ['example.local.com', false],
  ['ai.', false],
  ['homeassistant', true],
  ['localhost.', true],
  ['nas.home', false],
  ['nas.home.arpa.', true],
])('isPrivateOrLoopbackHost(%s) = %s', (host, expected) => {
  expect(isPrivateOrLoopbackHost(host)).toBe(expected);
});
