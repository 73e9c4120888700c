import { isCookError } from '../../app/cooking/errors';
import {
  evaluateFoodSafety,
  factoredModelMinutes,
  pasteurisationMinutes,
  POULTRY_TABLE,
  RED_MEAT_TABLE,
  requiredMinutes,
  type FoodSafetyInput,
  type PasteurisationTable,
} from '../../app/cooking/food-safety';
import { parseStartCookBody } from '../../app/cooking/request';
import {
  MEAT_PROFILE,
  modelMinutesToComeUp,
  POULTRY_PROFILE,
  profileFor,
  SAFETY_FACTOR,
} from '../../app/cooking/thermal';
import { classifyFood } from '../../app/cooking/food-safety';
import { thrown } from '../helpers/cook-errors';

const cook = (overrides: Partial<FoodSafetyInput>): FoodSafetyInput => ({
  temperatureC: 60,
  timeMinutes: 600,
  foodType: 'chicken breast',
  thicknessMm: 25,
  ...overrides,
});

/** v1's reading of a table inside its rows and columns, written out independently. */
function v1InsideTable(table: PasteurisationTable, t: number, mm: number): number {
  const cols = table.temperaturesC;
  const at = (row: { minutes: readonly number[] }) => {
    const i = cols.findIndex((c) => c >= t);
    if (cols[i] === t) return row.minutes[i];
    return row.minutes[i - 1] + ((row.minutes[i] - row.minutes[i - 1]) * (t - cols[i - 1])) / (cols[i] - cols[i - 1]);
  };
  const rows = table.rows;
  if (mm <= rows[0].thicknessMm) return Math.ceil(Math.round(at(rows[0]) * 1e6) / 1e6);
  const j = rows.findIndex((r) => r.thicknessMm >= mm);
  const [a, b] = [rows[j - 1], rows[j]];
  const value = at(a) + ((at(b) - at(a)) * (mm - a.thicknessMm)) / (b.thicknessMm - a.thicknessMm);
  return Math.ceil(Math.round(value * 1e6) / 1e6);
}

describe('FS-5 / FS-6 inside the tables: exactly v1', () => {
  test.each([
    ['poultry', POULTRY_TABLE],
    ['red meat', RED_MEAT_TABLE],
  ] as const)('%s: every 0.1 °C and 0.5 mm inside the table reads as v1 did', (_name, table) => {
    const cols = table.temperaturesC;
    const thickest = table.rows[table.rows.length - 1].thicknessMm;
    let checked = 0;
    for (let tenths = cols[0] * 10; tenths <= cols[cols.length - 1] * 10; tenths += 1) {
      for (let mm = 1; mm <= thickest; mm += 0.5) {
        expect(requiredMinutes(table, tenths / 10, mm)).toBe(v1InsideTable(table, tenths / 10, mm));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });
});

describe('FS-5 / FS-6 beyond the tables: factor × model (v1.1)', () => {
  test('a 50 mm turkey breast at 60 °C for 4 hours is now accepted (the square rule demanded 334 minutes)', () => {
    const needed = requiredMinutes(POULTRY_TABLE, 60, 50);
    expect(needed).toBe(factoredModelMinutes(POULTRY_PROFILE, 60, 50));
    expect(needed).toBeLessThanOrEqual(240);
    expect(needed).toBeLessThan(334);
    expect(() =>
      evaluateFoodSafety(cook({ foodType: 'turkey breast', thicknessMm: 50, timeMinutes: 240 })),
    ).not.toThrow();
    const error = thrown(() =>
      evaluateFoodSafety(cook({ foodType: 'turkey breast', thicknessMm: 50, timeMinutes: needed - 1 })),
    );
    expect(error.details).toMatchObject({ rule: 'FS-5', required_minutes: needed });
  });

  test('thicker than the thickest row: ceil(SAFETY_FACTOR × model), never less than that row', () => {
    for (const [table, profile] of [
      [POULTRY_TABLE, POULTRY_PROFILE],
      [RED_MEAT_TABLE, MEAT_PROFILE],
    ] as const) {
      const thickest = table.rows[table.rows.length - 1];
      for (const t of table.temperaturesC) {
        for (const mm of [thickest.thicknessMm + 0.5, thickest.thicknessMm + 10, 100]) {
          const edge = requiredMinutes(table, t, thickest.thicknessMm);
          expect(requiredMinutes(table, t, mm)).toBe(Math.max(edge, factoredModelMinutes(profile, t, mm)));
          expect(requiredMinutes(table, t, mm)).toBeGreaterThanOrEqual(edge);
        }
      }
    }
    expect(SAFETY_FACTOR).toBeGreaterThan(1);
  });

  test("above the hottest column: that column's value at the same thickness, never less", () => {
    for (const table of [POULTRY_TABLE, RED_MEAT_TABLE]) {
      const hottest = table.temperaturesC[table.temperaturesC.length - 1];
      for (const mm of [5, 20, 30, 45, 70, 100]) {
        for (const t of [hottest + 0.1, hottest + 5, 95])
          expect(requiredMinutes(table, t, mm)).toBe(requiredMinutes(table, hottest, mm));
      }
    }
  });

  test.each([
    ['poultry', POULTRY_TABLE],
    ['red meat', RED_MEAT_TABLE],
  ] as const)('%s: hotter never needs longer and thicker never needs less, everywhere', (_name, table) => {
    for (let mm = 5; mm <= 100; mm += 5) {
      let previous = Infinity;
      for (let t = table.temperaturesC[0]; t <= 80; t += 0.5) {
        const m = requiredMinutes(table, t, mm);
        expect(m).toBeLessThanOrEqual(previous);
        previous = m;
      }
    }
    for (const t of [57, 60, 62.5, 66, 70]) {
      let previous = 0;
      for (let mm = 5; mm <= 100; mm += 2.5) {
        const m = requiredMinutes(table, t, mm);
        expect(m).toBeGreaterThanOrEqual(previous);
        previous = m;
      }
    }
  });
});

describe('FS-8: the centre must pass 54.4 °C within 6 hours', () => {
  test('a 100 mm chicken breast at 57 °C is refused, naming a hotter temperature and a thinner cut', () => {
    const error = thrown(() =>
      parseStartCookBody(
        { temperature_celsius: 57, time_minutes: 900, food_type: 'chicken breast', thickness_mm: 100 },
        true,
      ),
    );
    expect(error.code).toBe('FOOD_SAFETY_TIME_UNSAFE');
    expect(error.details).toMatchObject({ rule: 'FS-8', maximum_come_up_minutes: 360, thickness_mm: 100 });
    expect(error.publicMessage).toContain('rule FS-8');
    expect(error.publicMessage).toMatch(/cook it at \d+\.\d °C or hotter for at least \d+ minutes/);
    expect(error.publicMessage).toMatch(/cut it to \d+ mm or thinner/);
    expect(error.publicMessage).toMatch(/about 6 h \d+ min to pass 54\.4 °C/);

    const details = error.details as {
      alternative: { temperature_celsius: number; time_minutes: number };
      thinner_alternative: { thickness_mm: number; time_minutes: number };
    };
    // both ways out are accepted when taken
    const hotter = {
      temperatureC: details.alternative.temperature_celsius,
      timeMinutes: details.alternative.time_minutes,
    };
    expect(() => evaluateFoodSafety(cook({ ...hotter, thicknessMm: 100 }))).not.toThrow();
    const thinner = {
      thicknessMm: details.thinner_alternative.thickness_mm,
      timeMinutes: details.thinner_alternative.time_minutes,
    };
    expect(() => evaluateFoodSafety(cook({ temperatureC: 57, ...thinner }))).not.toThrow();
    // and they are the nearest: a degree cooler, or a millimetre thicker, would not come up in time
    expect(
      thrown(() =>
        evaluateFoodSafety(cook({ temperatureC: hotter.temperatureC - 1, timeMinutes: 5999, thicknessMm: 100 })),
      ).details,
    ).toMatchObject({ rule: 'FS-8' });
    expect(
      thrown(() =>
        evaluateFoodSafety(cook({ temperatureC: 57, timeMinutes: 5999, thicknessMm: thinner.thicknessMm + 1 })),
      ).details,
    ).toMatchObject({ rule: 'FS-8' });
  });

  test('with the water 0.1 °C low, as a held bath reads: a 98 mm chicken breast at 57 °C is refused, 97 mm accepted', () => {
    // 98 mm: 5 h 59 min to come up at 57.0 °C, but 6 h 4 min at 56.9 °C, where the monitor would flag it.
    expect(modelMinutesToComeUp(POULTRY_PROFILE, 57, 98) as number).toBeLessThanOrEqual(360);
    expect(modelMinutesToComeUp(POULTRY_PROFILE, 56.9, 98) as number).toBeGreaterThan(360);
    const error = thrown(() => evaluateFoodSafety(cook({ temperatureC: 57, thicknessMm: 98, timeMinutes: 900 })));
    expect(error.details).toMatchObject({
      rule: 'FS-8',
      come_up_minutes: 364,
      thinner_alternative: { thickness_mm: 97 },
    });
    expect(error.publicMessage).toContain('about 6 h 4 min to pass 54.4 °C in water at 56.9 °C');
    expect(() => evaluateFoodSafety(cook({ temperatureC: 57, thicknessMm: 97, timeMinutes: 900 }))).not.toThrow();
    // and the 70 mm cut of beef at 55 °C of Baldwin's Table 5.1 stays accepted (5 h 57 min at 54.9 °C)
    expect(() =>
      evaluateFoodSafety(cook({ temperatureC: 55, foodType: 'beef roast', thicknessMm: 70, timeMinutes: 600 })),
    ).not.toThrow();
  });

  test('a 70 mm chicken breast at 57 °C is accepted with its (long) minimum time', () => {
    const needed = requiredMinutes(POULTRY_TABLE, 57, 70);
    expect(() => evaluateFoodSafety(cook({ temperatureC: 57, thicknessMm: 70, timeMinutes: needed }))).not.toThrow();
  });

  test('runs after FS-7 and before FS-5: a too-short cook that would not come up is refused by FS-8', () => {
    const error = thrown(() => evaluateFoodSafety(cook({ temperatureC: 57, thicknessMm: 100, timeMinutes: 10 })));
    expect(error.details).toMatchObject({ rule: 'FS-8' });
  });

  test('applies to poultry, ground meat, red meat and unknown food; not to fish, eggs or plants', () => {
    const at = { temperatureC: 55, thicknessMm: 100, timeMinutes: 600 };
    for (const foodType of ['beef roast', 'pork shoulder', null, 'mystery meat']) {
      expect(thrown(() => evaluateFoodSafety(cook({ ...at, foodType }))).details).toMatchObject({ rule: 'FS-8' });
    }
    for (const foodType of ['salmon', 'eggs', 'carrots'])
      expect(() => evaluateFoodSafety(cook({ ...at, foodType }))).not.toThrow();
  });

  test('does not apply below 55 °C, where FS-7 keeps the cook to 4 hours instead (§5 must-pass examples hold)', () => {
    expect(() =>
      evaluateFoodSafety(cook({ temperatureC: 54, foodType: 'ribeye steak', thicknessMm: 100, timeMinutes: 240 })),
    ).not.toThrow();
  });

  test('agrees with the model everywhere: refused exactly when the come-up, 0.1 °C below the set temperature, takes longer than 6 hours', () => {
    for (const [foodType, fromC] of [
      ['chicken breast', 57],
      ['ground beef', 60],
      ['ribeye steak', 55],
      [null, 55],
    ] as const) {
      const profile = profileFor(classifyFood(foodType));
      for (let t = fromC; t <= fromC + 12; t += 1.5) {
        for (const mm of [40, 60, 70, 80, 90, 100]) {
          const comeUp = modelMinutesToComeUp(profile, Math.round((t - 0.1) * 10) / 10, mm);
          const refusedByFs8 = (() => {
            try {
              evaluateFoodSafety({ temperatureC: t, timeMinutes: 5999, foodType, thicknessMm: mm });
              return false;
            } catch (err) {
              return isCookError(err) && (err.details as { rule?: string } | undefined)?.rule === 'FS-8';
            }
          })();
          expect(refusedByFs8).toBe(comeUp === null || comeUp > 360);
        }
      }
    }
  });
});

describe('what the cook journal records', () => {
  test.each([
    [{ temperatureC: 63, timeMinutes: 75, foodType: 'chicken breast', thicknessMm: 25 }, 'FS-5', true],
    [{ temperatureC: 60, timeMinutes: 90, foodType: 'burger patty', thicknessMm: 25 }, 'FS-6', true],
    [{ temperatureC: 65, timeMinutes: 58, foodType: 'ground turkey', thicknessMm: 25 }, 'FS-6', true], // 58 (red meat) > 55 (poultry)
    [{ temperatureC: 50, timeMinutes: 45, foodType: 'salmon', thicknessMm: null }, 'FS-7', false],
    [{ temperatureC: 56, timeMinutes: 60, foodType: 'ribeye steak', thicknessMm: 25 }, null, false], // 135 minutes would
    [{ temperatureC: 56, timeMinutes: 600, foodType: 'ribeye steak', thicknessMm: 25 }, null, true],
    [{ temperatureC: 85, timeMinutes: 45, foodType: 'carrots', thicknessMm: null }, null, false],
  ] as const)('%o → governing rule %s, pasteurises %s', (input, rule, pasteurises) => {
    const result = evaluateFoodSafety(input);
    expect(result.governingRule).toBe(rule);
    expect(result.pasteurises).toBe(pasteurises);
  });

  test("pasteurisationMinutes: the rules' numbers, null where pasteurisation is impossible", () => {
    expect(pasteurisationMinutes(['poultry'], 60, 25)).toBe(90);
    expect(pasteurisationMinutes(['red_meat'], 56, 25)).toBe(135);
    expect(pasteurisationMinutes(['fish'], 56, 25)).toBe(factoredModelMinutes(profileFor(['fish']), 56, 25));
    expect(pasteurisationMinutes(['fish'], 54.9, 25)).toBeNull();
    expect(pasteurisationMinutes(['poultry'], 56, 25)).toBeNull();
    expect(pasteurisationMinutes(['unknown'], 56, 25)).toBeNull(); // it could be poultry
    expect(pasteurisationMinutes(['unknown'], 60, 25)).toBeGreaterThanOrEqual(
      pasteurisationMinutes(['poultry'], 60, 25) as number,
    );
    expect(pasteurisationMinutes(['plant_dairy'], 85, 25)).toBeNull();
  });
});
