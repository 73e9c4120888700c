/**
 * Predictions at a constant bath temperature from a cold start (food at 5 °C), and forward
 * projections from any state. The rules (FS-5, FS-6, FS-8) and the planner ask these; results of
 * the constant-bath questions are cached because the model is deterministic and the same
 * (food, temperature, thickness) comes back on every request.
 */
import { DANGER_ZONE_HIGH_C } from './parameters';
import type { FoodProfile } from './profiles';
import { CoreSimulation, gridFor } from './slab';

/** Longest cook the API allows (FS-2): no prediction runs past it. */
export const PREDICTION_CAP_MINUTES = 6000;

/**
 * Runs `sim` forward at `waterC` until every target is reached or `capSeconds` pass.
 * @returns simulated seconds from the call until the targets were reached, or null (not within the cap).
 */
export function runUntilPasteurised(sim: CoreSimulation, waterC: number, capSeconds: number): number | null {
  if (sim.targets.length === 0) return null;
  const start = sim.elapsedSeconds;
  while (!sim.reachedTargets()) {
    if (sim.elapsedSeconds - start >= capSeconds) return null;
    sim.step(waterC);
  }
  return sim.elapsedSeconds - start;
}

/**
 * Runs `sim` forward at `waterC` until the centre reaches `coreC` or `capSeconds` pass.
 * @returns simulated seconds from the call until the centre reached `coreC`, or null.
 */
export function runUntilCoreReaches(
  sim: CoreSimulation,
  waterC: number,
  coreC: number,
  capSeconds: number,
): number | null {
  const start = sim.elapsedSeconds;
  while (sim.centreC < coreC) {
    if (sim.elapsedSeconds - start >= capSeconds || waterC <= coreC) return null;
    sim.step(waterC);
  }
  return sim.elapsedSeconds - start;
}

const MAX_CACHED = 4096;
const pasteuriseCache = new Map<string, number | null>();
const comeUpCache = new Map<string, number | null>();

function cached(cache: Map<string, number | null>, key: string, compute: () => number | null): number | null {
  if (cache.has(key)) return cache.get(key) as number | null;
  if (cache.size >= MAX_CACHED) cache.clear(); // any thickness may arrive: keep memory bounded
  const value = compute();
  cache.set(key, value);
  return value;
}

/**
 * Model minutes in a bath at `bathC` until a piece `thicknessMm` thick, starting at 5 °C, reaches
 * every pathogen target of `profile` at its centre; null when it does not within 6000 minutes
 * or the profile has no target. Not rounded and without the safety factor.
 */
export function modelMinutesToPasteurise(profile: FoodProfile, bathC: number, thicknessMm: number): number | null {
  return cached(pasteuriseCache, `${profile.id}|${bathC}|${thicknessMm}`, () => {
    const sim = new CoreSimulation(gridFor(profile.thermal, thicknessMm), profile.targets);
    const seconds = runUntilPasteurised(sim, bathC, PREDICTION_CAP_MINUTES * 60);
    return seconds === null ? null : seconds / 60;
  });
}

const reductionCache = new Map<string, readonly number[]>();

/**
 * The log reduction of each of `profile`'s targets at the centre of a piece `thicknessMm` thick,
 * starting at 5 °C, after `minutes` in a bath at `bathC` (whole model steps, counted exactly as a
 * live CoreSimulation advanced for the same time counts them). The monitor asks this for the
 * rules' pasteurisation time: a cook held as planned for that long must end pasteurised.
 */
export function modelLogReductionsAfter(
  profile: FoodProfile,
  bathC: number,
  thicknessMm: number,
  minutes: number,
): readonly number[] {
  const key = `${profile.id}|${bathC}|${thicknessMm}|${minutes}`;
  let value = reductionCache.get(key);
  if (!value) {
    const sim = new CoreSimulation(gridFor(profile.thermal, thicknessMm), profile.targets);
    sim.advance(minutes * 60, bathC);
    value = profile.targets.map((_, j) => sim.logReduction(j));
    if (reductionCache.size >= MAX_CACHED) reductionCache.clear();
    reductionCache.set(key, value);
  }
  return value;
}

/**
 * Model minutes in a bath at `bathC` until the centre of a piece `thicknessMm` thick, starting at
 * 5 °C, passes 54.4 °C (the FSIS come-up of rule FS-8); null when it never does within 6000 minutes
 * (a bath at or below 54.4 °C never gets it there).
 */
export function modelMinutesToComeUp(profile: FoodProfile, bathC: number, thicknessMm: number): number | null {
  return cached(comeUpCache, `${profile.thermal.name}|${bathC}|${thicknessMm}`, () => {
    const sim = new CoreSimulation(gridFor(profile.thermal, thicknessMm), []);
    const seconds = runUntilCoreReaches(sim, bathC, DANGER_ZONE_HIGH_C, PREDICTION_CAP_MINUTES * 60);
    return seconds === null ? null : seconds / 60;
  });
}
