/**
 * docs/food-safety.md §5 must-pass examples through the real API: a blocked cook is a 400 with a
 * teaching message and never reaches the cooker; an allowed one starts it.
 */
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let ip = 0;
const client = () => ({ 'cf-connecting-ip': `10.1.0.${++ip}` });

beforeAll(async () => {
  stack = await startStack({ env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  if (stack.sim.cooker().mode !== 'idle') await stack.api({ method: 'POST', path: '/stop-cook', headers: client() });
});

const starts = () => stack.sim.received().filter((r) => r.frame.command === 'CMD_APC_START');

type Example = [
  temp: number,
  minutes: number,
  food: string | null,
  thickness: number | null,
  status: number,
  code: string | null,
];

// temp | minutes | food_type | thickness | result
const examples: Example[] = [
  [65, 90, 'chicken breast', null, 200, 'THICKNESS_ASSUMED'],
  [57, 180, 'chicken', null, 200, null],
  [57, 120, 'chicken', null, 400, 'FOOD_SAFETY_TIME_UNSAFE'],
  [56.9, 600, 'chicken', null, 400, 'POULTRY_TEMP_UNSAFE'],
  [63, 75, 'chicken breast', 25, 200, null],
  [60, 60, 'chicken', 25, 400, 'FOOD_SAFETY_TIME_UNSAFE'],
  [59, 600, 'ground beef', null, 400, 'GROUND_MEAT_TEMP_UNSAFE'],
  [60, 90, 'burger patty', 25, 200, null],
  [60, 45, 'ground beef', 25, 400, 'FOOD_SAFETY_TIME_UNSAFE'],
  [54, 120, 'ribeye steak', null, 200, 'NOT_PASTEURISED'],
  [52, 600, 'beef short rib', null, 400, 'FOOD_SAFETY_TIME_UNSAFE'],
  [46, 45, 'salmon', null, 200, 'FISH_NOT_PASTEURISED'],
  [43, 600, 'yogurt', null, 200, null],
  [85, 45, 'carrots', null, 200, null],
  [50, 300, null, null, 400, 'FOOD_SAFETY_TIME_UNSAFE'],
  [75, 60, 'eggs', null, 200, null],
  [39.9, 60, null, null, 400, 'TEMPERATURE_TOO_LOW'],
  [95.1, 60, null, null, 400, 'TEMPERATURE_TOO_HIGH'],
];

test.each(examples)(
  '%p °C, %p min, food %p, thickness %p mm → %p %p',
  async (temp, minutes, food, thickness, status, code) => {
    const body: Record<string, unknown> = { temperature_celsius: temp, time_minutes: minutes };
    if (food !== null) body.food_type = food;
    if (thickness !== null) body.thickness_mm = thickness;
    const before = starts().length;
    const res = await stack.api({ method: 'POST', path: '/start-cook', headers: client(), body });
    expect(res.status).toBe(status);
    if (status === 400) {
      expect(res.body.error).toBe(code);
      expect(res.body.message.length).toBeGreaterThan(20);
      expect(starts().length).toBe(before); // nothing reached the cooker
    } else {
      expect(res.body.success).toBe(true);
      expect(starts().length).toBe(before + 1);
      if (code) expect(res.body.warnings.map((w: { code: string }) => w.code)).toContain(code);
    }
  },
);

test('the 60 °C / 60 min chicken refusal names the rule, the time needed and a hotter alternative', async () => {
  const res = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: client(),
    body: { temperature_celsius: 60, time_minutes: 60, food_type: 'chicken', thickness_mm: 25 },
  });
  expect(res.body.error).toBe('FOOD_SAFETY_TIME_UNSAFE');
  expect(res.body.message).toMatch(/FS-5/);
  expect(res.body.message).toMatch(/90 minutes/);
  expect(res.body.message).toMatch(/6[1-5](\.0)? ?°C/);
});

test('an unknown food gets FOOD_NOT_RECOGNISED and only the general rules', async () => {
  const res = await stack.api({
    method: 'POST',
    path: '/start-cook',
    headers: client(),
    body: { temperature_celsius: 60, time_minutes: 120, food_type: 'mystery stew' },
  });
  expect(res.status).toBe(200);
  expect(res.body.warnings.map((w: { code: string }) => w.code)).toContain('FOOD_NOT_RECOGNISED');
});
