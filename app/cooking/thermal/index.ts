/** The heat-transfer and lethality model (docs/food-safety-model.md). Pure: no I/O, no clock. */
export * from './parameters';
export { POULTRY_PROFILE, MEAT_PROFILE, profileFor, type FoodProfile } from './profiles';
export { CoreSimulation, SlabGrid, gridFor, lethalRate, GRID_INTERVALS, MAX_STEP_SECONDS } from './slab';
export {
  PREDICTION_CAP_MINUTES,
  modelLogReductionsAfter,
  modelMinutesToComeUp,
  modelMinutesToPasteurise,
  runUntilCoreReaches,
  runUntilPasteurised,
} from './predict';
export {
  MAX_LONGER,
  MAX_SHORTER,
  VALIDATED_TABLES,
  smallestSafeFactor,
  validationCells,
  type ValidationCell,
} from './validation';
