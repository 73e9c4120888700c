/**
 * The model beside every cell of Tables 4.1 and 4.2 (docs/food-safety.md §6.1). Pure, so the
 * test (test/cooking/validation.test.ts) and the printed report (bench/validate-food-safety.js)
 * read the same numbers.
 */
import { POULTRY_TABLE, RED_MEAT_TABLE, type PasteurisationTable } from '../food-safety/tables';
import { SAFETY_FACTOR } from './parameters';
import { modelMinutesToPasteurise } from './predict';
import { MEAT_PROFILE, POULTRY_PROFILE, type FoodProfile } from './profiles';

/** Bounds of docs/food-safety.md §6.1 on factor × model relative to a cell. */
export const MAX_SHORTER = 0.05;
export const MAX_LONGER = 0.25;

export interface ValidationCell {
  table: string;
  thicknessMm: number;
  temperatureC: number;
  tableMinutes: number;
  modelMinutes: number;
  /** SAFETY_FACTOR × model, unrounded. */
  factoredMinutes: number;
  /** factoredMinutes / tableMinutes. */
  ratio: number;
}

export const VALIDATED_TABLES: ReadonlyArray<{ table: PasteurisationTable; profile: FoodProfile }> = [
  { table: POULTRY_TABLE, profile: POULTRY_PROFILE },
  { table: RED_MEAT_TABLE, profile: MEAT_PROFILE },
];

export function validationCells(factor: number = SAFETY_FACTOR): ValidationCell[] {
  const cells: ValidationCell[] = [];
  for (const { table, profile } of VALIDATED_TABLES) {
    for (const row of table.rows) {
      table.temperaturesC.forEach((temperatureC, i) => {
        const modelMinutes = modelMinutesToPasteurise(profile, temperatureC, row.thicknessMm);
        if (modelMinutes === null)
          throw new Error(`the model never pasteurises ${table.name} at ${temperatureC} °C, ${row.thicknessMm} mm`);
        const tableMinutes = row.minutes[i];
        cells.push({
          table: table.name,
          thicknessMm: row.thicknessMm,
          temperatureC,
          tableMinutes,
          modelMinutes,
          factoredMinutes: factor * modelMinutes,
          ratio: (factor * modelMinutes) / tableMinutes,
        });
      });
    }
  }
  return cells;
}

/** The smallest multiple of 0.05 for which factor × model is never more than MAX_SHORTER below a cell. */
export function smallestSafeFactor(): number {
  const worst = Math.min(...validationCells(1).map((c) => c.ratio));
  return Math.ceil(((1 - MAX_SHORTER) / worst) * 20 - 1e-9) / 20;
}
