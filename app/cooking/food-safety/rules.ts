/**
 * Food-safety rules of docs/food-safety.md §2–§3 as data, plus the small evaluator that applies them.
 * Blocking rules run in the spec's order and the first failure is thrown as a CookError; warning
 * rules add advice to a cook that may start. Messages teach: the rule, why, and a safe
 * alternative with numbers.
 */
import { CookError, type CookErrorCode } from '../errors';
import { START_COOK_FIELDS, type WarningCode } from '../schema';
import { classifyFood, type FoodCategory } from './classify';
import { DEFAULT_THICKNESS_MM, POULTRY_TABLE, RED_MEAT_TABLE, type PasteurisationTable } from './tables';

/** Below this bath temperature nothing is pasteurised (FS-7, FW-1, FW-2). */
export const PASTEURISATION_FLOOR_C = 55.0;

export type RuleId = 'FS-1' | 'FS-2' | 'FS-3' | 'FS-4' | 'FS-5' | 'FS-6' | 'FS-7';

type Applicability = 'all' | readonly FoodCategory[];

type BlockingRule =
  /** FS-1, FS-2: the absolute limits of a request field, read from the request schema. */
  | { id: RuleId; kind: 'field-range'; appliesTo: Applicability; field: 'temperature_celsius' | 'time_minutes' }
  /** FS-3, FS-4: a minimum bath temperature. */
  | { id: RuleId; kind: 'min-temperature'; appliesTo: Applicability; minC: number; code: CookErrorCode; why: string }
  /** FS-7: a cap on the time spent below a temperature. */
  | { id: RuleId; kind: 'max-time-below'; appliesTo: Applicability; belowC: number; maxMinutes: number }
  /** FS-5, FS-6: the pasteurisation time from a table at (temperature, thickness). */
  | { id: RuleId; kind: 'pasteurisation-time'; appliesTo: Applicability; table: PasteurisationTable };

/** In evaluation order (docs/food-safety.md §2: FS-1, FS-2, FS-3, FS-4, FS-7, FS-5, FS-6). */
export const BLOCKING_RULES: readonly BlockingRule[] = [
  { id: 'FS-1', kind: 'field-range', appliesTo: 'all', field: 'temperature_celsius' },
  { id: 'FS-2', kind: 'field-range', appliesTo: 'all', field: 'time_minutes' },
  {
    id: 'FS-3',
    kind: 'min-temperature',
    appliesTo: ['poultry'],
    minC: 57.0,
    code: 'POULTRY_TEMP_UNSAFE',
    why: 'cooler water cannot pasteurise poultry (Salmonella)',
  },
  {
    id: 'FS-4',
    kind: 'min-temperature',
    appliesTo: ['ground'],
    minC: 60.0,
    code: 'GROUND_MEAT_TEMP_UNSAFE',
    why: 'grinding spreads surface bacteria all through the meat',
  },
  {
    id: 'FS-7',
    kind: 'max-time-below',
    appliesTo: ['poultry', 'ground', 'red_meat', 'fish', 'egg', 'unknown'],
    belowC: PASTEURISATION_FLOOR_C,
    maxMinutes: 240,
  },
  { id: 'FS-5', kind: 'pasteurisation-time', appliesTo: ['poultry'], table: POULTRY_TABLE },
  { id: 'FS-6', kind: 'pasteurisation-time', appliesTo: ['ground'], table: RED_MEAT_TABLE },
];

type WarningRule = {
  id: 'FW-1' | 'FW-2' | 'FW-3' | 'FW-4';
  code: WarningCode;
  appliesTo: Applicability;
  when: 'below-pasteurisation' | 'always' | 'thickness-assumed';
};

/** Categories for which a table rule (FS-5, FS-6) reads the thickness: FW-4 applies exactly there. */
const THICKNESS_CATEGORIES: readonly FoodCategory[] = BLOCKING_RULES.flatMap((rule) =>
  rule.kind === 'pasteurisation-time' && rule.appliesTo !== 'all' ? rule.appliesTo : [],
);

/** In the order warnings are listed in a response. */
export const WARNING_RULES: readonly WarningRule[] = [
  { id: 'FW-1', code: 'FISH_NOT_PASTEURISED', appliesTo: ['fish'], when: 'below-pasteurisation' },
  { id: 'FW-2', code: 'NOT_PASTEURISED', appliesTo: ['red_meat', 'egg'], when: 'below-pasteurisation' },
  { id: 'FW-3', code: 'FOOD_NOT_RECOGNISED', appliesTo: ['unknown'], when: 'always' },
  { id: 'FW-4', code: 'THICKNESS_ASSUMED', appliesTo: THICKNESS_CATEGORIES, when: 'thickness-assumed' },
];

// ---------------------------------------------------------------------------------------------
// Reading the tables
// ---------------------------------------------------------------------------------------------

/** Linear interpolation of y at x between (x0, y0) and (x1, y1). */
function lerp(x0: number, y0: number, x1: number, y1: number, x: number): number {
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** y at x on a piecewise-linear curve through ascending xs; x must lie within [xs[0], xs[last]]. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  for (let i = 0; i + 1 < xs.length; i++) {
    if (x <= xs[i + 1]) return lerp(xs[i], ys[i], xs[i + 1], ys[i + 1], x);
  }
  return ys[ys.length - 1];
}

/**
 * Whole minutes, rounded up, ignoring binary noise from interpolation below a microminute
 * (90.0000001 is 90, not 91; 157.5 is 158).
 */
function ceilMinutes(minutes: number): number {
  return Math.ceil(Math.round(minutes * 1e6) / 1e6);
}

/**
 * Minutes in the bath needed to pasteurise food `thicknessMm` thick at `temperatureC`, rounded up
 * to a whole minute. Interpolates linearly between columns and rows; outside the table it only
 * errs toward longer times: hotter than the hottest column reads the hottest column, thinner than
 * the thinnest row reads the thinnest row, thicker than the thickest row scales that row by
 * (thickness / row thickness)² (conduction time grows with the square of thickness).
 * @throws RangeError below the coolest column (no safe time exists there) or for a thickness ≤ 0.
 */
export function requiredMinutes(table: PasteurisationTable, temperatureC: number, thicknessMm: number): number {
  const columns = table.temperaturesC;
  if (!(temperatureC >= columns[0])) {
    throw new RangeError(`the ${table.name} table starts at ${columns[0]} °C; got ${temperatureC} °C`);
  }
  if (!(thicknessMm > 0)) throw new RangeError(`thickness must be positive; got ${thicknessMm} mm`);

  const hottest = columns[columns.length - 1];
  const atTemperature = (row: PasteurisationTable['rows'][number]) =>
    interpolate(columns, row.minutes, Math.min(temperatureC, hottest));

  const rows = table.rows;
  const thinnest = rows[0];
  const thickest = rows[rows.length - 1];
  if (thicknessMm <= thinnest.thicknessMm) return ceilMinutes(atTemperature(thinnest));
  if (thicknessMm >= thickest.thicknessMm) {
    return ceilMinutes(atTemperature(thickest) * (thicknessMm / thickest.thicknessMm) ** 2);
  }
  const upper = rows.findIndex((row) => row.thicknessMm >= thicknessMm);
  const [a, b] = [rows[upper - 1], rows[upper]];
  return ceilMinutes(lerp(a.thicknessMm, atTemperature(a), b.thicknessMm, atTemperature(b), thicknessMm));
}

// ---------------------------------------------------------------------------------------------
// The evaluator
// ---------------------------------------------------------------------------------------------

export interface FoodSafetyInput {
  /** Already rounded to 0.1 °C. */
  temperatureC: number;
  /** Whole minutes. */
  timeMinutes: number;
  /** Trimmed food name, or null when not given. */
  foodType: string | null;
  /** Given thickness, or null when not given (then DEFAULT_THICKNESS_MM is used). */
  thicknessMm: number | null;
}

export interface FoodSafetyWarning {
  code: WarningCode;
  message: string;
}

export interface FoodSafetyResult {
  categories: FoodCategory[];
  warnings: FoodSafetyWarning[];
  /** Thickness the time rules read: the given one, or DEFAULT_THICKNESS_MM. */
  thicknessUsedMm: number;
  /** True when no thickness was given and a rule that uses it applied (the THICKNESS_ASSUMED warning). */
  thicknessAssumed: boolean;
}

interface RuleContext extends FoodSafetyInput {
  categories: FoodCategory[];
  thicknessUsedMm: number;
}

function applies(appliesTo: Applicability, categories: readonly FoodCategory[]): boolean {
  return appliesTo === 'all' || categories.some((c) => appliesTo.includes(c));
}

type TimeRule = Extract<BlockingRule, { kind: 'pasteurisation-time' }>;
type MinTemperatureRule = Extract<BlockingRule, { kind: 'min-temperature' }>;

function isTimeRule(rule: BlockingRule): rule is TimeRule {
  return rule.kind === 'pasteurisation-time';
}

function applicableRules(ctx: RuleContext): BlockingRule[] {
  return BLOCKING_RULES.filter((rule) => applies(rule.appliesTo, ctx.categories));
}

/*
 * Suggestions must satisfy every rule that applies, not only the one that failed: "ground turkey"
 * is held to both the poultry and the red-meat table, and to both minimum temperatures.
 */

/** Minutes needed at `temperatureC` by all applicable table rules (0 when none applies). */
function combinedMinutes(timeRules: readonly TimeRule[], temperatureC: number, thicknessMm: number): number {
  return Math.max(0, ...timeRules.map((rule) => requiredMinutes(rule.table, temperatureC, thicknessMm)));
}

/**
 * A hotter table temperature to suggest instead: the coolest column hotter than `temperatureC`
 * whose time fits the requested minutes, else the hottest column if it is at least quicker.
 */
function hotterAlternative(
  timeRules: readonly TimeRule[],
  ctx: RuleContext,
  currentRequired: number,
): { temperatureC: number; minutes: number } | null {
  const columns = [...new Set(timeRules.flatMap((rule) => rule.table.temperaturesC))].sort((a, b) => a - b);
  const options = columns
    .filter((c) => c > ctx.temperatureC)
    .map((c) => ({ temperatureC: c, minutes: combinedMinutes(timeRules, c, ctx.thicknessUsedMm) }));
  const fitting = options.find((o) => o.minutes <= ctx.timeMinutes);
  if (fitting) return fitting;
  const hottest = options[options.length - 1];
  return hottest && hottest.minutes < currentRequired ? hottest : null;
}

function ruleList(rules: readonly BlockingRule[]): string {
  return rules.length === 1 ? `rule ${rules[0].id}` : `rules ${rules.map((r) => r.id).join(' and ')}`;
}

const celsius = (t: number): string => `${t.toFixed(1)} °C`;

/** "chicken breast" → "Chicken breast"; the category's name when no food_type was given. */
function foodLabel(ctx: RuleContext, fallback: string): string {
  const name = ctx.foodType ?? fallback;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function thicknessPhrase(ctx: RuleContext): string {
  return ctx.thicknessMm === null
    ? `at an assumed thickness of ${ctx.thicknessUsedMm} mm`
    : `at a thickness of ${ctx.thicknessUsedMm} mm`;
}

function fieldRangeViolation(field: 'temperature_celsius' | 'time_minutes', value: number, ruleId: RuleId): CookError | null {
  const spec = START_COOK_FIELDS[field];
  const tooLow = value < spec.minimum;
  if (!tooLow && value <= spec.maximum) return null;
  const code = tooLow ? spec.codes.tooLow : spec.codes.tooHigh;
  const details = { rule: ruleId, field, minimum: spec.minimum, maximum: spec.maximum };
  if (field === 'temperature_celsius') {
    const limit = tooLow ? `below the lowest allowed temperature, ${celsius(spec.minimum)}` : `above the highest allowed temperature, ${celsius(spec.maximum)}`;
    return new CookError(
      code,
      `${celsius(value)} is ${limit} (rule ${ruleId}). Choose a temperature from ${celsius(spec.minimum)} to ${celsius(spec.maximum)}.`,
      details,
    );
  }
  const problem = tooLow
    ? `A cook must last at least ${spec.minimum} minute; ${value} minutes is too short`
    : `${value} minutes is longer than the maximum of ${spec.maximum} minutes (about 100 hours)`;
  return new CookError(code, `${problem} (rule ${ruleId}). Choose a time from ${spec.minimum} to ${spec.maximum} minutes.`, details);
}

function violation(rule: BlockingRule, ctx: RuleContext): CookError | null {
  switch (rule.kind) {
    case 'field-range':
      return fieldRangeViolation(rule.field, rule.field === 'temperature_celsius' ? ctx.temperatureC : ctx.timeMinutes, rule.id);

    case 'min-temperature': {
      if (ctx.temperatureC >= rule.minC) return null;
      const rules = applicableRules(ctx);
      const safeC = Math.max(...rules.filter((r): r is MinTemperatureRule => r.kind === 'min-temperature').map((r) => r.minC));
      const safeMinutes = combinedMinutes(rules.filter(isTimeRule), safeC, ctx.thicknessUsedMm);
      const example = safeMinutes > 0 ? `: at ${celsius(safeC)} it needs at least ${safeMinutes} minutes ${thicknessPhrase(ctx)}` : '';
      return new CookError(
        rule.code,
        `${foodLabel(ctx, 'this food')} must be cooked at ${celsius(rule.minC)} or hotter because ${rule.why}; ` +
          `${celsius(ctx.temperatureC)} is too cool (rule ${rule.id}). Use ${celsius(safeC)} or hotter${example}.`,
        {
          rule: rule.id,
          minimum_temperature_celsius: safeC,
          ...(safeMinutes > 0 && { alternative: { temperature_celsius: safeC, time_minutes: safeMinutes } }),
        },
      );
    }

    case 'max-time-below': {
      if (ctx.temperatureC >= rule.belowC || ctx.timeMinutes <= rule.maxMinutes) return null;
      return new CookError(
        'FOOD_SAFETY_TIME_UNSAFE',
        `Below ${celsius(rule.belowC)} food is not pasteurised and bacteria such as C. perfringens can still grow, so a cook ` +
          `at ${celsius(ctx.temperatureC)} may last at most ${rule.maxMinutes} minutes; ${ctx.timeMinutes} minutes is too long ` +
          `(rule ${rule.id}). Cook for ${rule.maxMinutes} minutes or less, or use ${celsius(rule.belowC)} or hotter.`,
        { rule: rule.id, maximum_minutes: rule.maxMinutes, below_temperature_celsius: rule.belowC },
      );
    }

    case 'pasteurisation-time': {
      if (ctx.timeMinutes >= requiredMinutes(rule.table, ctx.temperatureC, ctx.thicknessUsedMm)) return null;
      const timeRules = applicableRules(ctx).filter(isTimeRule);
      const needed = combinedMinutes(timeRules, ctx.temperatureC, ctx.thicknessUsedMm);
      const alternative = hotterAlternative(timeRules, ctx, needed);
      const orHotter = alternative
        ? `, or use ${alternative.temperatureC} °C for at least ${alternative.minutes} minutes`
        : '';
      return new CookError(
        'FOOD_SAFETY_TIME_UNSAFE',
        `${foodLabel(ctx, rule.table.name)} at ${celsius(ctx.temperatureC)} needs at least ${needed} minutes ` +
          `${thicknessPhrase(ctx)} to be pasteurised (${ruleList(timeRules)}); ${ctx.timeMinutes} minutes is not enough. ` +
          `Cook it for ${needed} minutes or more${orHotter}.`,
        {
          rule: rule.id,
          required_minutes: needed,
          thickness_mm: ctx.thicknessUsedMm,
          thickness_assumed: ctx.thicknessMm === null,
          ...(alternative && { alternative: { temperature_celsius: alternative.temperatureC, time_minutes: alternative.minutes } }),
        },
      );
    }
  }
}

const AUDIENCE_ADVICE = 'serve it straight away, and not to pregnant, elderly or immunocompromised people';

const WARNING_MESSAGES: Record<WarningCode, (ctx: RuleContext) => string> = {
  FISH_NOT_PASTEURISED: (ctx) =>
    `${foodLabel(ctx, 'fish')} at ${celsius(ctx.temperatureC)} is not pasteurised (that needs ${celsius(PASTEURISATION_FLOOR_C)} ` +
    `or hotter) (rule FW-1): ${AUDIENCE_ADVICE}.`,
  NOT_PASTEURISED: (ctx) =>
    `${foodLabel(ctx, 'this food')} at ${celsius(ctx.temperatureC)} is not pasteurised (that needs ${celsius(PASTEURISATION_FLOOR_C)} ` +
    `or hotter) (rule FW-2): ${AUDIENCE_ADVICE}.`,
  FOOD_NOT_RECOGNISED: (ctx) =>
    `${ctx.foodType === null ? 'No food type was given' : `"${ctx.foodType}" was not recognised`}, so only the general safety ` +
    `rules were checked (rule FW-3). If it is meat, poultry, fish or eggs, name it (for example "chicken breast") so the ` +
    `specific rules can be checked.`,
  THICKNESS_ASSUMED: (ctx) =>
    `No thickness was given, so ${ctx.thicknessUsedMm} mm was assumed for the pasteurisation time (rule FW-4). If the food is ` +
    `thicker than ${ctx.thicknessUsedMm} mm it needs longer: give thickness_mm to check.`,
};

function warns(rule: WarningRule, ctx: RuleContext): boolean {
  if (!applies(rule.appliesTo, ctx.categories)) return false;
  switch (rule.when) {
    case 'always':
      return true;
    case 'below-pasteurisation':
      return ctx.temperatureC < PASTEURISATION_FLOOR_C;
    case 'thickness-assumed':
      return ctx.thicknessMm === null;
  }
}

/**
 * Applies every food-safety rule to a request whose fields are already type-checked.
 * @throws CookError for the first blocking rule that fails (codes of docs/food-safety.md §2).
 */
export function evaluateFoodSafety(input: FoodSafetyInput): FoodSafetyResult {
  const ctx: RuleContext = {
    ...input,
    categories: classifyFood(input.foodType),
    thicknessUsedMm: input.thicknessMm ?? DEFAULT_THICKNESS_MM,
  };
  for (const rule of BLOCKING_RULES) {
    if (!applies(rule.appliesTo, ctx.categories)) continue;
    const failure = violation(rule, ctx);
    if (failure) throw failure;
  }
  const firing = WARNING_RULES.filter((rule) => warns(rule, ctx));
  return {
    categories: ctx.categories,
    warnings: firing.map((rule) => ({ code: rule.code, message: WARNING_MESSAGES[rule.code](ctx) })),
    thicknessUsedMm: ctx.thicknessUsedMm,
    thicknessAssumed: firing.some((rule) => rule.code === 'THICKNESS_ASSUMED'),
  };
}

/**
 * FS-1 and FS-2 alone: the absolute limits, for the validator's "absolute ranges" step (which
 * runs before the food-specific rules). evaluateFoodSafety checks them again, harmlessly.
 * @throws CookError TEMPERATURE_TOO_LOW/HIGH or TIME_TOO_SHORT/LONG.
 */
export function checkAbsoluteLimits(input: Pick<FoodSafetyInput, 'temperatureC' | 'timeMinutes'>): void {
  const ctx = { ...input, foodType: null, thicknessMm: null, categories: [], thicknessUsedMm: DEFAULT_THICKNESS_MM };
  for (const rule of BLOCKING_RULES) {
    if (rule.kind !== 'field-range') continue;
    const failure = violation(rule, ctx);
    if (failure) throw failure;
  }
}
