/**
 * The live food-safety monitor through the whole product: the simulator's cooker loses power
 * mid-cook and the server says so in /status, in the journal and on the phone (a real webhook
 * receiver), on the server's clock, which the test moves forward through the hours.
 * The monitor's own rules are tested hour by hour on an injected clock in monitor.test.ts.
 */
import { until } from '../helpers/events';
import { startStack, type Stack } from '../helpers/stack';
import { startReceiver, type Receiver } from '../notify/support';

const HOUR = 3_600_000;
let stack: Stack;
let receiver: Receiver;
let offset = 0;

beforeEach(async () => {
  offset = 0;
  receiver = await startReceiver();
  stack = await startStack({
    sim: { cookers: [{ waterTempC: 64 }] },
    env: { NOTIFY_WEBHOOK_URL: receiver.url('/hook') },
    start: { clock: () => Date.now() + offset, monitorTickMs: 20 },
  });
});
afterEach(async () => {
  await stack.close();
  await receiver.close();
});

/** The events the webhook has received, in order. */
const notified = () => receiver.requests.map((r) => JSON.parse(r.body.toString('utf8')).event as string);
const whenNotified = (event: string) => until(receiver.events, 'request', () => notified().includes(event), 15_000);

async function cookUntilAtTemperature(body: Record<string, unknown>): Promise<string> {
  const res = await stack.api({ method: 'POST', path: '/start-cook', body });
  expect(res.status).toBe(200);
  await whenNotified('temperature_reached');
  return res.body.cook_id;
}

test('chicken: power cut → cook_interrupted at once, food_safety_at_risk at 1 h 30, discard_food at 2 h, everywhere', async () => {
  const cookId = await cookUntilAtTemperature({
    temperature_celsius: 65,
    time_minutes: 240,
    food_type: 'chicken breast',
    thickness_mm: 25,
  });
  const status = (await stack.api({ path: '/status' })).body;
  expect(status.food_safety).toMatchObject({
    category: 'poultry',
    pasteurises: true,
    pasteurised: false,
    message: expect.any(String),
  });

  stack.sim.powerCut();
  await whenNotified('cook_interrupted'); // as soon as the cooker is offline beyond the staleness limit
  expect(notified()).not.toContain('food_safety_at_risk');
  const offline = await stack.api({ path: '/status' });
  expect([offline.status, offline.body.error]).toEqual([503, 'DEVICE_OFFLINE']);
  expect(offline.body.message).toContain('chicken breast is in the bath');
  expect(offline.body.message).toMatch(/stopped heating|offline/i); // the interruption, in the monitor's words

  offset += 1.5 * HOUR;
  await whenNotified('food_safety_at_risk');
  expect(notified()).not.toContain('discard_food');
  offset += 0.5 * HOUR;
  await whenNotified('discard_food');
  const discard = receiver.requests
    .map((r) => JSON.parse(r.body.toString('utf8')))
    .find((b) => b.event === 'discard_food');
  expect(discard).toMatchObject({
    cook_id: cookId,
    title: expect.any(String),
    message: expect.stringMatching(/throw/i),
  });

  stack.sim.restorePower(); // the cooker comes back idle: the cook ended, the food still needs throwing away
  await until(
    stack.server.service,
    'cookEvent',
    () => stack.server.journal.getCook(cookId)?.endReason === 'interrupted',
  );
  const after = (await stack.api({ path: '/status' })).body;
  expect(after).toMatchObject({ state: 'idle', is_running: false, cook_id: cookId });
  expect(after.alerts).toEqual(expect.arrayContaining(['cook_interrupted', 'discard_food']));
  expect(after.food_safety.message).toMatch(/throw/i);

  const history = (await stack.api({ path: `/cooks/${cookId}` })).body;
  expect(history.end_reason).toBe('interrupted');
  expect(history.alerts_seen).toEqual(
    expect.arrayContaining(['cook_interrupted', 'food_safety_at_risk', 'discard_food']),
  );
  const raised = history.events
    .filter((e: { type: string }) => e.type === 'alert_raised')
    .map((e: { detail: { alert: string } }) => e.detail.alert);
  expect(raised).toEqual(expect.arrayContaining(['cook_interrupted', 'food_safety_at_risk', 'discard_food']));

  // A stop acknowledges it: the alerts go, and nothing lingers.
  expect((await stack.api({ method: 'POST', path: '/stop-cook' })).status).toBe(200);
  expect((await stack.api({ path: '/status' })).body).toMatchObject({ cook_id: null, food_safety: null, alerts: [] });
});

test('carrots: the same power cut is cook_interrupted only', async () => {
  const cookId = await cookUntilAtTemperature({ temperature_celsius: 65, time_minutes: 240, food_type: 'carrots' });
  stack.sim.powerCut();
  await whenNotified('cook_interrupted');
  offset += 3 * HOUR;
  stack.sim.restorePower();
  await until(
    stack.server.service,
    'cookEvent',
    () => stack.server.journal.getCook(cookId)?.endReason === 'interrupted',
  );
  expect(notified()).not.toContain('food_safety_at_risk');
  expect(notified()).not.toContain('discard_food');
  expect((await stack.api({ path: '/status' })).body.alerts).toEqual(['cook_interrupted']);
});
