/**
 * GET /cook-plan: "how long must this food cook at this temperature?" (docs/api.md, v1.1).
 *
 * The answer comes from the same evaluator as start-cook (planFoodSafety in
 * ./food-safety/rules), which refuses exactly what start-cook would refuse at any time, and checks
 * its own bounds by evaluating a start-cook of the shortest time. So a start-cook with
 * time_minutes = min_time_minutes is accepted and one minute less is refused.
 */
import {
  celsius,
  minutesWithHours,
  planFoodSafety,
  PASTEURISATION_FLOOR_C,
  type FoodCategory,
  type FoodSafetyPlan,
  type FoodSafetyWarning,
} from './food-safety';
import type { CookPlanRequest } from './request';

/** The 200 body of GET /cook-plan, exactly the keys of docs/api.md. */
export interface CookPlan {
  temperature_celsius: number;
  food_type: string | null;
  categories: FoodCategory[];
  thickness_mm: number;
  /** True when thickness_mm was absent and a rule used the 25 mm default. */
  thickness_assumed: boolean;
  /** Shortest time start-cook accepts; null when no rule asks for one. */
  min_time_minutes: number | null;
  /** 240 when the 4-hour rule (FS-7) caps the cook, else null. */
  max_time_minutes: number | null;
  /** True when the food is pasteurised at this temperature given enough time (see the message). */
  pasteurises: boolean;
  warnings: FoodSafetyWarning[];
  message: string;
}

/**
 * @throws CookError POULTRY_TEMP_UNSAFE, GROUND_MEAT_TEMP_UNSAFE (no time at this temperature is
 * safe; the message names the lowest safe temperature and its time), FOOD_SAFETY_TIME_UNSAFE
 * (FS-8: at this temperature and thickness the centre comes up too slowly).
 */
export function planCook(request: CookPlanRequest): CookPlan {
  const plan = planFoodSafety(request);
  const pasteurises = plan.pasteurisationMinutes !== null;
  return {
    temperature_celsius: request.temperatureC,
    food_type: request.foodType,
    categories: plan.categories,
    thickness_mm: plan.thicknessUsedMm,
    thickness_assumed: plan.thicknessAssumed,
    min_time_minutes: plan.minMinutes,
    max_time_minutes: plan.maxMinutes,
    pasteurises,
    warnings: plan.warnings,
    message: planMessage(request, plan.categories, plan),
  };
}

function planMessage(request: CookPlanRequest, categories: readonly FoodCategory[], plan: FoodSafetyPlan): string {
  const at = celsius(request.temperatureC);
  const mm = plan.thicknessUsedMm;
  const name = request.foodType ?? 'the food';
  // "a 50 mm turkey breast" as in docs/api.md; say so when the thickness is only assumed.
  const piece =
    request.thicknessMm === null
      ? `${name} (${mm} mm thick assumed; give thickness_mm if it is thicker)`
      : request.foodType === null
        ? `the food (${mm} mm thick)`
        : `a ${mm} mm ${name}`;

  if (plan.minMinutes !== null) {
    return `Cook at ${at} for at least ${minutesWithHours(plan.minMinutes)} for ${piece} to be pasteurised.`;
  }
  if (plan.maxMinutes !== null) {
    return (
      `Cook ${name} at ${at} for at most ${minutesWithHours(plan.maxMinutes)}: below ${celsius(PASTEURISATION_FLOOR_C)} it is ` +
      `not pasteurised, so serve it straight away (see the warnings).`
    );
  }
  if (plan.pasteurisationMinutes === null) {
    return `No minimum time is needed for food safety when cooking ${name} at ${at}; cook as long as the recipe says.`;
  }
  const why = categories.includes('red_meat')
    ? ' (in a whole cut of meat bacteria live on the surface, which the water heats at once)'
    : '';
  return (
    `No minimum time is required for ${name} at ${at}${why}. To have it pasteurised (for pregnant, elderly or ` +
    `immunocompromised people), cook ${piece} for at least ${minutesWithHours(plan.pasteurisationMinutes)}.`
  );
}
