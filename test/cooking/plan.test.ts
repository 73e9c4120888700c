import { isCookError, type CookErrorCode } from '../../app/cooking/errors';
import { planCook } from '../../app/cooking/plan';
import { parseCookPlanQuery, parseStartCookBody } from '../../app/cooking/request';
import { thrown } from '../helpers/cook-errors';

/** The start-cook outcome: null when accepted, else the error code. */
function startOutcome(body: Record<string, unknown>): CookErrorCode | null {
  try {
    parseStartCookBody(body, true);
    return null;
  } catch (err) {
    if (isCookError(err)) return err.code;
    throw err;
  }
}

const plan = (query: Record<string, unknown>) => planCook(parseCookPlanQuery(query));

describe('GET /cook-plan body', () => {
  test('has exactly the keys of docs/api.md, and the api.md message style', () => {
    const body = plan({ temperature_celsius: '60', food_type: 'turkey breast', thickness_mm: '50' });
    expect(Object.keys(body)).toEqual([
      'temperature_celsius',
      'food_type',
      'categories',
      'thickness_mm',
      'thickness_assumed',
      'min_time_minutes',
      'max_time_minutes',
      'pasteurises',
      'warnings',
      'message',
    ]);
    expect(body).toMatchObject({
      temperature_celsius: 60,
      food_type: 'turkey breast',
      categories: ['poultry'],
      thickness_mm: 50,
      thickness_assumed: false,
      max_time_minutes: null,
      pasteurises: true,
      warnings: [],
    });
    const min = body.min_time_minutes as number;
    expect(min).toBeLessThanOrEqual(240); // the model's answer beyond Table 4.1, not the square rule's 334
    expect(body.message).toBe(
      `Cook at 60.0 °C for at least ${min} minutes (${Math.floor(min / 60)} h ${min % 60} min) for a 50 mm turkey breast to be pasteurised.`,
    );
  });

  test('an assumed thickness is flagged, warned about and named in the message', () => {
    const body = plan({ temperature_celsius: '63', food_type: 'chicken breast' });
    expect(body).toMatchObject({ thickness_mm: 25, thickness_assumed: true, min_time_minutes: 75 });
    expect(body.warnings.map((w) => w.code)).toEqual(['THICKNESS_ASSUMED']);
    expect(body.message).toContain('25 mm thick assumed');
  });

  test('below 55 °C: a 240-minute maximum, no minimum, not pasteurised, with the warning', () => {
    const body = plan({ temperature_celsius: 54, food_type: 'salmon' });
    expect(body).toMatchObject({ min_time_minutes: null, max_time_minutes: 240, pasteurises: false });
    expect(body.warnings.map((w) => w.code)).toEqual(['FISH_NOT_PASTEURISED']);
    expect(body.message).toMatch(/^Cook salmon at 54\.0 °C for at most 240 minutes \(4 h\)/);
  });

  test('whole red meat: no minimum, but the message gives the time to pasteurise it', () => {
    const body = plan({ temperature_celsius: 56, food_type: 'ribeye steak', thickness_mm: 25 });
    expect(body).toMatchObject({ min_time_minutes: null, max_time_minutes: null, pasteurises: true });
    expect(body.message).toContain('135 minutes (2 h 15 min)'); // Table 4.2, 25 mm at 56 °C
  });

  test('plant food: nothing required, nothing to pasteurise', () => {
    expect(plan({ temperature_celsius: 85, food_type: 'carrots' })).toMatchObject({
      categories: ['plant_dairy'],
      min_time_minutes: null,
      max_time_minutes: null,
      pasteurises: false,
      warnings: [],
    });
  });

  test('no safe time at that temperature: POULTRY_TEMP_UNSAFE / GROUND_MEAT_TEMP_UNSAFE with the lowest safe temperature and its time', () => {
    const poultry = thrown(() => plan({ temperature_celsius: '56.9', food_type: 'chicken' }));
    expect(poultry.code).toBe('POULTRY_TEMP_UNSAFE');
    expect(poultry.publicMessage).toContain('Use 57.0 °C or hotter: at 57.0 °C it needs at least 180 minutes');
    const ground = thrown(() => plan({ temperature_celsius: 59, food_type: 'ground beef', thickness_mm: 25 }));
    expect(ground.code).toBe('GROUND_MEAT_TEMP_UNSAFE');
    expect(ground.publicMessage).toContain('at 60.0 °C it needs at least 90 minutes');
  });

  test('FS-8 refuses a plan whose centre would not come up in time', () => {
    const error = thrown(() => plan({ temperature_celsius: 57, food_type: 'chicken breast', thickness_mm: 100 }));
    expect(error.code).toBe('FOOD_SAFETY_TIME_UNSAFE');
    expect(error.details).toMatchObject({ rule: 'FS-8' });
  });
});

describe('plan and start-cook agree (the same evaluator)', () => {
  const foods = [
    'chicken breast',
    'turkey',
    'ground beef',
    'ground turkey',
    'burger patty',
    'ribeye steak',
    'pork shoulder',
    'salmon',
    'eggs',
    'carrots',
    'yogurt',
    'steak and eggs',
    'mystery',
    null,
  ];
  const thicknesses = [null, 5, 17, 25, 31, 42, 50, 70, 85, 100];

  test('min_time_minutes is accepted and one minute less refused; max is accepted and one more refused; refusals match', () => {
    let compared = 0;
    for (const food of foods) {
      for (let tenths = 400; tenths <= 950; tenths += 23) {
        for (const thickness of thicknesses) {
          const t = tenths / 10;
          const query = {
            temperature_celsius: String(t),
            ...(food !== null && { food_type: food }),
            ...(thickness !== null && { thickness_mm: String(thickness) }),
          };
          const body = (minutes: number) => ({ ...query, time_minutes: minutes });
          let result;
          try {
            result = plan(query);
          } catch (err) {
            if (!isCookError(err)) throw err;
            // refused at every time, with the same code
            for (const minutes of [1, 60, 240, 600, 5999]) expect(startOutcome(body(minutes))).toBe(err.code);
            compared++;
            continue;
          }
          const min = result.min_time_minutes;
          const max = result.max_time_minutes;
          expect(startOutcome(body(min ?? 1))).toBeNull();
          if (min !== null && min > 1) expect(startOutcome(body(min - 1))).toBe('FOOD_SAFETY_TIME_UNSAFE');
          if (max !== null) {
            expect(startOutcome(body(max))).toBeNull();
            expect(startOutcome(body(max + 1))).toBe('FOOD_SAFETY_TIME_UNSAFE');
          } else {
            expect(startOutcome(body(5999))).toBeNull();
          }
          // the same warnings as the start-cook of the shortest time
          expect(result.warnings).toEqual(parseStartCookBody(body(min ?? 1), true).warnings);
          compared++;
        }
      }
    }
    expect(compared).toBe(foods.length * 24 * thicknesses.length);
  });
});

describe('parseCookPlanQuery: every start-cook validation code, in its query form', () => {
  const codeOf = (query: Record<string, unknown>) => thrown(() => parseCookPlanQuery(query)).code;
  /** The start-cook code for the same fields (plus a valid time), to prove the two agree. */
  const startCodeOf = (query: Record<string, unknown>) => startOutcome({ time_minutes: 60, ...query });

  test.each([
    ['no temperature', {}, 'MISSING_TEMPERATURE'],
    ['no temperature, other fields bad', { food_type: ['x'], thickness_mm: 'thick' }, 'MISSING_TEMPERATURE'],
    ['temperature not a number', { temperature_celsius: 'hot' }, 'INVALID_TEMPERATURE'],
    ['temperature empty', { temperature_celsius: '' }, 'INVALID_TEMPERATURE'],
    ['temperature repeated', { temperature_celsius: ['60', '61'] }, 'INVALID_TEMPERATURE'],
    ['temperature NaN', { temperature_celsius: 'NaN' }, 'INVALID_TEMPERATURE'],
    ['temperature Infinity', { temperature_celsius: 'Infinity' }, 'INVALID_TEMPERATURE'],
    ['temperature with an exponent', { temperature_celsius: '6e1' }, 'INVALID_TEMPERATURE'],
    ['temperature hex', { temperature_celsius: '0x3c' }, 'INVALID_TEMPERATURE'],
    ['temperature boolean (MCP)', { temperature_celsius: true }, 'INVALID_TEMPERATURE'],
    ['temperature null (MCP)', { temperature_celsius: null }, 'INVALID_TEMPERATURE'],
    ['temperature too low', { temperature_celsius: '39.9' }, 'TEMPERATURE_TOO_LOW'],
    ['temperature rounds below 40', { temperature_celsius: '39.94' }, 'TEMPERATURE_TOO_LOW'],
    ['temperature too high', { temperature_celsius: '95.05' }, 'TEMPERATURE_TOO_HIGH'],
    ['food_type repeated', { temperature_celsius: '60', food_type: ['chicken', 'beef'] }, 'INVALID_FOOD_TYPE'],
    [
      'food_type with a control character',
      { temperature_celsius: '60', food_type: 'chicken\nbreast' },
      'INVALID_FOOD_TYPE',
    ],
    ['food_type too long', { temperature_celsius: '60', food_type: 'x'.repeat(101) }, 'INVALID_FOOD_TYPE'],
    ['thickness not a number', { temperature_celsius: '60', thickness_mm: 'thick' }, 'INVALID_THICKNESS'],
    ['thickness empty', { temperature_celsius: '60', thickness_mm: '' }, 'INVALID_THICKNESS'],
    ['thickness too thin', { temperature_celsius: '60', thickness_mm: '4.9' }, 'INVALID_THICKNESS'],
    ['thickness too thick', { temperature_celsius: '60', thickness_mm: '100.1' }, 'INVALID_THICKNESS'],
    [
      'a bad type beats a bad range: food before thickness range',
      { temperature_celsius: '30', food_type: ['x'] },
      'INVALID_FOOD_TYPE',
    ],
    [
      'types before ranges: thickness type before temperature range',
      { temperature_celsius: '30', thickness_mm: 'x' },
      'INVALID_THICKNESS',
    ],
  ] as const)('%s → %s (as start-cook says)', (_label, query, code) => {
    expect(codeOf(query)).toBe(code);
    expect(startCodeOf(query)).toBe(code);
  });

  test('accepts query strings and MCP numbers alike; time is not asked, unknown fields are ignored', () => {
    expect(
      parseCookPlanQuery({ temperature_celsius: ' 60.04 ', food_type: '  turkey breast ', thickness_mm: '50' }),
    ).toEqual({
      temperatureC: 60,
      foodType: 'turkey breast',
      thicknessMm: 50,
    });
    expect(parseCookPlanQuery({ temperature_celsius: 60, thickness_mm: 50 })).toEqual({
      temperatureC: 60,
      foodType: null,
      thicknessMm: 50,
    });
    expect(
      parseCookPlanQuery({ temperature_celsius: '60', time_minutes: 'abc', colour: 'red', food_type: '' }),
    ).toEqual({
      temperatureC: 60,
      foodType: null,
      thicknessMm: null,
    });
  });

  test('a null-prototype query object (as Node parses query strings) works', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { temperature_celsius: '65' });
    expect(parseCookPlanQuery(query).temperatureC).toBe(65);
  });
});
