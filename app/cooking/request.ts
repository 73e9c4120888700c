/**
 * POST /start-cook body → a typed, checked CookRequest (docs/api.md), or a CookError.
 *
 * Checks run in the contract's order and the first failure wins:
 *   body is a JSON object → required fields present → types → absolute ranges → food safety.
 *
 * Decisions the contract leaves open:
 * - Numbers: JS numbers that are finite, or strings in plain decimal notation ("65", "65.5",
 *   "-3", ".5"), surrounding whitespace ignored (" 65 "). Rejected: "", "hot", exponents ("1e2"),
 *   "NaN", "Infinity", hex ("0x41"), commas, booleans, arrays, objects, null. A JSON number with
 *   an exponent (6.5e1) is fine: JSON.parse already made it a number. 1e400 parses to Infinity
 *   and is rejected as not finite.
 * - Temperature rounding: half away from zero at the first decimal of the number's shortest
 *   decimal form (what JSON shows), so 39.95 → 40.0, 95.05 → 95.1, 54.949999999999996 → 54.9.
 *   Binary shortcuts disagree with the decimal the person sent: `(95.05).toFixed(1)` is "95.0"
 *   (would pass the 95.0 limit), and `Math.round(54.949999999999996 * 10) / 10` is 55 (would
 *   lift the cook over FS-7's 55.0 °C boundary).
 * - time_minutes: truncated toward zero (90.7 → 90, 0.9 → 0 → TIME_TOO_SHORT).
 * - null: for a required field it is a value of the wrong type (INVALID_*), as docs/api.md lists null
 *   among the non-numbers; for an optional field it means "not given", since assistants often
 *   send null for fields they have no value for.
 * - food_type: trimmed first; empty after trimming counts as not given; length is counted in
 *   Unicode code points (as JSON Schema's maxLength counts), after trimming; control characters
 *   are C0 (NUL included), DEL and C1.
 * - thickness_mm: same number rules as the others (numeric strings accepted), no rounding.
 * - Only the body's own data properties are read; nothing is merged or copied, so "__proto__" or
 *   "constructor" keys are inert unknown fields.
 */
import { CookError } from './errors';
import { checkAbsoluteLimits, evaluateFoodSafety, type FoodSafetyWarning, type RuleId } from './food-safety/rules';
import type { FoodCategory } from './food-safety/classify';
import { START_COOK_FIELDS, type NumericFieldSpec } from './schema';

export interface CookRequest {
  /** Rounded to 0.1 °C, within 40.0–95.0. */
  temperatureC: number;
  /** Whole minutes, within 1–5999. */
  timeMinutes: number;
  /** Trimmed, or null when absent/empty. */
  foodType: string | null;
  /** As given, or null when absent (the food-safety rules then assume 25 mm). */
  thicknessMm: number | null;
  /** True when a thickness-based rule applied with the assumed thickness (THICKNESS_ASSUMED warning). */
  thicknessAssumed: boolean;
  /** Food-safety categories of foodType, never empty (['unknown'] when unrecognised). */
  categories: FoodCategory[];
  /** Non-blocking food-safety advice for the 200 response's `warnings`. */
  warnings: FoodSafetyWarning[];
  /** The thickness the rules read: the given one, or the 25 mm default. */
  thicknessUsedMm: number;
  /** The rule that bounds this cook's time (FS-5/FS-6 the minimum, FS-7 the maximum), or null. */
  governingRule: RuleId | null;
  /** Whether this cook, run as asked, ends pasteurised. */
  pasteurises: boolean;
}

const {
  temperature_celsius: TEMPERATURE,
  time_minutes: TIME,
  food_type: FOOD_TYPE,
  thickness_mm: THICKNESS,
} = START_COOK_FIELDS;

/** Plain decimal notation, optional sign; linear-time (no nested quantifiers). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** C0 controls (NUL included), DEL, and C1 controls. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Validates a start-cook body.
 * @param body the parsed JSON body (whatever the body parser produced)
 * @param hasBody whether the request carried a non-empty body at all
 * @throws CookError with the first failing check's code and a message for the person
 */
export function parseStartCookBody(body: unknown, hasBody: boolean): CookRequest {
  // 1. body present and a JSON object
  if (!hasBody || typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CookError('MISSING_BODY');
  }
  const rawTemperature = ownField(body, 'temperature_celsius');
  const rawTime = ownField(body, 'time_minutes');
  const rawFoodType = ownField(body, 'food_type');
  const rawThickness = ownField(body, 'thickness_mm');

  // 2. required fields present
  if (rawTemperature === undefined) throw new CookError(TEMPERATURE.codes.missing);
  if (rawTime === undefined) throw new CookError(TIME.codes.missing);

  // 3. types
  const temperature = parseTemperatureType(rawTemperature);
  const time = toFiniteNumber(rawTime);
  if (time === null) throw new CookError(TIME.codes.invalid, invalidNumberMessage('time_minutes', 'minutes', TIME));
  const foodType = parseFoodType(rawFoodType);
  const thicknessMm = parseThicknessType(rawThickness);

  // 4. absolute ranges (FS-1, FS-2, then thickness)
  const temperatureC = roundToTenth(temperature);
  const timeMinutes = Math.trunc(time);
  checkAbsoluteLimits({ temperatureC, timeMinutes });
  checkThicknessRange(thicknessMm);

  // 5. food safety
  const safety = evaluateFoodSafety({ temperatureC, timeMinutes, foodType, thicknessMm });
  return {
    temperatureC,
    timeMinutes,
    foodType,
    thicknessMm,
    thicknessAssumed: safety.thicknessAssumed,
    categories: safety.categories,
    warnings: safety.warnings,
    thicknessUsedMm: safety.thicknessUsedMm,
    governingRule: safety.governingRule,
    pasteurises: safety.pasteurises,
  };
}

export interface CookPlanRequest {
  /** Rounded to 0.1 °C, within 40.0–95.0. */
  temperatureC: number;
  /** Trimmed, or null when absent/empty. */
  foodType: string | null;
  /** As given, or null when absent. */
  thicknessMm: number | null;
}

/**
 * Validates the query of GET /cook-plan: the start-cook fields without time_minutes, with the
 * same parsing and the same codes in the same order (temperature present → types → ranges). Query
 * values arrive as strings ("60", "turkey breast"); MCP callers pass numbers; both are accepted
 * exactly as in a start-cook body. A repeated parameter (?a=1&a=2 gives an array) is not a number
 * or a text, so it gets the field's INVALID_* code. An empty value (?thickness_mm=) is "" and
 * treated as in a body: "" is not a number, and an empty food_type counts as not given.
 * The food-safety rules are not applied here: the planner (./plan.ts) does that.
 * @throws CookError with the first failing check's code and a message for the person
 */
export function parseCookPlanQuery(query: Record<string, unknown>): CookPlanRequest {
  const rawTemperature = ownField(query, 'temperature_celsius');
  const rawFoodType = ownField(query, 'food_type');
  const rawThickness = ownField(query, 'thickness_mm');

  if (rawTemperature === undefined) throw new CookError(TEMPERATURE.codes.missing);

  const temperature = parseTemperatureType(rawTemperature);
  const foodType = parseFoodType(rawFoodType);
  const thicknessMm = parseThicknessType(rawThickness);

  const temperatureC = roundToTenth(temperature);
  checkAbsoluteLimits({ temperatureC, timeMinutes: null });
  checkThicknessRange(thicknessMm);
  return { temperatureC, foodType, thicknessMm };
}

function parseTemperatureType(raw: unknown): number {
  const temperature = toFiniteNumber(raw);
  if (temperature === null) {
    throw new CookError(
      TEMPERATURE.codes.invalid,
      invalidNumberMessage('temperature_celsius', 'degrees Celsius', TEMPERATURE),
    );
  }
  return temperature;
}

/** null when absent; the number otherwise (range checked later, in the ranges step). */
function parseThicknessType(raw: unknown): number | null {
  if (isAbsent(raw)) return null;
  const thicknessMm = toFiniteNumber(raw);
  if (thicknessMm === null) {
    throw new CookError(THICKNESS.codes.invalid, invalidNumberMessage('thickness_mm', 'millimetres', THICKNESS));
  }
  return thicknessMm;
}

function checkThicknessRange(thicknessMm: number | null): void {
  if (thicknessMm !== null && (thicknessMm < THICKNESS.minimum || thicknessMm > THICKNESS.maximum)) {
    throw new CookError(
      THICKNESS.codes.invalid,
      `thickness_mm must be from ${THICKNESS.minimum} to ${THICKNESS.maximum} millimetres; ${thicknessMm} is outside that. ` +
        `Measure the thickest part of the food, or leave thickness_mm out to assume ${THICKNESS.default} mm.`,
      { field: 'thickness_mm', minimum: THICKNESS.minimum, maximum: THICKNESS.maximum },
    );
  }
}

/** An own data property of `obj`, never an inherited one or a getter's result. */
function ownField(obj: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A finite number from a JS number or a plain decimal string; null for anything else. */
export function toFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DECIMAL.test(text)) return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null; // a 400-digit string is Infinity
}

/**
 * Rounds half away from zero to one decimal, on the shortest decimal form of `x` (see the module
 * comment for why not `toFixed(1)` or `Math.round(x * 10) / 10`).
 */
export function roundToTenth(x: number): number {
  const magnitude = Math.abs(x);
  if (magnitude >= 1e21) return x; // String() switches to exponent form; such numbers have no fraction
  if (magnitude < 0.05) return 0; // also covers the exponent forms of tiny numbers ("1e-7")
  const [whole, fraction = ''] = String(magnitude).split('.');
  const tenths = Number(whole) * 10 + Number(fraction.charAt(0) || '0') + (fraction.charAt(1) >= '5' ? 1 : 0);
  return (Math.sign(x) * tenths) / 10;
}

function invalidNumberMessage(field: string, unit: string, spec: NumericFieldSpec): string {
  return `${field} must be a number of ${unit}, for example ${spec.example}. Send a number from ${spec.minimum} to ${spec.maximum}.`;
}

function parseFoodType(raw: unknown): string | null {
  if (isAbsent(raw)) return null;
  if (typeof raw !== 'string') {
    throw new CookError(
      FOOD_TYPE.codes.invalid,
      'food_type must be text naming the food, for example "chicken breast".',
    );
  }
  const text = raw.trim();
  if (text === '') return null;
  if (CONTROL_CHARACTER.test(text)) {
    throw new CookError(
      FOOD_TYPE.codes.invalid,
      'food_type contains control characters (such as line breaks or NUL). Send the food name as plain text, for example "chicken breast".',
    );
  }
  if (codePointLength(text) > FOOD_TYPE.maxLength) {
    throw new CookError(
      FOOD_TYPE.codes.invalid,
      `food_type is longer than ${FOOD_TYPE.maxLength} characters. Send a short name of the food, for example "chicken breast".`,
    );
  }
  return text;
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
