/**
 * Which recorded moments become notifications (docs/api.md, "Notifications"), each once per
 * occurrence, in the most precise words: fed by a stand-in of the cook service's event stream.
 */
import { EventEmitter } from 'node:events';
import type { CloudStatus } from '../../app/cooking/cooker';
import type { CookEvent } from '../../app/cooking/journal-port';
import { connectNotifications } from '../../app/notify/sources';
import type { NotificationInput } from '../../app/notify/types';

const AT = Date.parse('2026-12-02T10:00:00Z');

function setup() {
  const service = Object.assign(new EventEmitter(), { statusOrNull: () => ({ state: 'cooking' }) });
  const cloud = new EventEmitter();
  const sent: NotificationInput[] = [];
  const disconnect = connectNotifications({
    service: service as never,
    onCloudStatus: (listener) => {
      cloud.on('status', listener);
      return () => cloud.off('status', listener);
    },
    currentCookId: () => 'c1',
    publish: (input) => sent.push(input),
  });
  const record = (type: CookEvent['type'], detail: Record<string, unknown> = {}, cookId = 'c1') =>
    service.emit('cookEvent', { cookId, event: { at: AT, type, detail } });
  const cloudIs = (state: CloudStatus['state']) => cloud.emit('status', { state, attempt: 0, since: AT });
  return { service, sent, record, cloudIs, disconnect, events: () => sent.map((s) => s.event) };
}

test('each notable moment of a cook, with the /status body of that moment and the monitor’s words', () => {
  const { record, sent, events } = setup();
  record('started');
  record('temperature_reached');
  record('alert_raised', { alert: 'low_water', source: 'cooker' });
  record('alert_cleared', { alert: 'low_water' });
  record('alert_raised', { alert: 'low_water', source: 'cooker' }); // raised again: a new occurrence
  record('pasteurised', { message: 'Pasteurised at 11:40 UTC.' });
  record('done');
  expect(events()).toEqual(['temperature_reached', 'low_water', 'low_water', 'pasteurised', 'cook_done']);
  expect(sent[3]).toEqual({
    event: 'pasteurised',
    cookId: 'c1',
    at: AT,
    status: { state: 'cooking' },
    detail: { message: 'Pasteurised at 11:40 UTC.' },
  });
});

test('every alert that has an event of its name is told by that name; others are not', () => {
  const { record, events } = setup();
  for (const alert of [
    'some_future_alert',
    'temperature_drop',
    'food_safety_at_risk',
    'discard_food',
    'water_empty',
    'heater_fault',
    'motor_stuck',
    'water_leak',
  ]) {
    record('alert_raised', { alert });
  }
  expect(events()).toEqual([
    'temperature_drop',
    'food_safety_at_risk',
    'discard_food',
    'water_empty',
    'heater_fault',
    'motor_stuck',
    'water_leak',
  ]);
});

test('a stop on the cooker is told once, as cook_stopped_on_device, not again as cook_interrupted', () => {
  const { record, events } = setup();
  record('stopped', { end_reason: 'stopped_on_device' });
  record('alert_raised', { alert: 'cook_interrupted', how: 'idle' });
  expect(events()).toEqual(['cook_stopped_on_device']);
});

test('offline before the timer ran out is told as cook_interrupted (by its alert), not as device_offline', () => {
  const { record, events } = setup();
  record('device_offline', { interrupted: true });
  record('alert_raised', { alert: 'cook_interrupted', how: 'offline' });
  record('device_online');
  record('interrupted', { end_reason: 'interrupted' });
  expect(events()).toEqual(['cook_interrupted', 'device_online']);
});

test('offline after the timer ran out (done and holding) is device_offline', () => {
  const { record, events } = setup();
  record('device_offline', { interrupted: false });
  expect(events()).toEqual(['device_offline']);
});

test('a stop through the API, a plain end, journal-only events: no notification', () => {
  const { record, events } = setup();
  record('stopped', { end_reason: 'stopped' });
  record('stopped', { end_reason: 'done' });
  record('server_restarted', { reattached: true });
  expect(events()).toEqual([]);
});

test('the Anova token rejected: anova_auth_failed once per entry into that state', () => {
  const { cloudIs, events, sent } = setup();
  cloudIs('auth_failed');
  cloudIs('auth_failed');
  cloudIs('reconnecting');
  cloudIs('connected');
  cloudIs('auth_failed');
  expect(events()).toEqual(['anova_auth_failed', 'anova_auth_failed']);
  expect(sent[0].cookId).toBe('c1');
});

test('disconnect stops every subscription', () => {
  const { record, cloudIs, disconnect, events } = setup();
  disconnect();
  record('done');
  cloudIs('auth_failed');
  expect(events()).toEqual([]);
});
