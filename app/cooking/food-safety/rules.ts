/**
 * Food-safety rules of docs/food-safety.md §2–§3 and §6 as data, plus the small evaluator that
 * applies them. Blocking rules run in the spec's order and the first failure is thrown as a
 * CookError; warning rules add advice to a cook that may start. Messages teach: the rule, why,
 * and a safe alternative with numbers.
 *
 * v1.1: the heat-transfer model (../thermal) extends the tables (FS-5, FS-6) beyond their rows,
 * and FS-8 refuses cooks whose centre would take more than 6 hours to pass 54.4 °C. Inside the
 * tables every answer is exactly v1's.
 */
import { CookError, type CookErrorCode } from '../errors';
import { START_COOK_FIELDS, type WarningCode } from '../schema';
import {
  COME_UP_LIMIT_MINUTES,
  DANGER_ZONE_HIGH_C,
  MEAT_PROFILE,
  POULTRY_PROFILE,
  PREDICTION_CAP_MINUTES,
  SAFETY_FACTOR,
  modelMinutesToComeUp,
  modelMinutesToPasteurise,
  profileFor,
  type FoodProfile,
} from '../thermal';
import { classifyFood, type FoodCategory } from './classify';
import { celsius, duration } from './format';
import { DEFAULT_THICKNESS_MM, POULTRY_TABLE, RED_MEAT_TABLE, type PasteurisationTable } from './tables';

/** Below this bath temperature nothing is pasteurised (FS-7, FW-1, FW-2), and FS-8 does not apply. */
export const PASTEURISATION_FLOOR_C = 55.0;

/**
 * FS-8 judges the come-up in water this much below the requested temperature: a bath held at its
 * set point reads within 0.1 °C of it, and the live monitor (budget b) judges the come-up on the
 * water it reads, so a cook FS-8 accepts must also come up at the low edge of that, or it is
 * flagged though run as planned (a 98 mm chicken breast at 57 °C: 5 h 59 min at 57.0 °C, 6 h 4 min
 * at 56.9 °C). No more than 0.1 °C: 0.2 °C would already refuse a 70 mm cut of beef at 55 °C,
 * a cell of Baldwin's own Table 5.1 (5 h 44 min to come up at 55.0 °C, 5 h 57 min at 54.9 °C,
 * 6 h 13 min at 54.8 °C).
 */
export const COME_UP_TOLERANCE_C = 0.1;

export type RuleId = 'FS-1' | 'FS-2' | 'FS-3' | 'FS-4' | 'FS-5' | 'FS-6' | 'FS-7' | 'FS-8';

type Applicability = 'all' | readonly FoodCategory[];

type BlockingRule =
  /** FS-1, FS-2: the absolute limits of a request field, read from the request schema. */
  | { id: RuleId; kind: 'field-range'; appliesTo: Applicability; field: 'temperature_celsius' | 'time_minutes' }
  /** FS-3, FS-4: a minimum bath temperature. */
  | { id: RuleId; kind: 'min-temperature'; appliesTo: Applicability; minC: number; code: CookErrorCode; why: string }
  /** FS-7: a cap on the time spent below a temperature. */
  | { id: RuleId; kind: 'max-time-below'; appliesTo: Applicability; belowC: number; maxMinutes: number }
  /** FS-8: at or above `fromC`, the centre must pass `coreC` within `maxMinutes` (by the model), in water `toleranceC` below the set temperature. */
  | {
      id: RuleId;
      kind: 'come-up';
      appliesTo: Applicability;
      fromC: number;
      coreC: number;
      maxMinutes: number;
      toleranceC: number;
    }
  /** FS-5, FS-6: the pasteurisation time from a table at (temperature, thickness). */
  | { id: RuleId; kind: 'pasteurisation-time'; appliesTo: Applicability; table: PasteurisationTable };

/** In evaluation order (docs/food-safety.md §2: FS-1, FS-2, FS-3, FS-4, FS-7, FS-8, FS-5, FS-6). */
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
  {
    // Below 55 °C the centre never passes 54.4 °C, and FS-7 keeps such cooks to 4 hours instead.
    id: 'FS-8',
    kind: 'come-up',
    appliesTo: ['poultry', 'ground', 'red_meat', 'unknown'],
    fromC: PASTEURISATION_FLOOR_C,
    coreC: DANGER_ZONE_HIGH_C,
    maxMinutes: COME_UP_LIMIT_MINUTES,
    toleranceC: COME_UP_TOLERANCE_C,
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

/** The model that extends each table beyond its rows (the food and pathogens it was computed for). */
function tableModel(table: PasteurisationTable): FoodProfile {
  if (table === POULTRY_TABLE) return POULTRY_PROFILE;
  if (table === RED_MEAT_TABLE) return MEAT_PROFILE;
  throw new RangeError(`no model for the ${table.name} table`);
}

/** SAFETY_FACTOR × the model's minutes, rounded up (6000 when the model never gets there). */
export function factoredModelMinutes(profile: FoodProfile, temperatureC: number, thicknessMm: number): number {
  const model = modelMinutesToPasteurise(profile, temperatureC, thicknessMm);
  return model === null ? PREDICTION_CAP_MINUTES : ceilMinutes(SAFETY_FACTOR * model);
}

/**
 * Minutes in the bath needed to pasteurise food `thicknessMm` thick at `temperatureC`, rounded up
 * to a whole minute.
 * - Inside the table (v1, unchanged): linear interpolation between columns and rows; thinner than
 *   the thinnest row reads the thinnest row.
 * - Thicker than the thickest row: SAFETY_FACTOR × the heat-transfer model (docs/food-safety.md
 *   §6.1; it replaces v1's (thickness / row)² rule, which refused safe cooks), never less than the
 *   thickest row at that temperature.
 * - Hotter than the hottest column: that column's value at this thickness. It is never less (§6.1),
 *   and never more either: the model says hotter is quicker, so taking factor × model there would
 *   make, say, 65.1 °C need longer than 65.0 °C wherever factor × model sits above the cell.
 * @throws RangeError below the coolest column (no safe time exists there) or for a thickness ≤ 0.
 */
export function requiredMinutes(table: PasteurisationTable, temperatureC: number, thicknessMm: number): number {
  const columns = table.temperaturesC;
  if (!(temperatureC >= columns[0])) {
    throw new RangeError(`the ${table.name} table starts at ${columns[0]} °C; got ${temperatureC} °C`);
  }
  if (!(thicknessMm > 0)) throw new RangeError(`thickness must be positive; got ${thicknessMm} mm`);

  const atTemperature = Math.min(temperatureC, columns[columns.length - 1]);
  const fromRow = (row: PasteurisationTable['rows'][number]) => interpolate(columns, row.minutes, atTemperature);

  const rows = table.rows;
  const thinnest = rows[0];
  const thickest = rows[rows.length - 1];
  if (thicknessMm <= thinnest.thicknessMm) return ceilMinutes(fromRow(thinnest));
  if (thicknessMm > thickest.thicknessMm) {
    const model = factoredModelMinutes(tableModel(table), atTemperature, thicknessMm);
    return Math.max(model, ceilMinutes(fromRow(thickest)));
  }
  const upper = rows.findIndex((row) => row.thicknessMm >= thicknessMm);
  const [a, b] = [rows[upper - 1], rows[upper]];
  return ceilMinutes(lerp(a.thicknessMm, fromRow(a), b.thicknessMm, fromRow(b), thicknessMm));
}

/**
 * Minutes at `temperatureC` after which food of these categories counts as pasteurised, by the
 * same numbers the rules use: the tables (and the model beyond them) for poultry and for beef,
 * pork, lamb and ground meat; SAFETY_FACTOR × the model for fish and eggs; the longest of all for
 * an unknown food. Null when it cannot be: below 55 °C (FW-1, FW-2), poultry below the poultry
 * table (57 °C), or a plant food or dairy (nothing to pasteurise).
 */
export function pasteurisationMinutes(
  categories: readonly FoodCategory[],
  temperatureC: number,
  thicknessMm: number,
): number | null {
  if (temperatureC < PASTEURISATION_FLOOR_C) return null;
  const foods = categories.flatMap((c): FoodCategory[] =>
    c === 'unknown' ? ['poultry', 'red_meat', 'fish', 'egg'] : c === 'plant_dairy' ? [] : [c],
  );
  if (foods.length === 0) return null;
  let longest = 0;
  for (const category of new Set(foods)) {
    let minutes: number | null;
    if (category === 'poultry') {
      minutes =
        temperatureC >= POULTRY_TABLE.temperaturesC[0]
          ? requiredMinutes(POULTRY_TABLE, temperatureC, thicknessMm)
          : null;
    } else if (category === 'ground' || category === 'red_meat') {
      minutes = requiredMinutes(RED_MEAT_TABLE, temperatureC, thicknessMm);
    } else {
      minutes = factoredModelMinutes(profileFor([category]), temperatureC, thicknessMm);
    }
    if (minutes === null) return null;
    longest = Math.max(longest, minutes);
  }
  return longest;
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
  /** The rule that bounds this cook's time (FS-5/FS-6 the minimum, FS-7 the maximum), or null: for the cook journal. */
  governingRule: RuleId | null;
  /** Whether this cook, run as asked, ends pasteurised (see pasteurisationMinutes): for the cook journal and /status. */
  pasteurises: boolean;
}

/** A request's fields for the rules; `timeMinutes` null when planning (GET /cook-plan asks no time). */
interface RuleContext extends Omit<FoodSafetyInput, 'timeMinutes'> {
  timeMinutes: number | null;
  categories: FoodCategory[];
  thicknessUsedMm: number;
}

function applies(appliesTo: Applicability, categories: readonly FoodCategory[]): boolean {
  return appliesTo === 'all' || categories.some((c) => appliesTo.includes(c));
}

type TimeRule = Extract<BlockingRule, { kind: 'pasteurisation-time' }>;
type MinTemperatureRule = Extract<BlockingRule, { kind: 'min-temperature' }>;
type ComeUpRule = Extract<BlockingRule, { kind: 'come-up' }>;

function isTimeRule(rule: BlockingRule): rule is TimeRule {
  return rule.kind === 'pasteurisation-time';
}

function applicableRules(ctx: Pick<RuleContext, 'categories'>): BlockingRule[] {
  return BLOCKING_RULES.filter((rule) => applies(rule.appliesTo, ctx.categories));
}

/*
 * Suggestions must satisfy every rule that applies, not only the one that failed: "ground turkey"
 * is held to both the poultry and the red-meat table, and to both minimum temperatures; and a
 * suggested temperature or thickness must also come up in time (FS-8).
 */

/** Minutes needed at `temperatureC` by all applicable table rules (0 when none applies). */
function combinedMinutes(timeRules: readonly TimeRule[], temperatureC: number, thicknessMm: number): number {
  return Math.max(0, ...timeRules.map((rule) => requiredMinutes(rule.table, temperatureC, thicknessMm)));
}

/** Model minutes for the centre to pass FS-8's core temperature in water the rule's tolerance below `temperatureC`. */
function comeUpMinutes(
  rule: ComeUpRule,
  categories: readonly FoodCategory[],
  temperatureC: number,
  thicknessMm: number,
): number | null {
  return modelMinutesToComeUp(profileFor(categories), round1(temperatureC - rule.toleranceC), thicknessMm);
}

/** FS-8's test: at or above 55 °C, the model's centre passes 54.4 °C within 6 hours, with the water 0.1 °C low. */
function comesUp(
  rule: ComeUpRule,
  categories: readonly FoodCategory[],
  temperatureC: number,
  thicknessMm: number,
): boolean {
  if (temperatureC < rule.fromC) return true;
  const minutes = comeUpMinutes(rule, categories, temperatureC, thicknessMm);
  return minutes !== null && minutes <= rule.maxMinutes;
}

/** To 0.1: 57 − 0.1 is 56.9, not 56.900000000000006 (the model's cache is keyed by the temperature). */
function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Whether FS-8 (when it applies to this food) accepts the temperature and thickness. */
function passesComeUp(ctx: Pick<RuleContext, 'categories'>, temperatureC: number, thicknessMm: number): boolean {
  return applicableRules(ctx)
    .filter((rule): rule is ComeUpRule => rule.kind === 'come-up')
    .every((rule) => comesUp(rule, ctx.categories, temperatureC, thicknessMm));
}

/** The lowest temperature from `fromC` up (then whole degrees) that FS-8 accepts at this thickness. */
function lowestTemperatureComingUp(ctx: RuleContext, fromC: number): number | null {
  const maxC = START_COOK_FIELDS.temperature_celsius.maximum;
  for (let t = fromC; t <= maxC; t = Math.floor(t) + 1) {
    if (passesComeUp(ctx, t, ctx.thicknessUsedMm)) return t;
  }
  return null;
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
    .filter((c) => c > ctx.temperatureC && passesComeUp(ctx, c, ctx.thicknessUsedMm))
    .map((c) => ({ temperatureC: c, minutes: combinedMinutes(timeRules, c, ctx.thicknessUsedMm) }));
  const fitting = options.find((o) => ctx.timeMinutes !== null && o.minutes <= ctx.timeMinutes);
  if (fitting) return fitting;
  const hottest = options[options.length - 1];
  return hottest && hottest.minutes < currentRequired ? hottest : null;
}

function ruleList(rules: readonly BlockingRule[]): string {
  return rules.length === 1 ? `rule ${rules[0].id}` : `rules ${rules.map((r) => r.id).join(' and ')}`;
}

/** "chicken breast" → "Chicken breast"; the category's name when no food_type was given. */
function foodLabel(ctx: Pick<RuleContext, 'foodType'>, fallback: string): string {
  const name = ctx.foodType ?? fallback;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function thicknessPhrase(ctx: RuleContext): string {
  return ctx.thicknessMm === null
    ? `at an assumed thickness of ${ctx.thicknessUsedMm} mm`
    : `at a thickness of ${ctx.thicknessUsedMm} mm`;
}

function fieldRangeViolation(
  field: 'temperature_celsius' | 'time_minutes',
  value: number,
  ruleId: RuleId,
): CookError | null {
  const spec = START_COOK_FIELDS[field];
  const tooLow = value < spec.minimum;
  if (!tooLow && value <= spec.maximum) return null;
  const code = tooLow ? spec.codes.tooLow : spec.codes.tooHigh;
  const details = { rule: ruleId, field, minimum: spec.minimum, maximum: spec.maximum };
  if (field === 'temperature_celsius') {
    const limit = tooLow
      ? `below the lowest allowed temperature, ${celsius(spec.minimum)}`
      : `above the highest allowed temperature, ${celsius(spec.maximum)}`;
    return new CookError(
      code,
      `${celsius(value)} is ${limit} (rule ${ruleId}). Choose a temperature from ${celsius(spec.minimum)} to ${celsius(spec.maximum)}.`,
      details,
    );
  }
  const problem = tooLow
    ? `A cook must last at least ${spec.minimum} minute; ${value} minutes is too short`
    : `${value} minutes is longer than the maximum of ${spec.maximum} minutes (about 100 hours)`;
  return new CookError(
    code,
    `${problem} (rule ${ruleId}). Choose a time from ${spec.minimum} to ${spec.maximum} minutes.`,
    details,
  );
}

/** FS-8's refusal: how long the centre would take, and a hotter temperature or a thinner cut that comes up in time. */
function comeUpViolation(rule: ComeUpRule, ctx: RuleContext): CookError | null {
  if (comesUp(rule, ctx.categories, ctx.temperatureC, ctx.thicknessUsedMm)) return null;
  const minutesToComeUp = comeUpMinutes(rule, ctx.categories, ctx.temperatureC, ctx.thicknessUsedMm);
  const timeRules = applicableRules(ctx).filter(isTimeRule);
  const minutesAt = (t: number, mm: number) => (timeRules.length > 0 ? combinedMinutes(timeRules, t, mm) : null);

  const hotterC = lowestTemperatureComingUp(ctx, Math.floor(ctx.temperatureC) + 1);
  const hotter =
    hotterC === null
      ? null
      : { temperatureC: hotterC, minutes: minutesAt(hotterC, ctx.thicknessUsedMm) ?? ctx.timeMinutes };

  // The thickest whole millimetre (from the schema's minimum) that comes up in time at this temperature.
  let thinnerMm: number | null = null;
  const minMm: number = START_COOK_FIELDS.thickness_mm.minimum;
  if (passesComeUp(ctx, ctx.temperatureC, minMm)) {
    let lo = minMm; // comes up
    let hi = Math.ceil(ctx.thicknessUsedMm); // does not
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (passesComeUp(ctx, ctx.temperatureC, mid)) lo = mid;
      else hi = mid;
    }
    thinnerMm = lo;
  }
  const thinnerMinutes = thinnerMm === null ? null : minutesAt(ctx.temperatureC, thinnerMm);

  const lowWater = `in water at ${celsius(round1(ctx.temperatureC - rule.toleranceC))} (a bath held at ${celsius(ctx.temperatureC)} can read that low)`;
  const took =
    minutesToComeUp === null
      ? `would never pass 54.4 °C ${lowWater}`
      : `would take about ${duration(minutesToComeUp)} to pass 54.4 °C ${lowWater}`;
  const ways = [
    hotter &&
      `cook it at ${celsius(hotter.temperatureC)} or hotter${hotter.minutes !== null && timeRules.length > 0 ? ` for at least ${hotter.minutes} minutes` : ''}`,
    thinnerMm !== null &&
      `cut it to ${thinnerMm} mm or thinner${thinnerMinutes !== null ? ` (then at least ${thinnerMinutes} minutes at ${celsius(ctx.temperatureC)})` : ''}`,
  ].filter((w): w is string => typeof w === 'string');
  const advice = ways.length > 0 ? ` Instead, ${ways.join(', or ')}.` : '';
  return new CookError(
    'FOOD_SAFETY_TIME_UNSAFE',
    `At ${celsius(ctx.temperatureC)} the centre of ${ctx.foodType ?? 'the food'} ${thicknessPhrase(ctx)} ${took}; food may ` +
      `take at most ${duration(rule.maxMinutes)} to get there, because bacteria keep growing until it does (rule ${rule.id}).${advice}`,
    {
      rule: rule.id,
      come_up_minutes: minutesToComeUp === null ? null : Math.ceil(minutesToComeUp),
      maximum_come_up_minutes: rule.maxMinutes,
      thickness_mm: ctx.thicknessUsedMm,
      thickness_assumed: ctx.thicknessMm === null,
      ...(hotter &&
        hotter.minutes !== null && {
          alternative: { temperature_celsius: hotter.temperatureC, time_minutes: hotter.minutes },
        }),
      ...(thinnerMm !== null && {
        thinner_alternative: {
          thickness_mm: thinnerMm,
          ...(thinnerMinutes !== null && { time_minutes: thinnerMinutes }),
        },
      }),
    },
  );
}

/** The first failure of `rule`, or null. Time rules are skipped while planning (no time asked). */
function violation(rule: BlockingRule, ctx: RuleContext): CookError | null {
  switch (rule.kind) {
    case 'field-range':
      if (rule.field === 'temperature_celsius') return fieldRangeViolation(rule.field, ctx.temperatureC, rule.id);
      return ctx.timeMinutes === null ? null : fieldRangeViolation(rule.field, ctx.timeMinutes, rule.id);

    case 'min-temperature': {
      if (ctx.temperatureC >= rule.minC) return null;
      const rules = applicableRules(ctx);
      const minC = Math.max(
        ...rules.filter((r): r is MinTemperatureRule => r.kind === 'min-temperature').map((r) => r.minC),
      );
      const safeC = lowestTemperatureComingUp(ctx, minC) ?? minC;
      const safeMinutes = combinedMinutes(rules.filter(isTimeRule), safeC, ctx.thicknessUsedMm);
      const example =
        safeMinutes > 0
          ? `: at ${celsius(safeC)} it needs at least ${safeMinutes} minutes ${thicknessPhrase(ctx)}`
          : '';
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
      if (ctx.timeMinutes === null || ctx.temperatureC >= rule.belowC || ctx.timeMinutes <= rule.maxMinutes)
        return null;
      return new CookError(
        'FOOD_SAFETY_TIME_UNSAFE',
        `Below ${celsius(rule.belowC)} food is not pasteurised and bacteria such as C. perfringens can still grow, so a cook ` +
          `at ${celsius(ctx.temperatureC)} may last at most ${rule.maxMinutes} minutes; ${ctx.timeMinutes} minutes is too long ` +
          `(rule ${rule.id}). Cook for ${rule.maxMinutes} minutes or less, or use ${celsius(rule.belowC)} or hotter.`,
        { rule: rule.id, maximum_minutes: rule.maxMinutes, below_temperature_celsius: rule.belowC },
      );
    }

    case 'come-up':
      return comeUpViolation(rule, ctx);

    case 'pasteurisation-time': {
      if (
        ctx.timeMinutes === null ||
        ctx.timeMinutes >= requiredMinutes(rule.table, ctx.temperatureC, ctx.thicknessUsedMm)
      )
        return null;
      const timeRules = applicableRules(ctx).filter(isTimeRule);
      const needed = combinedMinutes(timeRules, ctx.temperatureC, ctx.thicknessUsedMm);
      const alternative = hotterAlternative(timeRules, ctx, needed);
      const orHotter = alternative
        ? `, or use ${celsius(alternative.temperatureC)} for at least ${alternative.minutes} minutes`
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
          ...(alternative && {
            alternative: { temperature_celsius: alternative.temperatureC, time_minutes: alternative.minutes },
          }),
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

function contextOf(input: Omit<FoodSafetyInput, 'timeMinutes'> & { timeMinutes: number | null }): RuleContext {
  return {
    ...input,
    categories: classifyFood(input.foodType),
    thicknessUsedMm: input.thicknessMm ?? DEFAULT_THICKNESS_MM,
  };
}

/** The shortest and longest times the rules allow at this temperature and thickness, and the rule that sets each. */
function timeBounds(ctx: RuleContext): {
  minMinutes: number | null;
  minRule: RuleId | null;
  maxMinutes: number | null;
  maxRule: RuleId | null;
} {
  const rules = applicableRules(ctx);
  let minMinutes: number | null = null;
  let minRule: RuleId | null = null;
  for (const rule of rules.filter(isTimeRule)) {
    const minutes = requiredMinutes(rule.table, ctx.temperatureC, ctx.thicknessUsedMm);
    if (minMinutes === null || minutes > minMinutes) [minMinutes, minRule] = [minutes, rule.id];
  }
  const cap = rules.find(
    (rule): rule is Extract<BlockingRule, { kind: 'max-time-below' }> => rule.kind === 'max-time-below',
  );
  const capped = cap !== undefined && ctx.temperatureC < cap.belowC;
  return { minMinutes, minRule, maxMinutes: capped ? cap.maxMinutes : null, maxRule: capped ? cap.id : null };
}

/**
 * Applies every food-safety rule to a request whose fields are already type-checked.
 * @throws CookError for the first blocking rule that fails (codes of docs/food-safety.md §2).
 */
export function evaluateFoodSafety(input: FoodSafetyInput): FoodSafetyResult {
  const ctx = contextOf(input);
  for (const rule of BLOCKING_RULES) {
    if (!applies(rule.appliesTo, ctx.categories)) continue;
    const failure = violation(rule, ctx);
    if (failure) throw failure;
  }
  const firing = WARNING_RULES.filter((rule) => warns(rule, ctx));
  const bounds = timeBounds(ctx);
  const pasteurising = pasteurisationMinutes(ctx.categories, ctx.temperatureC, ctx.thicknessUsedMm);
  return {
    categories: ctx.categories,
    warnings: firing.map((rule) => ({ code: rule.code, message: WARNING_MESSAGES[rule.code](ctx) })),
    thicknessUsedMm: ctx.thicknessUsedMm,
    thicknessAssumed: firing.some((rule) => rule.code === 'THICKNESS_ASSUMED'),
    governingRule: bounds.maxRule ?? bounds.minRule,
    pasteurises: pasteurising !== null && input.timeMinutes >= pasteurising,
  };
}

export interface FoodSafetyPlan {
  categories: FoodCategory[];
  thicknessUsedMm: number;
  thicknessAssumed: boolean;
  /** Shortest time start-cook accepts (FS-5/FS-6), or null when no rule asks for one. */
  minMinutes: number | null;
  /** Longest time start-cook accepts below FS-2's 5999 (FS-7), or null. */
  maxMinutes: number | null;
  governingRule: RuleId | null;
  /** Minutes after which the food counts as pasteurised, or null when it cannot be at this temperature. */
  pasteurisationMinutes: number | null;
  /** Warnings a start-cook of `minMinutes` (or 1 minute) would carry. */
  warnings: FoodSafetyWarning[];
}

/**
 * The same rules without a time (GET /cook-plan): the rules that do not read the time run as in
 * start-cook (FS-1, FS-3, FS-4, FS-8), the time rules become bounds. The bounds are then checked
 * by evaluating a start-cook of the shortest allowed time, so the two cannot disagree.
 * @throws CookError exactly as start-cook would for any time at this temperature and thickness.
 */
export function planFoodSafety(input: Omit<FoodSafetyInput, 'timeMinutes'>): FoodSafetyPlan {
  const ctx = contextOf({ ...input, timeMinutes: null });
  for (const rule of BLOCKING_RULES) {
    if (!applies(rule.appliesTo, ctx.categories)) continue;
    const failure = violation(rule, ctx);
    if (failure) throw failure;
  }
  const bounds = timeBounds(ctx);
  const shortest = Math.max(
    bounds.minMinutes ?? START_COOK_FIELDS.time_minutes.minimum,
    START_COOK_FIELDS.time_minutes.minimum,
  );
  const asStarted = evaluateFoodSafety({ ...input, timeMinutes: shortest });
  return {
    categories: asStarted.categories,
    thicknessUsedMm: asStarted.thicknessUsedMm,
    thicknessAssumed: asStarted.thicknessAssumed,
    minMinutes: bounds.minMinutes,
    maxMinutes: bounds.maxMinutes,
    governingRule: asStarted.governingRule,
    pasteurisationMinutes: pasteurisationMinutes(ctx.categories, ctx.temperatureC, ctx.thicknessUsedMm),
    warnings: asStarted.warnings,
  };
}

/**
 * FS-1 and FS-2 alone: the absolute limits, for the validator's "absolute ranges" step (which
 * runs before the food-specific rules). evaluateFoodSafety checks them again, harmlessly.
 * A null time (GET /cook-plan asks none) checks the temperature only.
 * @throws CookError TEMPERATURE_TOO_LOW/HIGH or TIME_TOO_SHORT/LONG.
 */
export function checkAbsoluteLimits(
  input: Pick<FoodSafetyInput, 'temperatureC'> & { timeMinutes: number | null },
): void {
  const ctx: RuleContext = {
    ...input,
    foodType: null,
    thicknessMm: null,
    categories: [],
    thicknessUsedMm: DEFAULT_THICKNESS_MM,
  };
  for (const rule of BLOCKING_RULES) {
    if (rule.kind !== 'field-range') continue;
    const failure = violation(rule, ctx);
    if (failure) throw failure;
  }
}
