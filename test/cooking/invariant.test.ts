import { isCookError } from '../../app/cooking/errors';
import { planCook } from '../../app/cooking/plan';
import { acceptedPlan, CookRig, MINUTE, SECOND } from './cook-rig';

/**
 * docs/food-safety.md §6.2, the invariant that ties the planner to the monitor: a cook that
 * start-cook accepted, running as planned (the water at the set temperature from the moment the
 * timer starts until it runs out), never raises food_safety_at_risk or discard_food; nor, since
 * nothing went wrong, temperature_drop or cook_interrupted. And one that start-cook says
 * pasteurises (its time reaches the rules' time) ends pasteurised when its timer runs out.
 */
describe('an accepted cook run as planned is never flagged', () => {
  const foods = [
    'chicken breast',
    'ground beef',
    'ground turkey',
    'ribeye steak',
    'pork shoulder',
    'salmon',
    'eggs',
    'carrots',
    null,
  ];
  const temperatures = [45, 50, 54, 54.9, 55, 56, 57, 58, 60, 63, 66, 70, 80];
  const thicknesses = [5, 25, 40, 60, 75, 90, 97, 98, 100];

  type Case = { food: string | null; t: number; mm: number; minutes: number };
  const cases: Case[] = [];
  for (const food of foods) {
    for (const t of temperatures) {
      for (const mm of thicknesses) {
        let plan;
        try {
          plan = planCook({ temperatureC: t, foodType: food, thicknessMm: mm });
        } catch (err) {
          if (isCookError(err)) continue; // refused at every time: nothing to run
          throw err;
        }
        const shortest = plan.min_time_minutes ?? 30;
        const longest = plan.max_time_minutes ?? Math.max(shortest + 240, 600);
        for (const minutes of new Set([shortest, longest])) cases.push({ food, t, mm, minutes });
      }
    }
  }

  test("the grid is wide: every kind of food, both sides of 55 °C, thin to FS-8's limit", () => {
    expect(cases.length).toBeGreaterThan(400);
    expect(cases.some((c) => c.t < 55 && c.minutes === 240)).toBe(true);
    expect(cases.some((c) => c.food === 'chicken breast' && c.t === 57 && c.mm === 97)).toBe(true); // 5 h 57 min to come up at 56.9 °C
    expect(cases.some((c) => c.mm === 98 && c.t === 57 && c.food === 'chicken breast')).toBe(false); // FS-8 refused it (6 h 4 min)
    expect(cases.some((c) => c.mm === 100 && c.t === 57 && c.food === 'chicken breast')).toBe(false);
  });

  test('no alert for any of them, and those that pasteurise end pasteurised (pushes every 30 s, as a journal replay would see them)', () => {
    const flagged: string[] = [];
    const unpasteurised: string[] = [];
    let pasteurising = 0;
    for (const c of cases) {
      const rig = new CookRig(
        acceptedPlan({
          temperature_celsius: c.t,
          time_minutes: c.minutes,
          ...(c.food !== null && { food_type: c.food }),
          thickness_mm: c.mm,
        }),
      );
      rig.runAsPlanned(30 * SECOND);
      if (rig.raisedAlerts().length > 0)
        flagged.push(`${c.food} ${c.t} °C ${c.mm} mm ${c.minutes} min: ${rig.raisedAlerts().join(', ')}`);
      const view = rig.monitor.view(rig.now);
      if (view.pasteurises) pasteurising++;
      if (view.pasteurises && !view.pasteurised)
        unpasteurised.push(`${c.food} ${c.t} °C ${c.mm} mm ${c.minutes} min: ${view.message}`);
    }
    expect(flagged).toEqual([]);
    expect(pasteurising).toBeGreaterThan(150);
    expect(unpasteurised).toEqual([]);
  });

  test('and with live pushes every 2 s, for the cooks nearest the limits', () => {
    const edge: Case[] = [
      {
        food: 'chicken breast',
        t: 57,
        mm: 97,
        minutes: planCook({ temperatureC: 57, foodType: 'chicken breast', thicknessMm: 97 }).min_time_minutes as number,
      },
      { food: 'salmon', t: 54.9, mm: 25, minutes: 240 },
      { food: null, t: 55, mm: 70, minutes: 600 }, // 5 h 44 min to come up
      {
        food: 'ground turkey',
        t: 60,
        mm: 100,
        minutes: planCook({ temperatureC: 60, foodType: 'ground turkey', thicknessMm: 100 }).min_time_minutes as number,
      },
    ];
    for (const c of edge) {
      const rig = new CookRig(
        acceptedPlan({
          temperature_celsius: c.t,
          time_minutes: c.minutes,
          ...(c.food !== null && { food_type: c.food }),
          thickness_mm: c.mm,
        }),
      );
      rig.runAsPlanned(2 * SECOND);
      expect([c, rig.raisedAlerts()]).toEqual([c, []]);
      const view = rig.monitor.view(rig.now);
      expect([c, view.pasteurised]).toEqual([c, view.pasteurises]);
      expect(rig.now - (rig.foodInAt as number)).toBe(c.minutes * MINUTE);
    }
  });
});
