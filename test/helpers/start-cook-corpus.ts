/**
 * The start-cook fuzz corpus, shared by the HTTP fuzz (test/resilience/start-cook-fuzz.test.ts)
 * and the MCP one (test/mcp/start-cook-fuzz.test.ts), so both draw from one distribution: bodies
 * that are mostly well formed, with every JSON type, huge and tiny numbers, NaN/Infinity
 * spellings, numeric strings, unicode, control characters, nesting, duplicate keys, long strings.
 * Seeded by the caller's random source.
 */

export class Gen {
  constructor(readonly next: () => number) {}
  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.float(lo, hi + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  /** A decimal with 0..maxDecimals digits after the point, as JSON shows it. */
  decimal(lo: number, hi: number, maxDecimals = 2): string {
    return String(Number(this.float(lo, hi).toFixed(this.int(0, maxDecimals))));
  }
}

export const json = (v: unknown) => JSON.stringify(v);

/** Values of the wrong kind (JSON text), for any field. */
const WRONG_TYPES = [
  'null',
  'true',
  'false',
  '[]',
  '[65]',
  '{}',
  '{"value":65}',
  '[[[[[[[[[[[[[[[[65]]]]]]]]]]]]]]]]',
  json('NaN'),
  json('Infinity'),
  json('-Infinity'),
  json('nan'),
  json('inf'),
  json('1e2'),
  json('0x41'),
  json('65,5'),
  json(''),
  json('   '),
  json('hot'),
  json('６５'),
  json('65°C'),
  json('sixty-five'),
  json('1_000'),
  json('0b101'),
  '"\\u0036\\u0035"', // "65" spelled with escapes: a valid numeric string
  json('9'.repeat(400)),
  json('-' + '9'.repeat(400)),
  json('.'),
  json('+'),
  json('-'),
  json('65.5.5'),
  json('--65'),
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '5e-324',
  '-0',
  '0',
  '1.7976931348623157e308',
  '123456789012345678901234567890',
  '9007199254740993',
  '0.1e1',
  '6.5e1',
  '65E0',
  '6500e-2',
];

/** Number spellings that are not JSON at all: the whole body becomes INVALID_JSON. */
export const NOT_JSON = [
  'NaN',
  'Infinity',
  '-Infinity',
  '+65',
  '065',
  '.5',
  '65.',
  '0x41',
  "'65'",
  '65f',
  'undefined',
  '1_000',
];

const TEMPERATURE_EDGES = [
  39.94, 39.95, 40, 40.04, 54.94, 54.949999999999996, 54.95, 55, 56.94, 56.95, 57, 59.94, 59.95, 60, 94.99, 95, 95.04,
  95.05, 95.1,
];
const TIME_EDGES = [0, 0.5, 0.99, 1, 1.9, 2, 59, 60, 240, 241, 5999, 5999.99, 6000, -1, -0.5];
const THICKNESS_EDGES = [0, 4.99, 5, 5.01, 25, 50, 99.99, 100, 100.01, 150, -5];

const FOODS = [
  'chicken breast',
  'Chicken Thighs',
  'turkey',
  'duck breast',
  'ground beef',
  'minced pork',
  'ground turkey',
  'burger patties',
  'pork sausage',
  'beef steak',
  'ribeye',
  'lamb chops',
  'pork belly',
  'salmon',
  'cod fillet',
  'tuna',
  'eggs',
  'duck egg',
  'carrots',
  'potatoes',
  'asparagus',
  'crème brûlée',
  'yogurt',
  'chickpeas',
  'chicken of the woods',
  'steak and eggs',
  'mystery meat',
  'something',
  'Hähnchenbrust',
  '鶏むね肉',
  'دجاج',
  'breast',
  'wings',
  '🍗 chicken',
  'chicken 🐔'.repeat(3),
  '  salmon  ',
  '',
];

function temperatureText(g: Gen): string {
  const r = g.next();
  if (r < 0.55) return g.decimal(54, 92);
  if (r < 0.65) return json(g.pick(TEMPERATURE_EDGES));
  if (r < 0.75) return json(g.pick(['', ' ', '+']) + g.decimal(38, 97) + g.pick(['', ' ', '.0']));
  if (r < 0.82) return g.decimal(-50, 300, 3);
  return g.pick(WRONG_TYPES);
}

function timeText(g: Gen): string {
  const r = g.next();
  if (r < 0.55) return String(g.pick([g.int(30, 240), g.int(60, 600), g.int(1, 5999)]));
  if (r < 0.65) return json(g.pick(TIME_EDGES));
  if (r < 0.72) return g.decimal(0, 700, 2);
  if (r < 0.8) return json(String(g.int(1, 900)) + g.pick(['', '.5', ' ']));
  return g.pick(WRONG_TYPES);
}

function foodText(g: Gen): string {
  const r = g.next();
  if (r < 0.7) return json(g.pick(FOODS));
  if (r < 0.75) return json('x'.repeat(g.pick([99, 100, 101, 5_000])));
  if (r < 0.78) return json('🍗'.repeat(g.pick([100, 101]))); // code points, not UTF-16 units
  if (r < 0.83) return json(`chicken${g.pick(['\u0000', '\n', '\t', '\u007f', '\u0085', '\u009f', '\r\n'])}breast`);
  if (r < 0.86) return json(`${g.pick(FOODS)}${String.fromCharCode(0xd800 + g.int(0, 0x7ff))}`); // lone surrogate
  if (r < 0.9) return json(g.pick(['\u200b', '\u00a0chicken', 'chicken\u2028breast', 'ﬁsh', 'ｃｈｉｃｋｅｎ']));
  return g.pick(WRONG_TYPES);
}

function thicknessText(g: Gen): string {
  const r = g.next();
  if (r < 0.5) return g.decimal(5, 100, 1);
  if (r < 0.7) return json(g.pick(THICKNESS_EDGES));
  if (r < 0.78) return json(g.decimal(5, 100, 1));
  return g.pick(WRONG_TYPES);
}

/** A JSON object text from key/value-text pairs (keys may repeat: the last one wins in JSON.parse). */
export function objectText(pairs: Array<[string, string]>, g: Gen): string {
  const space = () => g.pick(['', '', ' ', '\n  ', '\t']);
  return `{${pairs.map(([k, v]) => `${space()}${json(k)}${space()}:${space()}${v}`).join(',')}${space()}}`;
}

/** A mostly well-formed start-cook body, with each field present, absent or strange. */
export function structuredBody(g: Gen): string {
  const pairs: Array<[string, string]> = [];
  if (g.chance(0.95)) pairs.push(['temperature_celsius', temperatureText(g)]);
  if (g.chance(0.95)) pairs.push(['time_minutes', timeText(g)]);
  if (g.chance(0.6)) pairs.push(['food_type', foodText(g)]);
  if (g.chance(0.35)) pairs.push(['thickness_mm', thicknessText(g)]);
  if (g.chance(0.15)) {
    // Duplicate keys, before or after the first: JSON.parse keeps the last.
    const key = g.pick(['temperature_celsius', 'time_minutes', 'food_type', 'thickness_mm']);
    const value =
      key === 'temperature_celsius'
        ? temperatureText(g)
        : key === 'time_minutes'
          ? timeText(g)
          : key === 'food_type'
            ? foodText(g)
            : thicknessText(g);
    pairs.splice(g.int(0, pairs.length), 0, [key, value]);
  }
  if (g.chance(0.2)) {
    pairs.push(
      g.pick<[string, string]>([
        ['__proto__', '{"temperature_celsius": 40, "time_minutes": 1}'],
        ['constructor', '{"prototype": {"temperature_celsius": 40}}'],
        ['Temperature_Celsius', '30'],
        ['temperature_celsius ', '30'],
        ['temperature_fahrenheit', '150'],
        ['unit', '"F"'],
        ['timer', '1'],
        ['extra', json('z'.repeat(g.int(0, 3_000)))],
        ['nested', '{"a":{"b":{"c":{"d":[1,2,{"e":null}]}}}}'],
      ]),
    );
  }
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  return objectText(pairs, g);
}
