/**
 * Every number the heat-transfer and lethality model uses, each with where it comes from
 * (docs/food-safety-model.md explains the model and shows the validation against the tables).
 *
 * Sources, cited by short name below:
 * - [Baldwin review] Douglas E. Baldwin, "Sous vide cooking: A review", International Journal
 *   of Gastronomy and Food Science 1 (2012) 15–30. The heating model behind his tables.
 * - [Baldwin guide] Douglas E. Baldwin, "A Practical Guide to Sous Vide Cooking", Table 4.1
 *   (poultry) and Table 5.1 (beef, pork, lamb) with their captions: the tables of
 *   docs/food-safety.md §4.
 * - [FSIS] USDA FSIS, Cooking Guideline for Meat and Poultry (Revised Appendix A, 2021):
 *   the reference times of docs/food-safety.md §4.3.
 *
 * FITTED, said openly: two poultry numbers, POULTRY_THERMAL.diffusivity and
 * SALMONELLA_POULTRY.dRefMinutes, are fitted to Table 4.1, because Baldwin does not print the
 * values behind that table next to it. Everything else is taken from the sources as printed.
 * `node bench/validate-food-safety.js --fit` repeats the fit and prints it.
 */

// ---------------------------------------------------------------------------------------------
// Heat transfer
// ---------------------------------------------------------------------------------------------

export interface ThermalProperties {
  readonly name: string;
  /** Thermal diffusivity α of the food, m²/s. */
  readonly diffusivity: number;
  /** Thermal conductivity k of the food, W/(m·K); with h it sets the surface resistance (Biot number). */
  readonly conductivity: number;
  readonly source: string;
}

/**
 * Surface heat-transfer coefficient h between a water bath and a vacuum pouch, W/(m²·K): the
 * value [Baldwin review] computes his tables with. A well-stirred bath transfers heat faster, so
 * this errs on the slow (safe) side.
 */
export const BATH_HEAT_TRANSFER = 95;

/** Food goes into the bath at refrigerator temperature, as every table assumes (docs/food-safety.md §4). */
export const INITIAL_FOOD_C = 5;

/**
 * Beef, pork, lamb, and every food we have no better number for. [Baldwin review] takes the
 * lowest diffusivity reported for meat (Sanz et al. 1987), which makes heating slowest; with
 * k = 0.48 W/(m·K) this reproduces Table 5.1 within Baldwin's rounding (see the validation).
 */
export const MEAT_THERMAL: ThermalProperties = {
  name: 'meat',
  diffusivity: 1.11e-7,
  conductivity: 0.48,
  source: 'Baldwin review (α from Sanz et al. 1987), k = 0.48 W/(m·K)',
};

/**
 * Chicken and turkey. FITTED to Table 4.1 together with SALMONELLA_POULTRY.dRefMinutes: with the
 * meat diffusivity no Salmonella D-value reproduces both the 5 mm row (which only measures the
 * kinetics: 5 mm heats through in a minute) and the 20–30 mm rows (which also measure heating),
 * because Baldwin's poultry rows heat faster than his beef rows would. 1.35e-7 m²/s lies inside
 * the range reported for lean meat (about 1.1–1.6e-7) and keeps a 100 mm breast at 57 °C above
 * the 6-hour come-up limit of FS-8 (6.2 h).
 */
export const POULTRY_THERMAL: ThermalProperties = {
  name: 'poultry',
  diffusivity: 1.35e-7,
  conductivity: 0.48,
  source: 'FITTED to Baldwin guide Table 4.1 (k as for meat)',
};

/**
 * The model is 1-D: an infinite slab, or with a shape factor β > 0 a body whose cross-section
 * also heats from the sides (β = 1 an infinite cylinder, 2 a sphere).
 *
 * Up to 30 mm the model is an infinite slab, the conservative shape of docs/food-safety.md §6.1.
 * Thicker cuts are never much wider than they are thick, and Baldwin's tables treat them so:
 * [Baldwin review] uses β = 0.28 for slabs thicker than 30 mm, and only with it does the model
 * reproduce the 50 and 70 mm rows of Table 5.1 (an infinite slab is 14–25 % slower there; the
 * validation script prints both). β ramps from 0 at 30 mm to 0.28 at 50 mm, so a thicker cut
 * never needs less time than a thinner one (Baldwin switches at once; the ramp only errs longer).
 */
export const SHAPE_FACTOR_THICK = 0.28;
export const SLAB_UP_TO_MM = 30;
export const SHAPE_FACTOR_FULL_FROM_MM = 50;

export function shapeFactor(thicknessMm: number): number {
  if (thicknessMm <= SLAB_UP_TO_MM) return 0;
  if (thicknessMm >= SHAPE_FACTOR_FULL_FROM_MM) return SHAPE_FACTOR_THICK;
  return (SHAPE_FACTOR_THICK * (thicknessMm - SLAB_UP_TO_MM)) / (SHAPE_FACTOR_FULL_FROM_MM - SLAB_UP_TO_MM);
}

// ---------------------------------------------------------------------------------------------
// Lethality: log reduction = ∫ 1/D(T) dt at the centre, D(T) = D_ref · 10^((T_ref − T)/z)
// ---------------------------------------------------------------------------------------------

export interface Pathogen {
  readonly name: string;
  /** D-value at `refC`: minutes at that temperature for a 10-fold (1-log) reduction. */
  readonly dRefMinutes: number;
  readonly refC: number;
  /** °C for a 10-fold change of D. */
  readonly zC: number;
  readonly source: string;
}

/** Table 5.1's caption: "for E. coli I use D(55 °C, z 4.87) = 19.35 min". */
export const ECOLI_O157_MEAT: Pathogen = {
  name: 'E. coli O157:H7',
  dRefMinutes: 19.35,
  refC: 55,
  zC: 4.87,
  source:
    'Baldwin guide, Table 5.1 caption (regression on Hansen & Knøchel 1996, Bolton et al. 2000, O’Bryan et al. 2006)',
};

/** Table 5.1's caption: "for Salmonella I use D(55 °C, z 7.58) = 13.18 min". */
export const SALMONELLA_MEAT: Pathogen = {
  name: 'Salmonella',
  dRefMinutes: 13.18,
  refC: 55,
  zC: 7.58,
  source: 'Baldwin guide, Table 5.1 caption',
};

/** Table 5.1's caption: "for Listeria I use D(55 °C, z 9.22) = 12.66 min". */
export const LISTERIA_MEAT: Pathogen = {
  name: 'Listeria',
  dRefMinutes: 12.66,
  refC: 55,
  zC: 9.22,
  source: 'Baldwin guide, Table 5.1 caption',
};

/**
 * Salmonella in chicken and turkey. z = 5.7 °C is what the FSIS 7-log times of
 * docs/food-safety.md §4.3 imply over 57.8–65.6 °C (63.3 min → 2.7 min over 7.8 °C). D60 is
 * FITTED to Table 4.1 (with POULTRY_THERMAL): 5.4 min, about 1.5 times the 3.6 min those FSIS
 * times imply (25.2 min / 7 logs), so Baldwin's table is the more cautious of the two and the
 * model follows it.
 */
export const SALMONELLA_POULTRY: Pathogen = {
  name: 'Salmonella',
  dRefMinutes: 5.4,
  refC: 60,
  zC: 5.7,
  source: 'z from FSIS (docs/food-safety.md §4.3); D60 FITTED to Baldwin guide Table 4.1 (FSIS implies 3.6 min)',
};

export interface PathogenTarget {
  readonly pathogen: Pathogen;
  /** Required log10 reduction at the slowest-heating point. */
  readonly logReduction: number;
}

// ---------------------------------------------------------------------------------------------
// The one safety factor
// ---------------------------------------------------------------------------------------------

/**
 * Minutes the rules demand beyond the tables = ceil(SAFETY_FACTOR × model minutes).
 *
 * Chosen, not tuned cell by cell: the smallest multiple of 0.05 for which factor × model is never
 * more than 5 % shorter than any cell of Tables 4.1 and 4.2 (docs/food-safety.md §6.1). Baldwin
 * rounds his results up (5-minute steps below an hour, quarter hours above), so a faithful model
 * sits below his cells by up to a step; the factor buys that step back and a margin for what a
 * model cannot know (an uneven cut, a bag that floats). With it no cell is more than 25 % longer.
 * A test checks both bounds on every cell and that 0.05 less would break the first.
 */
export const SAFETY_FACTOR = 1.15;

// ---------------------------------------------------------------------------------------------
// Danger zone (docs/food-safety.md §6.2)
// ---------------------------------------------------------------------------------------------

/** Bacteria multiply between these core temperatures (USDA's 40–130 °F, in °C). */
export const DANGER_ZONE_LOW_C = 4.4;
export const DANGER_ZONE_HIGH_C = 54.4;

/** FSIS come-up guidance: no more than 6 h for the core to pass 54.4 °C (rule FS-8). */
export const COME_UP_LIMIT_MINUTES = 6 * 60;
