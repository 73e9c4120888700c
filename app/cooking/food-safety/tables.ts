/**
 * Pasteurisation tables, copied verbatim from docs/food-safety.md §4 so a reviewer can check them
 * against the source line by line. Data only: how to read them lives in ./rules.ts.
 */

/** Minutes in a water bath to pasteurise food of a given thickness, by bath temperature. */
export interface PasteurisationTable {
  /** Short name used in messages, e.g. "poultry". */
  readonly name: string;
  /** Where the numbers come from. */
  readonly source: string;
  /** Bath temperatures of the columns, °C, ascending. */
  readonly temperaturesC: readonly number[];
  /** Rows by thickness, ascending; `minutes[i]` belongs to `temperaturesC[i]`. */
  readonly rows: readonly PasteurisationRow[];
}

export interface PasteurisationRow {
  readonly thicknessMm: number;
  readonly minutes: readonly number[];
}

/** Thickness assumed when the request does not give one (docs/food-safety.md §2). */
export const DEFAULT_THICKNESS_MM = 25;

/** Table 4.1: poultry, food starting at 5 °C, 7-log reduction of Salmonella. */
export const POULTRY_TABLE: PasteurisationTable = {
  name: 'poultry',
  source: 'Douglas Baldwin, "A Practical Guide to Sous Vide Cooking", Table 4.1 (poultry, 7-log Salmonella)',
  temperaturesC: [57, 58, 59, 60, 61, 62, 63, 64, 65],
  rows: [
    { thicknessMm: 5, minutes: [135, 105, 75, 45, 35, 25, 18, 15, 13] },
    { thicknessMm: 20, minutes: [165, 120, 105, 75, 75, 55, 50, 45, 40] },
    { thicknessMm: 25, minutes: [180, 135, 120, 90, 90, 75, 75, 60, 55] },
    { thicknessMm: 30, minutes: [195, 165, 135, 120, 105, 90, 90, 75, 75] },
  ],
};

/** Table 4.2: beef, pork and lamb (used for ground/minced meat, rule FS-6). */
export const RED_MEAT_TABLE: PasteurisationTable = {
  name: 'red meat',
  source: 'Douglas Baldwin, "A Practical Guide to Sous Vide Cooking", Table 5.1 (beef, pork, lamb)',
  temperaturesC: [55, 56, 57, 58, 59, 60, 62, 64, 66],
  rows: [
    { thicknessMm: 10, minutes: [120, 90, 75, 55, 45, 40, 30, 25, 25] },
    { thicknessMm: 25, minutes: [165, 135, 120, 105, 90, 90, 75, 60, 55] },
    { thicknessMm: 50, minutes: [270, 225, 195, 180, 165, 150, 135, 120, 120] },
    { thicknessMm: 70, minutes: [390, 345, 315, 285, 255, 240, 225, 195, 195] },
  ],
};
