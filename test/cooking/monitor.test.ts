import { requiredMinutes, POULTRY_TABLE } from '../../app/cooking/food-safety';
import { CookMonitor, monitorPlanFor, type Observation } from '../../app/cooking/monitor';
import { planCook } from '../../app/cooking/plan';
import { modelMinutesToPasteurise, POULTRY_PROFILE } from '../../app/cooking/thermal';
import { acceptedPlan, CookRig, HOUR, MINUTE, MONITOR_OPTIONS, SECOND, T0 } from './cook-rig';

const FOOD_SAFETY_ALERTS = ['food_safety_at_risk', 'discard_food'];

describe('pasteurisation, live', () => {
  const chicken40 = () => {
    const minutes = requiredMinutes(POULTRY_TABLE, 60, 40);
    return new CookRig(
      acceptedPlan({ temperature_celsius: 60, time_minutes: minutes, food_type: 'chicken breast', thickness_mm: 40 }),
    );
  };

  test("cold start, 40 mm chicken breast at 60 °C: pasteurised no earlier than the model's time and the table's floor", () => {
    const rig = chicken40().runAsPlanned();
    const foodIn = rig.foodInAt as number;
    const modelMs = (modelMinutesToPasteurise(POULTRY_PROFILE, 60, 40) as number) * MINUTE;
    const floorMs = requiredMinutes(POULTRY_TABLE, 60, 40) * MINUTE;
    const events = rig.events.filter((e) => e.type === 'pasteurised');
    expect(events).toHaveLength(1);
    expect(events[0].at - foodIn).toBeGreaterThanOrEqual(modelMs);
    expect(events[0].at - foodIn).toBeGreaterThanOrEqual(floorMs);
    expect(events[0].at - foodIn).toBeLessThanOrEqual(floorMs + MINUTE); // and no later than it must be
    const view = rig.monitor.view(rig.now);
    expect(view).toMatchObject({ category: 'poultry', pasteurises: true, pasteurised: true, target_log_reduction: 7 });
    expect(view.pasteurised_at).toBe(new Date(events[0].at).toISOString());
    expect(view.message).toMatch(
      /^Pasteurised at \d\d:\d\d UTC \(a 7\.0-log reduction of Salmonella at the centre\)\.$/,
    );
    expect(rig.raisedAlerts()).toEqual([]);
  });

  test('estimated_pasteurised_at moves later when the water is held 5 °C low for 30 minutes', () => {
    const steady = chicken40();
    const dipped = chicken40();
    for (const rig of [steady, dipped]) {
      while (rig.foodInAt === null) rig.run(2 * SECOND);
      rig.run(20 * MINUTE);
    }
    const before = dipped.monitor.view(dipped.now).estimated_pasteurised_at as string;
    expect(before).toBe(steady.monitor.view(steady.now).estimated_pasteurised_at);
    expect(dipped.monitor.view(dipped.now).message).toMatch(
      /^Not pasteurised yet; at the current water temperature it will be by \d\d:\d\d UTC\.$/,
    );

    dipped.offsetC = -5;
    dipped.run(30 * MINUTE);
    steady.run(30 * MINUTE);
    const after = dipped.monitor.view(dipped.now).estimated_pasteurised_at as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(Date.parse(after)).toBeGreaterThan(
      Date.parse(steady.monitor.view(steady.now).estimated_pasteurised_at as string),
    );
    expect(dipped.after('temperature_drop', dipped.now - 30 * MINUTE)).toBeGreaterThan(5 * MINUTE); // after the 300 s delay
    expect(dipped.after('temperature_drop', dipped.now - 30 * MINUTE)).toBeLessThanOrEqual(5 * MINUTE + 4 * SECOND);

    dipped.offsetC = 0;
    dipped.run(10 * MINUTE);
    expect(dipped.monitor.alerts()).toEqual([]); // temperature_drop cleared once the water is back
    expect(dipped.events.some((e) => e.type === 'alert_cleared' && e.detail.alert === 'temperature_drop')).toBe(true);
    expect(FOOD_SAFETY_ALERTS.some((a) => dipped.raised(a))).toBe(false); // 30 minutes is well inside the 2-hour budget
  });

  test('the view has exactly the keys of docs/api.md, and says what it waits for before the water is hot', () => {
    const rig = chicken40().run(2 * SECOND);
    const view = rig.monitor.view(rig.now);
    expect(Object.keys(view)).toEqual([
      'category',
      'pasteurises',
      'pasteurised',
      'log_reduction',
      'target_log_reduction',
      'core_temp_celsius',
      'pasteurised_at',
      'estimated_pasteurised_at',
      'danger_zone_minutes',
      'message',
    ]);
    expect(view).toMatchObject({
      core_temp_celsius: null,
      danger_zone_minutes: 0,
      pasteurised: false,
      estimated_pasteurised_at: null,
    });
    expect(view.message).toMatch(/^Waiting for the water to reach 60\.0 °C/);
  });
});

describe('power cut of the cooker (3 h, 20 °C room)', () => {
  test('chicken: cook_interrupted at once, food_safety_at_risk after 1 h 30 min, discard_food after 2 h', () => {
    const rig = new CookRig(
      acceptedPlan({ temperature_celsius: 63, time_minutes: 180, food_type: 'chicken breast', thickness_mm: 25 }),
    );
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(40 * MINUTE);
    const cut = rig.now;
    rig.powerCut(3 * HOUR);
    const offlineSeen = cut + 30 * SECOND;
    expect(rig.after('cook_interrupted', offlineSeen)).toBe(0);
    expect(rig.after('food_safety_at_risk', offlineSeen)).toBeGreaterThanOrEqual(90 * MINUTE);
    expect(rig.after('food_safety_at_risk', offlineSeen)).toBeLessThanOrEqual(91 * MINUTE);
    expect(rig.after('discard_food', offlineSeen)).toBeGreaterThan(120 * MINUTE);
    expect(rig.after('discard_food', offlineSeen)).toBeLessThanOrEqual(121 * MINUTE);
    expect(String(rig.raised('discard_food')?.detail.message)).toMatch(
      /^Throw chicken breast away: it has been without proper heat for more than 2 hours/,
    );
    expect(String(rig.raised('food_safety_at_risk')?.detail.message)).toContain('2-hour limit');
    expect(String(rig.raised('cook_interrupted')?.detail.message)).toContain('went offline');

    // power back: the cooker returns idle in a cold bath
    rig.mode = 'idle';
    rig.timerSeconds = null;
    rig.run(20 * MINUTE);
    expect(rig.monitor.alerts()).toEqual(['cook_interrupted', 'discard_food']);
    expect(rig.raisedAlerts().sort()).toEqual(['cook_interrupted', 'discard_food', 'food_safety_at_risk']);
    expect(rig.monitor.view(rig.now).message).toMatch(/^Throw chicken breast away/);
  });

  test('carrots: cook_interrupted only', () => {
    const rig = new CookRig(acceptedPlan({ temperature_celsius: 85, time_minutes: 60, food_type: 'carrots' }));
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(20 * MINUTE).powerCut(3 * HOUR);
    rig.mode = 'idle';
    rig.run(20 * MINUTE);
    expect(rig.raisedAlerts()).toEqual(['cook_interrupted']);
  });
});

describe('thick cuts coming up slowly', () => {
  test('a 70 mm chicken breast at 57 °C, planned and run as planned, is never flagged though its core spends hours below 54.4 °C', () => {
    const plan = planCook({ temperatureC: 57, foodType: 'chicken breast', thicknessMm: 70 });
    const rig = new CookRig(
      acceptedPlan({
        temperature_celsius: 57,
        time_minutes: plan.min_time_minutes as number,
        food_type: 'chicken breast',
        thickness_mm: 70,
      }),
    );
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(2 * HOUR);
    expect(rig.monitor.view(rig.now).core_temp_celsius as number).toBeLessThan(54.4);
    rig.runAsPlanned();
    expect(rig.raisedAlerts()).toEqual([]);
    const view = rig.monitor.view(rig.now);
    expect(view.danger_zone_minutes).toBeGreaterThan(180);
    expect(view.pasteurised).toBe(true);
  });

  test('a 95 mm breast at 57 °C (accepted: 5 h 40 min to come up) with the water 0.9 °C low: at risk after 5 h 30 min', () => {
    // At 56.1 °C it would take about 6 h 20 min. 0.9 °C low is within the 1 °C tolerance, so no heat-lost
    // time and no temperature_drop: only the come-up projection catches it.
    const rig = new CookRig(
      acceptedPlan({ temperature_celsius: 57, time_minutes: 700, food_type: 'chicken breast', thickness_mm: 95 }),
    );
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.offsetC = -0.9;
    rig.run(6 * HOUR + 5 * MINUTE, 10 * SECOND);
    expect(rig.after('food_safety_at_risk')).toBeGreaterThanOrEqual(5.5 * HOUR);
    expect(rig.after('food_safety_at_risk')).toBeLessThanOrEqual(5.5 * HOUR + MINUTE);
    expect(rig.raised('food_safety_at_risk')?.detail.budget).toBe('come_up');
    expect(rig.after('discard_food')).toBeGreaterThan(6 * HOUR);
    expect(rig.raised('discard_food')?.detail.budget).toBe('come_up');
    expect(rig.raised('temperature_drop')).toBeUndefined();
    expect(String(rig.raised('discard_food')?.detail.message)).toMatch(/did not pass 54\.4 °C within 6 hours/);
  });
});

describe('the 4-hour rule below 55 °C', () => {
  const salmon = () => new CookRig(acceptedPlan({ temperature_celsius: 54, time_minutes: 240, food_type: 'salmon' }));

  test('salmon at 54 °C for 240 min, still in the bath at 4 h 10 min (time added on the cooker): at risk after 3 h 30, discard after 4 h', () => {
    const rig = salmon();
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(2 * HOUR).addTimer(10 * 60);
    rig.runAsPlanned();
    expect(rig.now - (rig.foodInAt as number)).toBeGreaterThanOrEqual(250 * MINUTE);
    expect(rig.after('food_safety_at_risk')).toBeGreaterThanOrEqual(210 * MINUTE);
    expect(rig.after('food_safety_at_risk')).toBeLessThanOrEqual(210 * MINUTE + 4 * SECOND);
    expect(rig.after('discard_food')).toBeGreaterThan(240 * MINUTE);
    expect(rig.after('discard_food')).toBeLessThanOrEqual(243 * MINUTE);
    expect(rig.raised('discard_food')?.detail.budget).toBe('below_55');
    expect(String(rig.raised('discard_food')?.detail.message)).toMatch(
      /^Throw salmon away: it has been in water below 55\.0 °C for more than 4 hours/,
    );
  });

  test('the same salmon stopped at 3 h is never flagged', () => {
    const rig = salmon();
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(3 * HOUR); // then stopped through the API: the service ends the monitor
    expect(rig.raisedAlerts()).toEqual([]);
    expect(rig.monitor.view(rig.now).message).toMatch(
      /^Not pasteurised: below 55\.0 °C food is not\. Take it out and serve it by \d\d:\d\d UTC/,
    );
  });

  test('the same salmon run to its 240-minute timer is never flagged', () => {
    const rig = salmon().runAsPlanned();
    expect(rig.mode).toBe('done');
    expect(rig.raisedAlerts()).toEqual([]);
  });

  test('but left holding after the timer ran out, it is flagged once the 4 hours are up', () => {
    const rig = salmon()
      .runAsPlanned()
      .run(10 * MINUTE);
    expect(rig.after('discard_food')).toBeGreaterThan(240 * MINUTE);
    expect(rig.after('discard_food')).toBeLessThanOrEqual(243 * MINUTE);
  });
});

describe('nothing is flagged for ordinary cooks', () => {
  test.each([
    [{ temperature_celsius: 56, time_minutes: 600, food_type: 'ribeye steak', thickness_mm: 30 }],
    [{ temperature_celsius: 63, time_minutes: 60, food_type: 'eggs' }],
    [{ temperature_celsius: 85, time_minutes: 45, food_type: 'carrots' }],
  ])('%o', (body) => {
    const rig = new CookRig(acceptedPlan(body)).runAsPlanned();
    expect(rig.raisedAlerts()).toEqual([]);
    expect(rig.events.filter((e) => e.type === 'temperature_reached')).toHaveLength(1);
  });
});

describe('temperature_drop and cook_interrupted', () => {
  const chicken = () =>
    new CookRig(acceptedPlan({ temperature_celsius: 60, time_minutes: 120, food_type: 'chicken', thickness_mm: 25 }));

  test('water 0.9 °C low is tolerated; 1.5 °C low for more than 300 s raises temperature_drop', () => {
    const rig = chicken();
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.offsetC = -0.9;
    rig.run(20 * MINUTE);
    expect(rig.raisedAlerts()).toEqual([]);
    rig.offsetC = -1.5;
    const lowFrom = rig.now;
    rig.run(4 * MINUTE);
    expect(rig.raised('temperature_drop')).toBeUndefined();
    rig.run(2 * MINUTE);
    expect(rig.after('temperature_drop', lowFrom)).toBeGreaterThan(300 * SECOND);
    expect(String(rig.raised('temperature_drop')?.detail.message)).toMatch(
      /^The water is at 58\.5 °C, more than 1 °C below the set 60\.0 °C/,
    );
  });

  test('stopped on the device before the timer ran out: cook_interrupted at once, and the heat-lost budget runs', () => {
    const rig = chicken();
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(30 * MINUTE);
    rig.heating = false;
    rig.mode = 'idle';
    const stoppedAt = rig.now;
    rig.run(2 * HOUR + 5 * MINUTE, 10 * SECOND);
    expect(rig.after('cook_interrupted', stoppedAt)).toBeLessThanOrEqual(10 * SECOND);
    expect(String(rig.raised('cook_interrupted')?.detail.message)).toContain('switched off on the device');
    expect(rig.after('food_safety_at_risk', stoppedAt)).toBeLessThanOrEqual(91 * MINUTE);
    expect(rig.after('discard_food', stoppedAt)).toBeLessThanOrEqual(121 * MINUTE);
    expect(rig.raised('temperature_drop')).toBeUndefined(); // idle is cook_interrupted's to report
  });

  test('switched off after the timer ran out: the cook is simply over', () => {
    const rig = chicken()
      .runAsPlanned()
      .run(5 * MINUTE);
    rig.heating = false;
    rig.mode = 'idle';
    rig.run(4 * HOUR, 30 * SECOND);
    expect(rig.raisedAlerts()).toEqual([]);
  });

  test('offline during the preheat, back at temperature: the food is assumed in since the cooker was last seen', () => {
    const rig = chicken();
    rig.run(5 * MINUTE); // 30 °C, still preheating
    const lastSeen = rig.now;
    rig.powerCut(40 * MINUTE); // offline notice after 30 s (cook_interrupted: the cooker stopped before the timer)
    rig.heating = true;
    rig.waterC = 60;
    rig.mode = 'cooking';
    rig.timerSeconds = 120 * 60;
    rig.run(2 * SECOND);
    const reached = rig.events.find((e) => e.type === 'temperature_reached');
    expect(reached?.at).toBe(lastSeen + 30 * SECOND); // the offline notice: the last moment anything was known
    expect(reached?.detail.assumed).toBeDefined();
    expect(rig.monitor.view(rig.now).danger_zone_minutes).toBeGreaterThanOrEqual(39);
    expect(rig.monitor.view(rig.now).message).toContain('could not see the cooker');
  });
});

describe('rebuilding after a server restart from the journal samples', () => {
  /** The journal's samples of a cook: every 60 s, {at, state, water_celsius, target_celsius}; no timer. */
  function samplesOf(rig: CookRig, ms: number): Observation[] {
    const samples: Observation[] = [];
    const end = rig.now + ms;
    while (rig.now < end) {
      rig.run(60 * SECOND, 2 * SECOND);
      samples.push({
        at: rig.now,
        mode: rig.mode,
        waterC: rig.waterC,
        targetC: rig.plan.targetTempC,
        timerRemainingSeconds: null,
      });
    }
    return samples;
  }

  const plan = acceptedPlan({
    temperature_celsius: 63,
    time_minutes: 180,
    food_type: 'chicken breast',
    thickness_mm: 30,
  });

  test('replayed samples give the state the live monitor had, and the restart gap counts as unseen danger time', () => {
    const live = new CookRig(plan);
    const samples = samplesOf(live, 70 * MINUTE);
    const replayed = new CookMonitor(plan, MONITOR_OPTIONS);
    for (const s of samples) replayed.observe(s);
    const liveView = live.monitor.view(live.now);
    const replayView = replayed.view(live.now);
    expect(replayed.foodInTime()).toBeGreaterThanOrEqual(live.foodInAt as number);
    expect(replayed.foodInTime()).toBeLessThanOrEqual((live.foodInAt as number) + 60 * SECOND);
    expect(Math.abs((replayView.core_temp_celsius as number) - (liveView.core_temp_celsius as number))).toBeLessThan(1);
    expect(replayView.pasteurised).toBe(liveView.pasteurised);

    // the server was down for 25 minutes; the cooker kept cooking, but the server could not see it
    const restartAt = live.now + 25 * MINUTE;
    const events = replayed.advance(restartAt);
    expect(events.filter((e) => e.type === 'alert_raised')).toEqual([]); // 25 min is inside the 2-hour budget
    const after = replayed.view(restartAt);
    expect(after.danger_zone_minutes).toBeGreaterThanOrEqual(replayView.danger_zone_minutes + 25);
    expect(after.message).toContain('could not see the cooker for 25 min');
  });

  test('a restart gap longer than 2 hours ends in discard_food, timed when the budget ran out', () => {
    const live = new CookRig(plan);
    const samples = samplesOf(live, 40 * MINUTE);
    const replayed = new CookMonitor(plan, MONITOR_OPTIONS);
    for (const s of samples) replayed.observe(s);
    const lastSample = samples[samples.length - 1].at;
    const events = replayed.advance(lastSample + 150 * MINUTE);
    const discard = events.find((e) => e.type === 'alert_raised' && e.detail.alert === 'discard_food');
    expect(discard).toBeDefined();
    expect((discard as { at: number }).at - lastSample).toBeGreaterThan(120 * MINUTE);
    expect((discard as { at: number }).at - lastSample).toBeLessThanOrEqual(121 * MINUTE);
    expect(replayed.alerts()).toContain('discard_food');
  });

  test('silence longer than maxGapMs between states counts as unseen, even without an offline notice', () => {
    const rig = new CookRig(plan);
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(30 * MINUTE);
    const before = rig.monitor.view(rig.now).danger_zone_minutes;
    rig.serverDown(10 * MINUTE).run(2 * SECOND);
    expect(rig.monitor.view(rig.now).danger_zone_minutes).toBeGreaterThanOrEqual(before + 10);
    // a silence shorter than maxGapMs is held at the last reading: no danger time for a cooked-through core
    const held = rig.monitor.view(rig.now).danger_zone_minutes;
    rig.run(60 * MINUTE);
    const steady = rig.monitor.view(rig.now).danger_zone_minutes;
    rig.serverDown(90 * SECOND).run(2 * SECOND);
    expect(rig.monitor.view(rig.now).danger_zone_minutes).toBe(steady);
    expect(steady).toBeGreaterThanOrEqual(held);
  });

  test('observations older than the last one are ignored', () => {
    const monitor = new CookMonitor(plan, MONITOR_OPTIONS);
    const at = T0 + HOUR;
    monitor.observe({ at, mode: 'cooking', waterC: 63, targetC: 63, timerRemainingSeconds: 3600 });
    expect(
      monitor.observe({ at: at - MINUTE, mode: 'idle', waterC: 20, targetC: 63, timerRemainingSeconds: null }),
    ).toEqual([]);
    expect(monitor.alerts()).toEqual([]);
  });
});

describe('journal events', () => {
  test('every alert raised or cleared and the pasteurised change is an event with a message a person can act on', () => {
    const rig = new CookRig(
      acceptedPlan({ temperature_celsius: 63, time_minutes: 120, food_type: 'chicken breast', thickness_mm: 25 }),
    );
    while (rig.foodInAt === null) rig.run(2 * SECOND);
    rig.run(90 * MINUTE).powerCut(150 * MINUTE);
    const types = rig.events.map((e) => e.type);
    expect(types.filter((t) => t === 'temperature_reached')).toHaveLength(1);
    expect(types.filter((t) => t === 'pasteurised')).toHaveLength(1);
    for (const e of rig.events.filter((x) => x.type === 'alert_raised')) {
      expect(typeof e.detail.alert).toBe('string');
      expect(String(e.detail.message).length).toBeGreaterThan(40);
      expect(String(e.detail.message).length).toBeLessThan(400); // fits a lock screen notification
    }
    // discard supersedes at risk
    expect(rig.events.some((e) => e.type === 'alert_cleared' && e.detail.alert === 'food_safety_at_risk')).toBe(true);
    expect(rig.monitor.alerts()).toEqual(['cook_interrupted', 'discard_food']);
    expect(rig.monitor.view(rig.now).pasteurised).toBe(true); // pasteurised, then left without heat: still discard
  });
});

describe('monitorPlanFor', () => {
  test('takes a CookRequest as is, and a journal record by classifying its food again', () => {
    const fromRequest = acceptedPlan({
      temperature_celsius: 63,
      time_minutes: 75,
      food_type: 'ground turkey',
      thickness_mm: 25,
    });
    expect(monitorPlanFor({ temperatureC: 63, timeMinutes: 75, foodType: 'ground turkey', thicknessMm: 25 })).toEqual(
      fromRequest,
    );
    expect(fromRequest.categories).toEqual(['poultry', 'ground']);
  });
});
