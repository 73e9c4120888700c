import { POULTRY_TABLE, RED_MEAT_TABLE } from '../../app/cooking/food-safety';
import { MAX_LONGER, MAX_SHORTER, SAFETY_FACTOR, smallestSafeFactor, validationCells } from '../../app/cooking/thermal';

// docs/food-safety.md §6.1: for every cell of Tables 4.1 and 4.2, factor × model is never more
// than 5 % shorter than the cell and never more than 25 % longer.
describe('validation of the model against Tables 4.1 and 4.2', () => {
  const cells = validationCells();

  test('covers every cell of both tables', () => {
    const expected = [POULTRY_TABLE, RED_MEAT_TABLE].reduce((n, t) => n + t.rows.length * t.temperaturesC.length, 0);
    expect(cells).toHaveLength(expected);
    expect(expected).toBe(72);
  });

  test.each(cells.map((c) => [c.table, c.thicknessMm, c.temperatureC, c] as const))(
    '%s, %s mm, %s °C: factor × model within −5 % / +25 % of the cell',
    (_table, _mm, _t, cell) => {
      expect(cell.factoredMinutes).toBeGreaterThanOrEqual((1 - MAX_SHORTER) * cell.tableMinutes);
      expect(cell.factoredMinutes).toBeLessThanOrEqual((1 + MAX_LONGER) * cell.tableMinutes);
    },
  );

  test('the safety factor is the smallest multiple of 0.05 that keeps every cell within −5 %', () => {
    expect(SAFETY_FACTOR).toBe(smallestSafeFactor());
    const lower = validationCells(SAFETY_FACTOR - 0.05);
    expect(lower.some((c) => c.factoredMinutes < (1 - MAX_SHORTER) * c.tableMinutes)).toBe(true);
  });

  test("the model alone sits within Baldwin's rounding: never above a cell by more than a few %, below by at most about a step", () => {
    const ratios = validationCells(1).map((c) => c.ratio);
    expect(Math.max(...ratios)).toBeLessThan(1.1);
    expect(Math.min(...ratios)).toBeGreaterThan(0.8);
  });
});
