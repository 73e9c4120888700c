import { captureLogger } from './helpers/logs';

test('secrets are scrubbed from every field of every line, whatever the level', () => {
  const secret = 'sk-anova-supersecretvalue123';
  const token = 'anova-tokentokentoken';
  const { logger, text, records } = captureLogger([secret, token]);
  logger.info(`connecting with ${secret}`, { url: `wss://x?token=${token}`, nested: { deep: [token] } });
  logger.error('failed', { error: new Error(`bad ${token}`) });
  expect(text()).not.toContain(secret);
  expect(text()).not.toContain(token);
  expect(text()).toContain('[REDACTED]');
  expect(records()).toHaveLength(2);
  expect((records()[1].error as { stack: string }).stack).toEqual(expect.stringContaining('Error: bad [REDACTED]'));
});

test('one JSON object per line with level, message and timestamp', () => {
  const { logger, records } = captureLogger();
  logger.warn('hello', { a: 1 });
  expect(records()[0]).toEqual({ level: 'warn', message: 'hello', a: 1, timestamp: expect.any(String) });
});

test('a secret holding " or \\ is scrubbed although the JSON line escapes it', () => {
  const quoted = 'pa"ss-word-1234';
  const slashed = 'back\\slash-5678';
  const { logger, text, records } = captureLogger([quoted, slashed]);
  logger.info('delivering', { password: quoted, nested: { path: `/x/${slashed}/y` } });
  logger.error('failed', { error: new Error(`bad ${quoted} and ${slashed}`) });
  for (const secret of [quoted, slashed]) {
    expect(text()).not.toContain(secret);
    expect(text()).not.toContain(JSON.stringify(secret).slice(1, -1));
  }
  expect(records()[0]).toMatchObject({ password: '[REDACTED]', nested: { path: '/x/[REDACTED]/y' } });
  expect((records()[1].error as { message: string }).message).toBe('bad [REDACTED] and [REDACTED]');
});
