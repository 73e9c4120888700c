/**
 * Pure: device state + our cook record → the /status body.
 */
import type { CookerSnapshot, DeviceState } from '../../app/cooking/cooker';
import type { CookRecord } from '../../app/cooking/service';
import { buildStatusView, heatUpSeconds, HEATING_RATE_C_PER_MIN } from '../../app/cooking/status';

const NOW = Date.parse('2026-03-01T18:00:00Z');

function device(over: Partial<DeviceState> = {}): DeviceState {
  return {
    cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a',
    type: 'a7',
    schema: 'C',
    reportsOnline: true,
    mode: 'idle',
    currentTempC: 21.04,
    targetTempC: 57,
    timerTotalSeconds: null,
    timerElapsedSeconds: null,
    timerRemainingSeconds: null,
    timerRunning: false,
    alerts: [],
    processedCommandIds: [],
    observedAt: NOW - 2_000,
    ...over,
  };
}

function snapshot(state: DeviceState | null): CookerSnapshot {
  return {
    info: { cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a', type: 'a7', name: 'Anova Precision Cooker 3.0' },
    state,
    online: true,
    lastStateAt: state ? state.observedAt : null,
  };
}

function record(over: Partial<CookRecord> = {}): CookRecord {
  return {
    cookId: 'c0ffee00-0000-4000-8000-000000000000',
    requestId: 'r-1',
    targetTempC: 65,
    timeMinutes: 90,
    foodType: 'chicken breast',
    phase: 'acked',
    since: NOW - 1_000,
    seenOnDevice: false,
    estimatedCompletionAt: NOW + 3_600_000,
    ...over,
  };
}

test('idle: no target, no timer, no estimate, temperatures rounded to 0.1 in both units', () => {
  expect(buildStatusView(snapshot(device()), null, NOW)).toEqual({
    device_online: true,
    state: 'idle',
    current_temp_celsius: 21,
    target_temp_celsius: null,
    time_remaining_minutes: null,
    time_elapsed_minutes: null,
    is_running: false,
    current_temp_fahrenheit: 69.8,
    target_temp_fahrenheit: null,
    cook_id: null,
    food_type: null,
    estimated_completion: null,
    alerts: [],
    device_name: 'Anova Precision Cooker 3.0',
    last_update_seconds_ago: 2,
    food_safety: null,
  });
});

test('an acked start the cooker has not shown yet reads as preheating with our cook', () => {
  const view = buildStatusView(snapshot(device()), record(), NOW);
  expect(view).toMatchObject({
    state: 'preheating',
    is_running: true,
    target_temp_celsius: 65,
    target_temp_fahrenheit: 149,
    time_remaining_minutes: 90,
    time_elapsed_minutes: 0,
    cook_id: record().cookId,
    food_type: 'chicken breast',
  });
  const heat = Math.round(((65 - 21.04) / HEATING_RATE_C_PER_MIN) * 60);
  expect(Date.parse(view.estimated_completion!)).toBe(NOW + (heat + 90 * 60) * 1000);
});

test('an unanswered (uncertain) start shows what the cooker really reports', () => {
  const view = buildStatusView(snapshot(device()), record({ phase: 'uncertain' }), NOW);
  expect(view.state).toBe('idle');
  expect(view.cook_id).toBeNull();
});

test('cooking: remaining rounds up, elapsed down, and both count on between pushes', () => {
  const state = device({
    mode: 'cooking',
    targetTempC: 65,
    currentTempC: 64.96,
    timerTotalSeconds: 5400,
    timerElapsedSeconds: 600,
    timerRemainingSeconds: 4800,
    timerRunning: true,
    observedAt: NOW - 30_000, // 30 s ago
  });
  const view = buildStatusView(snapshot(state), record({ seenOnDevice: true }), NOW);
  expect(view).toMatchObject({
    state: 'cooking',
    time_remaining_minutes: 80,
    time_elapsed_minutes: 10,
    current_temp_celsius: 65,
  });
  expect(Date.parse(view.estimated_completion!)).toBe(NOW + 4770 * 1000);
  expect(view.last_update_seconds_ago).toBe(30);
});

test('done: 0 remaining (never counting up), the whole timer elapsed, no estimate, still running', () => {
  const state = device({
    mode: 'done',
    targetTempC: 65,
    timerTotalSeconds: 5400,
    timerElapsedSeconds: 5400,
    timerRemainingSeconds: 0,
    timerRunning: false,
  });
  expect(buildStatusView(snapshot(state), null, NOW)).toMatchObject({
    state: 'done',
    is_running: true,
    time_remaining_minutes: 0,
    time_elapsed_minutes: 90,
    estimated_completion: null,
    target_temp_celsius: 65,
  });
});

test('a cook started elsewhere (no record of ours) has no cook id or food', () => {
  const state = device({
    mode: 'preheating',
    targetTempC: 60,
    timerTotalSeconds: 3600,
    timerElapsedSeconds: 0,
    timerRemainingSeconds: 3600,
  });
  const view = buildStatusView(snapshot(state), null, NOW);
  expect(view).toMatchObject({ state: 'preheating', cook_id: null, food_type: null, time_remaining_minutes: 60 });
  expect(Date.parse(view.estimated_completion!)).toBe(NOW + (heatUpSeconds(21.04, 60) + 3600) * 1000);
});

test('cooking without a timer: no remaining time and no estimate', () => {
  const view = buildStatusView(snapshot(device({ mode: 'cooking', targetTempC: 60 })), null, NOW);
  expect(view).toMatchObject({
    state: 'cooking',
    time_remaining_minutes: null,
    estimated_completion: null,
    target_temp_celsius: 60,
  });
});

test('unknown state strings surface as "unknown" with the alerts kept', () => {
  const view = buildStatusView(
    snapshot(device({ mode: 'unknown', alerts: ['water_empty', 'heater_fault'] })),
    null,
    NOW,
  );
  expect(view).toMatchObject({ state: 'unknown', is_running: false, alerts: ['water_empty', 'heater_fault'] });
});

test('a cooker with no state yet reports unknown with nulls', () => {
  const view = buildStatusView(snapshot(null), null, NOW);
  expect(view).toMatchObject({ state: 'unknown', current_temp_celsius: null, last_update_seconds_ago: null });
});

test('heat-up estimate: 2 °C a minute, none when already hot, cold tap water when unknown', () => {
  expect(heatUpSeconds(25, 65)).toBe(1200);
  expect(heatUpSeconds(70, 65)).toBe(0);
  expect(heatUpSeconds(null, 60)).toBe(1200);
});
