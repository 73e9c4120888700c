import { isCookError, type CookErrorCode } from '../../app/cooking/errors';
import {
  BLOCKING_RULES,
  DEFAULT_THICKNESS_MM,
  evaluateFoodSafety,
  factoredModelMinutes,
  POULTRY_TABLE,
  RED_MEAT_TABLE,
  requiredMinutes,
  WARNING_RULES,
  type FoodSafetyInput,
  type PasteurisationTable,
} from '../../app/cooking/food-safety';
import { parseStartCookBody } from '../../app/cooking/request';
import { MEAT_PROFILE, POULTRY_PROFILE } from '../../app/cooking/thermal';
import { thrown } from '../helpers/cook-errors';

const input = (overrides: Partial<FoodSafetyInput>): FoodSafetyInput => ({
  temperatureC: 65,
  timeMinutes: 90,
  foodType: null,
  thicknessMm: null,
  ...overrides,
});

describe('docs/food-safety.md §5 must-pass examples', () => {
  type Example = {
    temperature: number;
    minutes: number;
    food?: string;
    thickness?: number;
    code?: CookErrorCode; // a block
    warnings?: string[]; // codes, for a cook that starts
    messageHas?: string[]; // key numbers of a block's message
  };
  const examples: Example[] = [
    { temperature: 65, minutes: 90, food: 'chicken breast', warnings: ['THICKNESS_ASSUMED'] },
    { temperature: 57, minutes: 180, food: 'chicken', warnings: ['THICKNESS_ASSUMED'] },
    {
      temperature: 57,
      minutes: 120,
      food: 'chicken',
      code: 'FOOD_SAFETY_TIME_UNSAFE',
      messageHas: ['180 minutes', 'FS-5', '120 minutes'],
    },
    {
      temperature: 56.9,
      minutes: 600,
      food: 'chicken',
      code: 'POULTRY_TEMP_UNSAFE',
      messageHas: ['57.0 °C', '56.9 °C', 'FS-3'],
    },
    { temperature: 63, minutes: 75, food: 'chicken breast', thickness: 25, warnings: [] },
    {
      temperature: 60,
      minutes: 60,
      food: 'chicken',
      thickness: 25,
      code: 'FOOD_SAFETY_TIME_UNSAFE',
      messageHas: ['90 minutes', 'FS-5', '25 mm'],
    },
    {
      temperature: 59,
      minutes: 600,
      food: 'ground beef',
      code: 'GROUND_MEAT_TEMP_UNSAFE',
      messageHas: ['60.0 °C', '59.0 °C', 'FS-4'],
    },
    { temperature: 60, minutes: 90, food: 'burger patty', thickness: 25, warnings: [] },
    {
      temperature: 60,
      minutes: 45,
      food: 'ground beef',
      thickness: 25,
      code: 'FOOD_SAFETY_TIME_UNSAFE',
      messageHas: ['90 minutes', 'FS-6'],
    },
    { temperature: 54, minutes: 120, food: 'ribeye steak', warnings: ['NOT_PASTEURISED'] },
    {
      temperature: 52,
      minutes: 600,
      food: 'beef short rib',
      code: 'FOOD_SAFETY_TIME_UNSAFE',
      messageHas: ['240 minutes', '55.0 °C', 'FS-7'],
    },
    { temperature: 46, minutes: 45, food: 'salmon', warnings: ['FISH_NOT_PASTEURISED'] },
    { temperature: 43, minutes: 600, food: 'yogurt', warnings: [] },
    { temperature: 85, minutes: 45, food: 'carrots', warnings: [] },
    { temperature: 50, minutes: 300, code: 'FOOD_SAFETY_TIME_UNSAFE', messageHas: ['240 minutes', 'FS-7'] },
    { temperature: 75, minutes: 60, food: 'eggs', warnings: [] },
    { temperature: 39.9, minutes: 60, code: 'TEMPERATURE_TOO_LOW', messageHas: ['39.9 °C', '40.0 °C'] },
    { temperature: 95.1, minutes: 60, code: 'TEMPERATURE_TOO_HIGH', messageHas: ['95.1 °C', '95.0 °C'] },
  ];

  test.each(examples)('$temperature °C, $minutes min, $food, $thickness mm → $code$warnings', (example) => {
    const body = {
      temperature_celsius: example.temperature,
      time_minutes: example.minutes,
      ...(example.food !== undefined && { food_type: example.food }),
      ...(example.thickness !== undefined && { thickness_mm: example.thickness }),
    };
    if (example.code) {
      const error = thrown(() => parseStartCookBody(body, true));
      expect(error.code).toBe(example.code);
      for (const part of example.messageHas ?? []) expect(error.publicMessage).toContain(part);
    } else {
      const request = parseStartCookBody(body, true);
      expect(request.warnings.map((w) => w.code)).toEqual(example.warnings);
    }
  });
});

describe('tables (docs/food-safety.md §4)', () => {
  const tables: Array<[string, PasteurisationTable]> = [
    ['poultry', POULTRY_TABLE],
    ['red meat', RED_MEAT_TABLE],
  ];

  test.each(tables)('%s: every row has one value per column, and names its source', (_name, table) => {
    for (const row of table.rows) expect(row.minutes).toHaveLength(table.temperaturesC.length);
    expect(table.source).toMatch(/Baldwin/);
  });

  test.each(tables)('%s: hotter never takes longer, thicker never takes less', (_name, table) => {
    for (const row of table.rows) {
      for (let i = 1; i < row.minutes.length; i++) expect(row.minutes[i]).toBeLessThanOrEqual(row.minutes[i - 1]);
    }
    for (let r = 1; r < table.rows.length; r++) {
      expect(table.rows[r].thicknessMm).toBeGreaterThan(table.rows[r - 1].thicknessMm);
      table.rows[r].minutes.forEach((m, i) => expect(m).toBeGreaterThanOrEqual(table.rows[r - 1].minutes[i]));
    }
  });

  test('spot checks against the spec', () => {
    expect(POULTRY_TABLE.temperaturesC).toEqual([57, 58, 59, 60, 61, 62, 63, 64, 65]);
    expect(POULTRY_TABLE.rows.map((r) => r.thicknessMm)).toEqual([5, 20, 25, 30]);
    expect(POULTRY_TABLE.rows[2].minutes).toEqual([180, 135, 120, 90, 90, 75, 75, 60, 55]);
    expect(RED_MEAT_TABLE.temperaturesC).toEqual([55, 56, 57, 58, 59, 60, 62, 64, 66]);
    expect(RED_MEAT_TABLE.rows.map((r) => r.thicknessMm)).toEqual([10, 25, 50, 70]);
    expect(RED_MEAT_TABLE.rows[3].minutes).toEqual([390, 345, 315, 285, 255, 240, 225, 195, 195]);
    expect(DEFAULT_THICKNESS_MM).toBe(25);
  });
});

describe('requiredMinutes', () => {
  test('table cells are returned exactly', () => {
    expect(requiredMinutes(POULTRY_TABLE, 60, 25)).toBe(90);
    expect(requiredMinutes(POULTRY_TABLE, 57, 5)).toBe(135);
    expect(requiredMinutes(POULTRY_TABLE, 65, 30)).toBe(75);
    expect(requiredMinutes(RED_MEAT_TABLE, 55, 10)).toBe(120);
    expect(requiredMinutes(RED_MEAT_TABLE, 62, 50)).toBe(135);
  });

  test('interpolates between columns and rounds up', () => {
    expect(requiredMinutes(POULTRY_TABLE, 60.5, 25)).toBe(90); // between 90 and 90
    expect(requiredMinutes(POULTRY_TABLE, 57.5, 25)).toBe(158); // 157.5
    expect(requiredMinutes(RED_MEAT_TABLE, 61, 25)).toBe(83); // 82.5 between the 60 and 62 columns
  });

  test('interpolates between rows', () => {
    expect(requiredMinutes(POULTRY_TABLE, 60, 22.5)).toBe(83); // 75 + 0.5 × (90 - 75) = 82.5
    expect(requiredMinutes(RED_MEAT_TABLE, 60, 60)).toBe(195); // halfway between 150 and 240
  });

  test('interpolates in both directions at once', () => {
    // 57.5 °C: 20 mm row 142.5, 25 mm row 157.5; 22.5 mm is halfway: 150
    expect(requiredMinutes(POULTRY_TABLE, 57.5, 22.5)).toBe(150);
  });

  test('ignores binary noise below a microminute instead of adding a minute', () => {
    // 57.4 °C interpolates to 162.00000000000006 in floating point; the true value is 162.
    expect(requiredMinutes(POULTRY_TABLE, 57.4, 25)).toBe(162);
    expect(requiredMinutes(POULTRY_TABLE, 57.8, 25)).toBe(144); // 144.0000000000001
    expect(requiredMinutes(POULTRY_TABLE, 59.3, 25)).toBe(111); // 111.00000000000009
    expect(requiredMinutes(POULTRY_TABLE, 57.6, 25)).toBe(153); // 152.99999999999994
  });

  test('hotter than the hottest column reads the hottest column', () => {
    expect(requiredMinutes(POULTRY_TABLE, 70, 25)).toBe(55);
    expect(requiredMinutes(POULTRY_TABLE, 95, 5)).toBe(13);
    expect(requiredMinutes(RED_MEAT_TABLE, 80, 70)).toBe(195);
  });

  test('thinner than the thinnest row reads the thinnest row (never shorter)', () => {
    expect(requiredMinutes(RED_MEAT_TABLE, 60, 5)).toBe(40);
    expect(requiredMinutes(POULTRY_TABLE, 60, 2)).toBe(45);
  });

  // v1.1 (docs/food-safety.md §6.1) deliberately replaces v1's (thickness / row)² rule here:
  // beyond the thickest row the time is SAFETY_FACTOR × the heat-transfer model, never less than
  // that row. The square rule asked 214 minutes for 40 mm of chicken at 60 °C; food-safety-v11.test.ts
  // covers the new rule in depth.
  test('thicker than the thickest row: factor × model, never less than the row itself', () => {
    expect(requiredMinutes(POULTRY_TABLE, 60, 30)).toBe(120); // the row itself
    const forty = requiredMinutes(POULTRY_TABLE, 60, 40);
    expect(forty).toBe(Math.max(120, factoredModelMinutes(POULTRY_PROFILE, 60, 40)));
    expect(forty).toBeGreaterThan(120);
    expect(forty).toBeLessThan(214); // the square rule's answer, which refused safe cooks
    expect(requiredMinutes(RED_MEAT_TABLE, 60, 100)).toBe(Math.max(240, factoredModelMinutes(MEAT_PROFILE, 60, 100)));
  });

  test('refuses to guess below the coolest column', () => {
    expect(() => requiredMinutes(POULTRY_TABLE, 56.9, 25)).toThrow(RangeError);
    expect(() => requiredMinutes(RED_MEAT_TABLE, 54, 25)).toThrow(RangeError);
    expect(() => requiredMinutes(POULTRY_TABLE, Number.NaN, 25)).toThrow(RangeError);
    expect(() => requiredMinutes(POULTRY_TABLE, 60, 0)).toThrow(RangeError);
  });
});

describe('blocking rules', () => {
  test('run in the order of docs/food-safety.md §2', () => {
    // v1.1 adds FS-8 after FS-7, before the table rules (docs/food-safety.md §6.2).
    expect(BLOCKING_RULES.map((r) => r.id)).toEqual(['FS-1', 'FS-2', 'FS-3', 'FS-4', 'FS-7', 'FS-8', 'FS-5', 'FS-6']);
  });

  test('FS-1 and FS-2 hold even when the evaluator is called directly', () => {
    expect(thrown(() => evaluateFoodSafety(input({ temperatureC: 39.9, foodType: 'carrots' }))).code).toBe(
      'TEMPERATURE_TOO_LOW',
    );
    expect(thrown(() => evaluateFoodSafety(input({ temperatureC: 95.1 }))).code).toBe('TEMPERATURE_TOO_HIGH');
    expect(thrown(() => evaluateFoodSafety(input({ timeMinutes: 0 }))).code).toBe('TIME_TOO_SHORT');
    expect(thrown(() => evaluateFoodSafety(input({ timeMinutes: 6000 }))).code).toBe('TIME_TOO_LONG');
  });

  test('FS-3: poultry at 57.0 °C passes, 56.9 °C is blocked', () => {
    expect(evaluateFoodSafety(input({ temperatureC: 57.0, timeMinutes: 180, foodType: 'duck' })).categories).toEqual([
      'poultry',
    ]);
    expect(
      thrown(() => evaluateFoodSafety(input({ temperatureC: 56.9, timeMinutes: 5999, foodType: 'duck' }))).code,
    ).toBe('POULTRY_TEMP_UNSAFE');
  });

  test('FS-4: ground meat at 60.0 °C passes, 59.9 °C is blocked', () => {
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 60.0, timeMinutes: 90, foodType: 'minced pork' })),
    ).not.toThrow();
    const error = thrown(() =>
      evaluateFoodSafety(input({ temperatureC: 59.9, timeMinutes: 5999, foodType: 'minced pork' })),
    );
    expect(error.code).toBe('GROUND_MEAT_TEMP_UNSAFE');
    expect(error.publicMessage).toBe(
      'Minced pork must be cooked at 60.0 °C or hotter because grinding spreads surface bacteria all through the meat; ' +
        '59.9 °C is too cool (rule FS-4). Use 60.0 °C or hotter: at 60.0 °C it needs at least 90 minutes at an assumed ' +
        'thickness of 25 mm.',
    );
    expect(error.details).toEqual({
      rule: 'FS-4',
      minimum_temperature_celsius: 60,
      alternative: { temperature_celsius: 60, time_minutes: 90 },
    });
  });

  test('FS-7: below 55 °C at most 240 minutes; 55.0 °C is not limited', () => {
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 54.9, timeMinutes: 240, foodType: 'pork loin' })),
    ).not.toThrow();
    const error = thrown(() =>
      evaluateFoodSafety(input({ temperatureC: 54.9, timeMinutes: 241, foodType: 'pork loin' })),
    );
    expect(error.code).toBe('FOOD_SAFETY_TIME_UNSAFE');
    expect(error.details).toMatchObject({ rule: 'FS-7', maximum_minutes: 240 });
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 55.0, timeMinutes: 5999, foodType: 'pork loin' })),
    ).not.toThrow();
  });

  test.each(['salmon', 'eggs', 'ribeye', null, 'mystery'])('FS-7 applies to %s', (foodType) => {
    expect(thrown(() => evaluateFoodSafety(input({ temperatureC: 50, timeMinutes: 241, foodType }))).code).toBe(
      'FOOD_SAFETY_TIME_UNSAFE',
    );
  });

  test.each(['carrots', 'yogurt', 'chocolate', 'crème brûlée'])('FS-7 exempts plant/dairy food: %s', (foodType) => {
    expect(evaluateFoodSafety(input({ temperatureC: 45, timeMinutes: 5999, foodType })).warnings).toEqual([]);
  });

  test('FS-5 and FS-6 read the given thickness', () => {
    // chicken at 60 °C: 30 mm needs 120 minutes, 20 mm only 75
    expect(
      thrown(() =>
        evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 100, foodType: 'chicken', thicknessMm: 30 })),
      ).code,
    ).toBe('FOOD_SAFETY_TIME_UNSAFE');
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 75, foodType: 'chicken', thicknessMm: 20 })),
    ).not.toThrow();
    // ground beef at 60 °C, 50 mm: 150 minutes
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 150, foodType: 'ground beef', thicknessMm: 50 })),
    ).not.toThrow();
    expect(
      thrown(() =>
        evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 149, foodType: 'ground beef', thicknessMm: 50 })),
      ).details,
    ).toMatchObject({
      rule: 'FS-6',
      required_minutes: 150,
      thickness_mm: 50,
      thickness_assumed: false,
    });
  });

  test('the time message names the rule, the numbers and a hotter alternative that fits the time asked for', () => {
    const error = thrown(() =>
      evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 60, foodType: 'chicken', thicknessMm: 25 })),
    );
    expect(error.publicMessage).toBe(
      'Chicken at 60.0 °C needs at least 90 minutes at a thickness of 25 mm to be pasteurised (rule FS-5); 60 minutes is not ' +
        'enough. Cook it for 90 minutes or more, or use 64.0 °C for at least 60 minutes.',
    );
    expect(error.details).toEqual({
      rule: 'FS-5',
      required_minutes: 90,
      thickness_mm: 25,
      thickness_assumed: false,
      alternative: { temperature_celsius: 64, time_minutes: 60 },
    });
  });

  test('when no table temperature fits the time, the hottest column is offered', () => {
    const error = thrown(() => evaluateFoodSafety(input({ temperatureC: 60, timeMinutes: 30, foodType: 'chicken' })));
    expect(error.publicMessage).toContain('at an assumed thickness of 25 mm');
    expect(error.publicMessage).toContain('or use 65.0 °C for at least 55 minutes');
  });

  test('above the hottest column there is no hotter alternative, only the time', () => {
    const error = thrown(() => evaluateFoodSafety(input({ temperatureC: 70, timeMinutes: 30, foodType: 'chicken' })));
    expect(error.publicMessage).toContain('needs at least 55 minutes');
    expect(error.publicMessage).toMatch(/Cook it for 55 minutes or more\.$/);
    expect(error.details).not.toHaveProperty('alternative');
  });

  test('a food in two categories gets advice that satisfies both rules', () => {
    // ground turkey at 65 °C: poultry table 55 minutes, red-meat table 57.5 → 58 minutes
    const tooShort = thrown(() =>
      evaluateFoodSafety(input({ temperatureC: 65, timeMinutes: 50, foodType: 'ground turkey' })),
    );
    expect(tooShort.details).toMatchObject({
      rule: 'FS-5',
      required_minutes: 58,
      alternative: { temperature_celsius: 66, time_minutes: 55 },
    });
    expect(tooShort.publicMessage).toContain('(rules FS-5 and FS-6)');
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 65, timeMinutes: 58, foodType: 'ground turkey' })),
    ).not.toThrow();
    expect(() =>
      evaluateFoodSafety(input({ temperatureC: 66, timeMinutes: 55, foodType: 'ground turkey' })),
    ).not.toThrow();

    // too cool for poultry (FS-3 comes first), and the advice is the ground-meat minimum
    const tooCool = thrown(() =>
      evaluateFoodSafety(input({ temperatureC: 56, timeMinutes: 600, foodType: 'ground turkey' })),
    );
    expect(tooCool.code).toBe('POULTRY_TEMP_UNSAFE');
    expect(tooCool.publicMessage).toContain('Use 60.0 °C or hotter: at 60.0 °C it needs at least 90 minutes');
  });

  test('every suggested retry passes when taken', () => {
    let retried = 0;
    for (const foodType of ['chicken', 'ground beef', 'ground turkey']) {
      for (let tenths = 550; tenths <= 700; tenths += 7) {
        for (const thicknessMm of [5, 17, 25, 42, 100]) {
          for (const timeMinutes of [1, 30, 60, 100]) {
            const request = { temperatureC: tenths / 10, timeMinutes, foodType, thicknessMm };
            let details: Record<string, unknown>;
            try {
              evaluateFoodSafety(request);
              continue;
            } catch (err) {
              if (!isCookError(err)) throw err;
              details = err.details ?? {};
            }
            const alternative = details.alternative as
              { temperature_celsius: number; time_minutes: number } | undefined;
            const retries = [
              ...(typeof details.required_minutes === 'number'
                ? [{ ...request, timeMinutes: details.required_minutes }]
                : []),
              ...(alternative
                ? [{ ...request, temperatureC: alternative.temperature_celsius, timeMinutes: alternative.time_minutes }]
                : []),
            ];
            expect(retries.length).toBeGreaterThan(0); // every refusal offers a way out
            for (const retry of retries) expect(() => evaluateFoodSafety(retry)).not.toThrow();
            retried += retries.length;
          }
        }
      }
    }
    expect(retried).toBeGreaterThan(100);
  });
});

describe('warnings', () => {
  const codes = (overrides: Partial<FoodSafetyInput>) =>
    evaluateFoodSafety(input(overrides)).warnings.map((w) => w.code);

  test('are listed in WARNING_RULES order FW-1..FW-4', () => {
    expect(WARNING_RULES.map((r) => [r.id, r.code])).toEqual([
      ['FW-1', 'FISH_NOT_PASTEURISED'],
      ['FW-2', 'NOT_PASTEURISED'],
      ['FW-3', 'FOOD_NOT_RECOGNISED'],
      ['FW-4', 'THICKNESS_ASSUMED'],
    ]);
  });

  test('FW-1: fish below 55 °C only', () => {
    expect(codes({ temperatureC: 54.9, timeMinutes: 30, foodType: 'cod' })).toEqual(['FISH_NOT_PASTEURISED']);
    expect(codes({ temperatureC: 55.0, timeMinutes: 30, foodType: 'cod' })).toEqual([]);
  });

  test('FW-2: red meat or egg below 55 °C, once even when both', () => {
    expect(codes({ temperatureC: 54, timeMinutes: 60, foodType: 'eggs' })).toEqual(['NOT_PASTEURISED']);
    expect(codes({ temperatureC: 54, timeMinutes: 60, foodType: 'steak and eggs' })).toEqual(['NOT_PASTEURISED']);
    expect(codes({ temperatureC: 56, timeMinutes: 60, foodType: 'lamb' })).toEqual([]);
  });

  test('FW-3: absent or unrecognised food', () => {
    expect(codes({ foodType: null })).toEqual(['FOOD_NOT_RECOGNISED']);
    expect(codes({ foodType: 'mystery' })).toEqual(['FOOD_NOT_RECOGNISED']);
    const [warning] = evaluateFoodSafety(input({ foodType: 'mystery' })).warnings;
    expect(warning.message).toContain('"mystery" was not recognised');
    expect(warning.message).toContain('FW-3');
  });

  test('FW-4: only when a thickness rule applied without a thickness', () => {
    expect(codes({ foodType: 'chicken' })).toEqual(['THICKNESS_ASSUMED']);
    expect(codes({ foodType: 'ground beef' })).toEqual(['THICKNESS_ASSUMED']);
    expect(codes({ foodType: 'chicken', thicknessMm: 25 })).toEqual([]);
    expect(codes({ foodType: 'ribeye' })).toEqual([]); // whole red meat has no time rule
    expect(codes({ foodType: 'salmon' })).toEqual([]);
    expect(codes({ foodType: null })).toEqual(['FOOD_NOT_RECOGNISED']);
    const result = evaluateFoodSafety(input({ foodType: 'chicken' }));
    expect(result).toMatchObject({ thicknessAssumed: true, thicknessUsedMm: 25 });
    expect(result.warnings[0].message).toContain('25 mm was assumed');
  });

  test('messages name the food, the temperature and who should not eat it', () => {
    const [warning] = evaluateFoodSafety(input({ temperatureC: 46, timeMinutes: 45, foodType: 'salmon' })).warnings;
    expect(warning.message).toBe(
      'Salmon at 46.0 °C is not pasteurised (that needs 55.0 °C or hotter) (rule FW-1): serve it straight away, and not to ' +
        'pregnant, elderly or immunocompromised people.',
    );
  });
});
