import { formatCelsius, renderMessage } from '../../app/notify/messages';
import { renderNotification } from '../../app/notify/render';
import { NOTIFY_EVENT_NAMES } from '../../app/notify/types';
import { COOK_ID, sampleStatus } from './support';

test.each(NOTIFY_EVENT_NAMES)('%s: a short title and a one-paragraph message saying what to do', (event) => {
  for (const status of [sampleStatus(), null]) {
    const { title, message } = renderMessage({ event, status });
    expect(title.length).toBeGreaterThan(3);
    expect(title.length).toBeLessThanOrEqual(90);
    expect(message.length).toBeGreaterThan(40);
    expect(message).not.toMatch(/[\u0000-\u001f]|undefined|null|NaN/);
    expect(message).toMatch(/\.$/);
  }
});

test('temperatures are written "63.0 °C"', () => {
  expect(formatCelsius(63)).toBe('63.0 °C');
  expect(formatCelsius(56.55)).toBe('56.6 °C');
  expect(renderMessage({ event: 'temperature_reached', status: sampleStatus() })).toEqual({
    title: 'Water at 63.0 °C',
    message:
      'The water has reached 63.0 °C. Put the chicken breast in the bath now: the timer has started (75 minutes).',
  });
  expect(
    renderMessage({ event: 'temperature_drop', status: sampleStatus({ current_temp_celsius: 61.4 }) }).message,
  ).toBe(
    'The water is at 61.4 °C, more than 1.0 °C below the set 63.0 °C, and has stayed low. Check the lid, the water level and that the cooker is heating.',
  );
});

test('cook_done says the cooker is still holding the water, as /status does', () => {
  expect(
    renderMessage({ event: 'cook_done', status: sampleStatus({ state: 'done', time_remaining_minutes: 0 }) }),
  ).toEqual({
    title: 'Cook done: chicken breast',
    message:
      'The timer has run out. The cooker is still holding the water at 63.0 °C until you stop it: take the food out and stop the cook.',
  });
});

test("the monitor's own words (detail.message) are the message", () => {
  const words =
    'The chicken breast spent more than 2 h between 4.4 and 60 °C after the heat was lost. Throw it away; do not eat it.';
  expect(renderMessage({ event: 'discard_food', status: sampleStatus(), detail: { message: words } })).toEqual({
    title: 'Throw the food away',
    message: words,
  });
  // A message is flattened to one paragraph and capped.
  const long = renderMessage({
    event: 'food_safety_at_risk',
    status: null,
    detail: { message: `line one\nline two ${'x'.repeat(2000)}` },
  });
  expect(long.message.startsWith('line one line two')).toBe(true);
  expect(long.message.length).toBeLessThanOrEqual(1000);
});

test('food name from detail when the status is unavailable; control characters removed', () => {
  expect(
    renderMessage({ event: 'cook_interrupted', status: null, detail: { food_type: 'pork\u0000 chop' } }).title,
  ).toBe('Cook interrupted: pork chop');
});

test('device_online tells an idle cooker apart', () => {
  expect(renderMessage({ event: 'device_online', status: sampleStatus() }).message).toBe(
    'The cooker is back online: the water is at 63.0 °C (set 63.0 °C), cooking. Nothing to do if that is what you expect.',
  );
  expect(renderMessage({ event: 'device_online', status: sampleStatus({ state: 'idle' }) }).message).toMatch(
    /idle, not heating/,
  );
});

test('the webhook body has the documented keys, the status as given and event_id', () => {
  const at = Date.UTC(2026, 11, 5, 19, 30);
  const n = renderNotification({ event: 'cook_done', cookId: COOK_ID, at, status: sampleStatus() }, 'id-1');
  const body = JSON.parse(n.body);
  expect(Object.keys(body)).toEqual(['event', 'event_id', 'cook_id', 'at', 'title', 'message', 'status']);
  expect(body).toMatchObject({
    event: 'cook_done',
    event_id: 'id-1',
    cook_id: COOK_ID,
    at: '2026-12-05T19:30:00.000Z',
  });
  expect(body.status).toEqual(sampleStatus());
  // Not a /status body (a cycle): left out rather than failing.
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(
    JSON.parse(renderNotification({ event: 'low_water', cookId: null, at, status: cyclic }, 'id-2').body).status,
  ).toBeNull();
});
