/**
 * Which heating properties and which pathogen targets the model uses for a food, by the
 * categories of docs/food-safety.md §1.
 *
 * - poultry: Salmonella 7-log (Table 4.1).
 * - beef, pork, lamb and ground meat: the slowest of Listeria 6-log, Salmonella 6.5-log and
 *   E. coli O157:H7 5-log (Table 5.1's caption), i.e. all three must be reached.
 * - fish: Listeria 6-log (the pathogen of concern in fish that survives chilling), with the meat
 *   kinetics above; decision noted in docs/food-safety-model.md.
 * - eggs: Salmonella 7-log with the poultry kinetics (the poultry standard, the stricter one).
 * - unknown: every target above (it could be any of them).
 * - plant foods and dairy: no target; only the core temperature is modelled.
 * A food in several categories ("ground turkey") gets every target of each and the slowest heating.
 */
import type { FoodCategory } from '../food-safety/classify';
import {
  ECOLI_O157_MEAT,
  LISTERIA_MEAT,
  MEAT_THERMAL,
  POULTRY_THERMAL,
  SALMONELLA_MEAT,
  SALMONELLA_POULTRY,
  type PathogenTarget,
  type ThermalProperties,
} from './parameters';

export interface FoodProfile {
  /** Stable id, also the cache key: "poultry", "meat", "poultry+meat", ... */
  readonly id: string;
  readonly thermal: ThermalProperties;
  /** Every target must be reached to call the food pasteurised; empty: nothing to pasteurise. */
  readonly targets: readonly PathogenTarget[];
}

const POULTRY_TARGETS: readonly PathogenTarget[] = [{ pathogen: SALMONELLA_POULTRY, logReduction: 7 }];
const MEAT_TARGETS: readonly PathogenTarget[] = [
  { pathogen: LISTERIA_MEAT, logReduction: 6 },
  { pathogen: SALMONELLA_MEAT, logReduction: 6.5 },
  { pathogen: ECOLI_O157_MEAT, logReduction: 5 },
];
const FISH_TARGETS: readonly PathogenTarget[] = [{ pathogen: LISTERIA_MEAT, logReduction: 6 }];

const BY_CATEGORY: Record<FoodCategory, { thermal: ThermalProperties; targets: readonly PathogenTarget[] }> = {
  poultry: { thermal: POULTRY_THERMAL, targets: POULTRY_TARGETS },
  ground: { thermal: MEAT_THERMAL, targets: MEAT_TARGETS },
  red_meat: { thermal: MEAT_THERMAL, targets: MEAT_TARGETS },
  fish: { thermal: MEAT_THERMAL, targets: FISH_TARGETS },
  egg: { thermal: MEAT_THERMAL, targets: POULTRY_TARGETS },
  unknown: { thermal: MEAT_THERMAL, targets: [...POULTRY_TARGETS, ...MEAT_TARGETS] },
  plant_dairy: { thermal: MEAT_THERMAL, targets: [] },
};

/** The profile of a single category (what a table rule's model uses). */
export const POULTRY_PROFILE: FoodProfile = { id: 'poultry', ...BY_CATEGORY.poultry };
export const MEAT_PROFILE: FoodProfile = { id: 'meat', ...BY_CATEGORY.red_meat };

const profiles = new Map<string, FoodProfile>();

/** The combined profile of a food's categories (cached; there are only a few combinations). */
export function profileFor(categories: readonly FoodCategory[]): FoodProfile {
  const key = [...new Set(categories)].sort().join('+');
  let profile = profiles.get(key);
  if (!profile) {
    const parts = [...new Set(categories)].map((c) => BY_CATEGORY[c]);
    const thermal = parts.reduce(
      (slowest, p) => (p.thermal.diffusivity < slowest.diffusivity ? p.thermal : slowest),
      parts[0].thermal,
    );
    const targets = [...new Set(parts.flatMap((p) => p.targets))];
    profile = { id: key, thermal, targets };
    profiles.set(key, profile);
  }
  return profile;
}
