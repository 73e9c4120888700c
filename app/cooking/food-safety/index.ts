/** Food-safety rules of docs/food-safety.md: classification, tables and the evaluator. */
export { classifyFood, foodWords, FOOD_KEYWORDS, type FoodCategory } from './classify';
export {
  DEFAULT_THICKNESS_MM,
  POULTRY_TABLE,
  RED_MEAT_TABLE,
  type PasteurisationTable,
  type PasteurisationRow,
} from './tables';
export {
  BLOCKING_RULES,
  WARNING_RULES,
  PASTEURISATION_FLOOR_C,
  checkAbsoluteLimits,
  evaluateFoodSafety,
  factoredModelMinutes,
  pasteurisationMinutes,
  planFoodSafety,
  requiredMinutes,
  type FoodSafetyInput,
  type FoodSafetyPlan,
  type FoodSafetyResult,
  type FoodSafetyWarning,
  type RuleId,
} from './rules';
export { celsius, clockUtc, duration, minutesWithHours } from './format';
