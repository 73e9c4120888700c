import { CookError, isCookError, type CookErrorCode } from '../../app/cooking/errors';
import { parseStartCookBody, roundToTenth, toFiniteNumber } from '../../app/cooking/request';

/** A valid body (a plant food, so only the general rules apply) with `overrides` merged in. */
const body = (overrides: Record<string, unknown> = {}) => ({
  temperature_celsius: 85,
  time_minutes: 60,
  food_type: 'carrots',
  ...overrides,
});

function errorOf(value: unknown, hasBody = true): CookError {
  try {
    parseStartCookBody(value, hasBody);
  } catch (err) {
    if (isCookError(err)) return err;
    throw err;
  }
  throw new Error('expected a CookError, but the body was accepted');
}

const codeOf = (value: unknown, hasBody = true): CookErrorCode => errorOf(value, hasBody).code;

describe('a valid body', () => {
  test('becomes a typed CookRequest with food-safety categories and warnings', () => {
    expect(
      parseStartCookBody({ temperature_celsius: 65, time_minutes: 90, food_type: 'chicken breast' }, true),
    ).toEqual({
      temperatureC: 65,
      timeMinutes: 90,
      foodType: 'chicken breast',
      thicknessMm: null,
      thicknessAssumed: true,
      categories: ['poultry'],
      warnings: [{ code: 'THICKNESS_ASSUMED', message: expect.stringContaining('25 mm') }],
      thicknessUsedMm: 25,
      governingRule: 'FS-5',
      pasteurises: true,
    });
  });

  test('with a thickness nothing is assumed', () => {
    const request = parseStartCookBody(
      { temperature_celsius: 63, time_minutes: 75, food_type: 'chicken', thickness_mm: 25 },
      true,
    );
    expect(request).toMatchObject({ thicknessMm: 25, thicknessAssumed: false, warnings: [] });
  });

  test('unknown fields are ignored', () => {
    expect(
      parseStartCookBody(body({ colour: 'red', nested: { a: 1 }, temperature_fahrenheit: 'x' }), true).temperatureC,
    ).toBe(85);
  });
});

describe('MISSING_BODY', () => {
  test.each([
    ['no body at all', undefined, false],
    ['an object but the request had no body', {}, false],
    ['null', null, true],
    ['an array', [body()], true],
    ['a string', '{"temperature_celsius": 65}', true],
    ['a number', 65, true],
    ['a boolean', true, true],
  ])('%s', (_label, value, hasBody) => {
    const error = errorOf(value, hasBody as boolean);
    expect(error.code).toBe('MISSING_BODY');
    expect(error.publicMessage).toContain('temperature_celsius');
  });
});

describe('required fields', () => {
  test('MISSING_TEMPERATURE, and it is checked before the time', () => {
    expect(codeOf({})).toBe('MISSING_TEMPERATURE');
    expect(codeOf({ time_minutes: 90 })).toBe('MISSING_TEMPERATURE');
  });

  test('MISSING_TIME', () => {
    expect(codeOf({ temperature_celsius: 65 })).toBe('MISSING_TIME');
  });

  test('null for a required field is a wrong type, not a missing field', () => {
    expect(codeOf({ temperature_celsius: null, time_minutes: 90 })).toBe('INVALID_TEMPERATURE');
    expect(codeOf({ temperature_celsius: 65, time_minutes: null })).toBe('INVALID_TIME');
  });
});

const NOT_NUMBERS: Array<[string, unknown]> = [
  ['empty string', ''],
  ['blank string', '   '],
  ['word', 'hot'],
  ['string with unit', '65C'],
  ['exponent string', '1e2'],
  ['huge exponent string', '1e400'],
  ['"NaN"', 'NaN'],
  ['"Infinity"', 'Infinity'],
  ['"-Infinity"', '-Infinity'],
  ['hex', '0x41'],
  ['binary literal', '0b1'],
  ['decimal comma', '65,5'],
  ['digit groups', '1 000'],
  ['400-digit string (Infinity)', '1' + '0'.repeat(400)],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['true', true],
  ['false', false],
  ['array', [65]],
  ['empty array', []],
  ['object', { value: 65 }],
  ['null', null],
];

describe('types', () => {
  test.each(NOT_NUMBERS)('temperature_celsius = %s → INVALID_TEMPERATURE', (_label, value) => {
    const error = errorOf(body({ temperature_celsius: value }));
    expect(error.code).toBe('INVALID_TEMPERATURE');
    expect(error.publicMessage).toContain('degrees Celsius');
  });

  test.each(NOT_NUMBERS)('time_minutes = %s → INVALID_TIME', (_label, value) => {
    expect(codeOf(body({ time_minutes: value }))).toBe('INVALID_TIME');
  });

  test.each(NOT_NUMBERS.filter(([, value]) => value !== null))(
    'thickness_mm = %s → INVALID_THICKNESS',
    (_label, value) => {
      expect(codeOf(body({ thickness_mm: value }))).toBe('INVALID_THICKNESS');
    },
  );

  test.each([
    ['a number', 42],
    ['a boolean', true],
    ['an array', ['chicken']],
    ['an object', { name: 'chicken' }],
  ])('food_type as %s → INVALID_FOOD_TYPE', (_label, value) => {
    expect(codeOf(body({ food_type: value }))).toBe('INVALID_FOOD_TYPE');
  });
});

describe('numbers', () => {
  test.each([
    ['65', 65],
    ['65.5', 65.5],
    [' 65 ', 65],
    ['\t65\n', 65],
    ['+65', 65],
    ['65.', 65],
    ['.5', 0.5],
    ['-3', -3],
    ['065', 65],
  ])('the string %j is the number %d', (text, value) => {
    expect(toFiniteNumber(text)).toBe(value);
  });

  test('JSON numbers in any notation are numbers', () => {
    expect(toFiniteNumber(JSON.parse('6.5e1'))).toBe(65);
    expect(toFiniteNumber(JSON.parse('1e400'))).toBeNull(); // JSON.parse gives Infinity
    expect(toFiniteNumber(-0)).toBe(-0);
  });

  test('numeric strings are accepted for every numeric field', () => {
    const request = parseStartCookBody(
      { temperature_celsius: '63.0', time_minutes: '75', food_type: 'chicken', thickness_mm: ' 25 ' },
      true,
    );
    expect(request).toMatchObject({ temperatureC: 63, timeMinutes: 75, thicknessMm: 25 });
  });

  test('huge finite numbers fail the range checks, not the type checks', () => {
    expect(codeOf(body({ temperature_celsius: 1e308 }))).toBe('TEMPERATURE_TOO_HIGH');
    expect(codeOf(body({ temperature_celsius: -1e308 }))).toBe('TEMPERATURE_TOO_LOW');
    expect(codeOf(body({ time_minutes: Number.MAX_VALUE }))).toBe('TIME_TOO_LONG');
    expect(codeOf(body({ time_minutes: '99999999999999999999999' }))).toBe('TIME_TOO_LONG');
    expect(codeOf(body({ thickness_mm: 1e300 }))).toBe('INVALID_THICKNESS');
  });
});

describe('temperature rounding to 0.1 °C (half away from zero, on the decimal as written)', () => {
  test.each([
    [39.95, 40.0],
    [39.94, 39.9],
    [95.04, 95.0],
    [95.05, 95.1],
    [65.55, 65.6],
    [65.25, 65.3],
    [64.95, 65.0],
    [1.005, 1.0],
    [1.05, 1.1],
    [57.049999, 57.0],
    [57.05, 57.1],
    [65, 65],
    [-39.95, -40.0],
    [0.04, 0],
    [1e-7, 0],
  ])('%d → %d', (value, rounded) => {
    expect(roundToTenth(value)).toBe(rounded);
  });

  test('binary shortcuts would get these wrong (why the rule exists)', () => {
    expect((95.05).toFixed(1)).toBe('95.0');
    expect(roundToTenth(95.05)).toBe(95.1);
    expect(Math.round(54.949999999999996 * 10) / 10).toBe(55);
    expect(roundToTenth(54.949999999999996)).toBe(54.9);
  });

  test('a value just under 55.0 stays under it, so FS-7 still limits the time', () => {
    const error = errorOf({ temperature_celsius: 54.949999999999996, time_minutes: 600, food_type: 'pork' });
    expect(error.code).toBe('FOOD_SAFETY_TIME_UNSAFE');
    expect(error.publicMessage).toContain('54.9 °C');
  });

  test('39.95 rounds to 40.0 and passes; 39.94 rounds to 39.9 and is too low', () => {
    expect(parseStartCookBody(body({ temperature_celsius: 39.95 }), true).temperatureC).toBe(40);
    expect(parseStartCookBody(body({ temperature_celsius: '39.95' }), true).temperatureC).toBe(40);
    const error = errorOf(body({ temperature_celsius: 39.94 }));
    expect(error.code).toBe('TEMPERATURE_TOO_LOW');
    expect(error.publicMessage).toContain('39.9 °C');
  });

  test('95.04 rounds to 95.0 and passes; 95.05 rounds to 95.1 and is too high', () => {
    expect(parseStartCookBody(body({ temperature_celsius: 95.04 }), true).temperatureC).toBe(95);
    const error = errorOf(body({ temperature_celsius: 95.05 }));
    expect(error.code).toBe('TEMPERATURE_TOO_HIGH');
    expect(error.publicMessage).toContain('95.1 °C');
  });

  test('the exact boundaries pass', () => {
    expect(parseStartCookBody(body({ temperature_celsius: 40 }), true).temperatureC).toBe(40);
    expect(parseStartCookBody(body({ temperature_celsius: 95 }), true).temperatureC).toBe(95);
  });
});

describe('time: truncated to whole minutes, then 1–5999', () => {
  test.each([
    [90.7, 90],
    ['90.7', 90],
    ['90', 90],
    [1, 1],
    [1.99, 1],
    [5999, 5999],
    [5999.9, 5999],
  ])('%j → %d minutes', (value, minutes) => {
    expect(parseStartCookBody(body({ time_minutes: value }), true).timeMinutes).toBe(minutes);
  });

  test.each([
    [0.9, 'TIME_TOO_SHORT'],
    [0, 'TIME_TOO_SHORT'],
    [-5, 'TIME_TOO_SHORT'],
    [6000, 'TIME_TOO_LONG'],
    ['6000.1', 'TIME_TOO_LONG'],
  ])('%j → %s', (value, code) => {
    expect(codeOf(body({ time_minutes: value }))).toBe(code);
  });

  test('range messages give the limits', () => {
    expect(errorOf(body({ time_minutes: 6000 })).publicMessage).toBe(
      '6000 minutes is longer than the maximum of 5999 minutes (about 100 hours) (rule FS-2). Choose a time from 1 to 5999 minutes.',
    );
  });
});

describe('food_type', () => {
  const foodOf = (value: unknown) => parseStartCookBody(body({ food_type: value }), true).foodType;

  test('is trimmed', () => {
    expect(foodOf('  chicken breast \n')).toBe('chicken breast');
  });

  test.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['only spaces', '   \t '],
  ])('%s is treated as not given', (_label, value) => {
    expect(foodOf(value)).toBeNull();
    // ...so the food is unknown and the general rules apply
    expect(parseStartCookBody(body({ food_type: value }), true).categories).toEqual(['unknown']);
  });

  test('100 characters pass, 101 fail', () => {
    expect(foodOf('a'.repeat(100))).toHaveLength(100);
    const error = errorOf(body({ food_type: 'a'.repeat(101) }));
    expect(error.code).toBe('INVALID_FOOD_TYPE');
    expect(error.publicMessage).toContain('100 characters');
  });

  test('length is measured after trimming', () => {
    expect(foodOf(`   ${'a'.repeat(100)}   `)).toHaveLength(100);
  });

  test('length counts characters (code points), not UTF-16 units', () => {
    expect(foodOf('🍗'.repeat(100))).toBe('🍗'.repeat(100));
    expect(codeOf(body({ food_type: '🍗'.repeat(101) }))).toBe('INVALID_FOOD_TYPE');
  });

  test('Unicode text is kept as written', () => {
    expect(foodOf('Crème brûlée')).toBe('Crème brûlée');
    expect(foodOf('鶏むね肉')).toBe('鶏むね肉');
  });

  test.each([
    ['NUL', 'chicken\u0000breast'],
    ['a trailing NUL', 'chicken\u0000'],
    ['BEL', 'chic\u0007ken'],
    ['a line break inside', 'chicken\nbreast'],
    ['ESC', '\u001b[31mchicken'],
    ['DEL', 'chicken\u007f'],
    ['C1 NEL', 'chicken\u0085'],
    ['C1 CSI', '\u009bchicken'],
  ])('%s is a control character → INVALID_FOOD_TYPE', (_label, value) => {
    expect(codeOf(body({ food_type: value }))).toBe('INVALID_FOOD_TYPE');
  });
});

describe('thickness_mm', () => {
  const thicknessOf = (value: unknown) => parseStartCookBody(body({ thickness_mm: value }), true).thicknessMm;

  test('5 and 100 pass, as do values between', () => {
    expect(thicknessOf(5)).toBe(5);
    expect(thicknessOf(100)).toBe(100);
    expect(thicknessOf(22.5)).toBe(22.5);
  });

  test('null is treated as not given', () => {
    expect(thicknessOf(null)).toBeNull();
  });

  test.each([4.9, 0, -10, 100.1, '101'])('%j → INVALID_THICKNESS', (value) => {
    const error = errorOf(body({ thickness_mm: value }));
    expect(error.code).toBe('INVALID_THICKNESS');
    expect(error.publicMessage).toContain('from 5 to 100');
  });
});

describe('order of checks: the first failure wins', () => {
  test.each<[string, unknown, CookErrorCode]>([
    ['body before fields', [], 'MISSING_BODY'],
    ['presence before types', { temperature_celsius: 'hot' }, 'MISSING_TIME'],
    ['temperature type before time type', { temperature_celsius: 'hot', time_minutes: 'long' }, 'INVALID_TEMPERATURE'],
    ['types before ranges (time)', { temperature_celsius: 10, time_minutes: 'long' }, 'INVALID_TIME'],
    [
      'types before ranges (food_type)',
      { temperature_celsius: 10, time_minutes: 0, food_type: 7 },
      'INVALID_FOOD_TYPE',
    ],
    [
      'types before ranges (thickness)',
      { temperature_celsius: 10, time_minutes: 0, thickness_mm: 'x' },
      'INVALID_THICKNESS',
    ],
    [
      'temperature range before time range',
      { temperature_celsius: 10, time_minutes: 0, thickness_mm: 1 },
      'TEMPERATURE_TOO_LOW',
    ],
    [
      'time range before thickness range',
      { temperature_celsius: 65, time_minutes: 0, thickness_mm: 1 },
      'TIME_TOO_SHORT',
    ],
    [
      'ranges before food safety',
      { temperature_celsius: 50, time_minutes: 600, food_type: 'chicken', thickness_mm: 1 },
      'INVALID_THICKNESS',
    ],
    [
      'FS-3 before FS-4 (ground turkey)',
      { temperature_celsius: 56, time_minutes: 600, food_type: 'ground turkey' },
      'POULTRY_TEMP_UNSAFE',
    ],
    [
      'FS-4 before FS-7',
      { temperature_celsius: 50, time_minutes: 600, food_type: 'ground beef' },
      'GROUND_MEAT_TEMP_UNSAFE',
    ],
  ])('%s', (_label, value, code) => {
    expect(codeOf(value)).toBe(code);
  });
});

describe('prototype pollution', () => {
  test('"__proto__" and "constructor" keys are inert: nothing inherited is read, nothing is merged', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"temperature_celsius": 65, "time_minutes": 90, "polluted": true},' +
        ' "constructor": {"prototype": {"polluted": true}}}',
    );
    expect(codeOf(hostile)).toBe('MISSING_TEMPERATURE');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a hostile body with real fields still parses, and pollutes nothing', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}},' +
        ' "hasOwnProperty": 1, "temperature_celsius": 85, "time_minutes": 45, "food_type": "carrots"}',
    );
    expect(parseStartCookBody(hostile, true)).toMatchObject({ temperatureC: 85, timeMinutes: 45, foodType: 'carrots' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('inherited properties and getters are not read', () => {
    expect(codeOf(Object.create({ temperature_celsius: 65, time_minutes: 90 }))).toBe('MISSING_TEMPERATURE');
    const withGetter = Object.defineProperty({ time_minutes: 90 }, 'temperature_celsius', {
      get: () => 65,
      enumerable: true,
    });
    expect(codeOf(withGetter)).toBe('MISSING_TEMPERATURE');
  });

  test('a body without a prototype works', () => {
    const bare = Object.assign(Object.create(null) as object, body());
    expect(parseStartCookBody(bare, true).temperatureC).toBe(85);
  });
});

describe('error values', () => {
  test('are CookErrors with a code and a person-facing message', () => {
    const error = errorOf({ temperature_celsius: 65 });
    expect(error).toBeInstanceOf(CookError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CookError');
    expect(error.message).toBe(error.publicMessage);
    expect(error.publicMessage).toMatch(/time_minutes/);
  });

  test('isCookError tells them apart from other errors', () => {
    expect(isCookError(new CookError('DEVICE_BUSY'))).toBe(true);
    expect(isCookError(new Error('x'))).toBe(false);
    expect(isCookError({ code: 'DEVICE_BUSY' })).toBe(false);
  });

  test('the service codes have default messages that say what to do', () => {
    expect(new CookError('DEVICE_BUSY').publicMessage).toMatch(/already running.*Stop it first/);
    expect(new CookError('NO_ACTIVE_COOK').publicMessage).toMatch(/Nothing is cooking/);
    expect(new CookError('NO_ACTIVE_COOK', 'custom', { a: 1 })).toMatchObject({
      publicMessage: 'custom',
      details: { a: 1 },
    });
  });
});
