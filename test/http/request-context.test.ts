/**
 * Logs follow one request: its id is on every line it causes (the Anova command's lines, whose
 * answer arrives on the socket's own callback, included) beside the command's own requestId,
 * and the access line of a failure carries its error code.
 */
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sim: { cookers: [{ waterTempC: 80 }] } });
});
afterAll(() => stack.close());

const records = () => stack.logs.records();

test('the request id of a start-cook is on the Anova command lines, beside the command requestId', async () => {
  const res = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: { 'x-request-id': 'trace-start-1' },
    body: { temperature_celsius: 85, time_minutes: 30, food_type: 'carrots' },
  });
  expect(res.status).toBe(200);
  const command = records().find((r) => r.message === 'anova command ok' && r.command === 'CMD_APC_START');
  expect(command).toMatchObject({
    requestId: 'trace-start-1',
    anovaRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  const sent = stack.sim.received().find((f) => f.frame.command === 'CMD_APC_START');
  expect(command?.anovaRequestId).toBe(sent?.frame.requestId);
  const access = records().find((r) => r.message === 'request' && r.requestId === 'trace-start-1');
  expect(access).toMatchObject({ method: 'POST', path: '/start-cook', status: 200 });
  expect(access).not.toHaveProperty('code');

  const stop = await stack.api({ method: 'POST', path: '/stop-cook', headers: { 'x-request-id': 'trace-stop-1' } });
  expect(stop.status).toBe(200);
  expect(records().find((r) => r.message === 'anova command ok' && r.command === 'CMD_APC_STOP')).toMatchObject({
    requestId: 'trace-stop-1',
  });
});

test('lines outside any request carry no request id', () => {
  const connected = records().find((r) => r.message === 'anova device selected');
  expect(connected).toBeDefined();
  expect(connected).not.toHaveProperty('requestId');
});

test('the access line of a failed request names its error code', async () => {
  const res = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: { 'x-request-id': 'trace-bad-1' },
    body: { time_minutes: 5 },
  });
  expect(res.body.error).toBe('MISSING_TEMPERATURE');
  expect(records().find((r) => r.message === 'request' && r.requestId === 'trace-bad-1')).toMatchObject({
    level: 'warn',
    status: 400,
    code: 'MISSING_TEMPERATURE',
  });
});
