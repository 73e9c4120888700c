/**
 * Title and message of each notification, written for a phone's lock screen: what happened, then
 * what to do, in the words /status and the API's error messages use (docs/api.md). Pure.
 *
 * When the source gives `detail.message` (the food-safety monitor's own words, also shown in
 * /status), that is the message. Temperatures are written "63.0 °C".
 */
import { TEST_EVENT, type NotificationEvent, type NotificationInput } from './types';

export interface MessageText {
  title: string;
  message: string;
}

const MAX_TITLE = 90;
const MAX_MESSAGE = 1_000;
const MAX_FOOD = 40;

/** Trims, removes control characters (a lock screen shows one paragraph), caps the length. */
function clean(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function formatCelsius(value: number): string {
  return `${(Math.round(value * 10) / 10).toFixed(1)} °C`;
}

interface Facts {
  food: string | null;
  target: string | null;
  current: string | null;
  remainingMinutes: number | null;
  state: string | null;
}

function facts(input: Pick<NotificationInput, 'status' | 'detail'>): Facts {
  const s = input.status ?? {};
  const d = input.detail ?? {};
  const food = str(s.food_type) ?? str(d.food_type);
  const target = num(s.target_temp_celsius) ?? num(d.target_temp_celsius);
  const current = num(s.current_temp_celsius) ?? num(d.current_temp_celsius);
  return {
    food: food === null ? null : clean(food, MAX_FOOD),
    target: target === null ? null : formatCelsius(target),
    current: current === null ? null : formatCelsius(current),
    remainingMinutes: num(s.time_remaining_minutes),
    state: str(s.state),
  };
}

function titled(base: string, food: string | null): string {
  return food ? `${base}: ${food}` : base;
}

const STATE_WORDS: Record<string, string> = {
  preheating: 'heating up',
  cooking: 'cooking',
  done: 'done and holding the temperature',
  idle: 'idle, not heating',
};

type Writer = (f: Facts) => MessageText;

const WRITERS: Record<NotificationEvent, Writer> = {
  temperature_reached: (f) => ({
    title: f.target ? `Water at ${f.target}` : 'Water at temperature',
    message:
      `The water has reached ${f.target ?? 'the set temperature'}. ` +
      `Put the ${f.food ?? 'food'} in the bath now: the timer has started` +
      (f.remainingMinutes !== null ? ` (${f.remainingMinutes} minutes).` : '.'),
  }),
  pasteurised: (f) => ({
    title: titled('Pasteurised', f.food),
    message: `The ${f.food ?? 'food'} is pasteurised: its core has been hot for long enough to be safe to eat. Nothing to do; take it out when the timer ends or whenever you are ready.`,
  }),
  cook_done: (f) => ({
    title: titled('Cook done', f.food),
    message: `The timer has run out. The cooker is still holding the water at ${f.target ?? 'the set temperature'} until you stop it: take the food out and stop the cook.`,
  }),
  cook_stopped_on_device: (f) => ({
    title: 'Cook stopped on the cooker',
    message: `The cook${f.food ? ` (${f.food})` : ''} was stopped on the cooker or in the Anova app before the timer ran out. The heater is off; the water will cool down on its own. If you did not stop it, start it again or take the food out and refrigerate it.`,
  }),
  cook_interrupted: (f) => ({
    title: titled('Cook interrupted', f.food),
    message:
      'The cooker stopped heating before the timer ran out (it went idle, lost power or lost Wi-Fi). ' +
      'The food may be sitting in cooling water: check the cooker now, then restart the cook or take the food out and refrigerate it.',
  }),
  temperature_drop: (f) => ({
    title: 'Water temperature dropped',
    message:
      (f.current && f.target
        ? `The water is at ${f.current}, more than 1.0 °C below the set ${f.target}, and has stayed low. `
        : 'The water has stayed more than 1.0 °C below the set temperature. ') +
      'Check the lid, the water level and that the cooker is heating.',
  }),
  low_water: () => ({
    title: 'Low water in the bath',
    message: 'The cooker reports low water. Top the bath up with hot water to between the MIN and MAX marks.',
  }),
  water_empty: () => ({
    title: 'Cooker out of water',
    message:
      'The cooker reports that the water is too low to heat, so the food is not being kept hot. Add hot water to between the MIN and MAX marks now.',
  }),
  heater_fault: () => ({
    title: 'Cooker heater fault',
    message:
      'The cooker reports a heater fault, so the water may not be kept hot. Check the cooker now; if it does not recover, take the food out and refrigerate it.',
  }),
  water_leak: () => ({
    title: 'Cooker reports a water leak',
    message:
      'The cooker detected water where it should not be. Unplug it before touching it, check the bath and the cooker, and if the cook cannot go on, take the food out and refrigerate it.',
  }),
  water_too_hot: () => ({
    title: 'Cooker over-temperature alarm',
    message:
      'The cooker reports an over-temperature alarm. Check the cooker and the water level now; if the alarm stays, stop the cook and take the food out.',
  }),
  motor_stuck: () => ({
    title: 'Cooker motor stuck',
    message:
      'The circulation motor of the cooker is stuck, so the water is not stirred and may heat unevenly. Check for something blocking the impeller; if it does not recover, take the food out and refrigerate it.',
  }),
  device_alarm: () => ({
    title: 'Cooker alarm',
    message: 'The cooker reports an alarm. Look at the cooker or the Anova app to see what it needs.',
  }),
  device_offline: (f) => ({
    title: 'Cooker offline',
    message: `The server has lost contact with the cooker during the cook${f.food ? ` (${f.food})` : ''}. Check that it is plugged in and on Wi-Fi; if it stays offline, check on the food yourself.`,
  }),
  device_online: (f) => {
    if (f.state === 'idle') {
      return {
        title: 'Cooker back online',
        message: 'The cooker is back online but idle, not heating. If a cook was running, check the food.',
      };
    }
    const words = f.state ? STATE_WORDS[f.state] : undefined;
    const where = f.current ? `the water is at ${f.current}${f.target ? ` (set ${f.target})` : ''}` : null;
    const facts = [where, words].filter(Boolean).join(', ');
    return {
      title: 'Cooker back online',
      message: `The cooker is back online${facts ? `: ${facts}` : ''}. Nothing to do if that is what you expect.`,
    };
  },
  food_safety_at_risk: () => ({
    title: 'Food safety at risk',
    message:
      'The food is close to a food-safety time limit: too long at temperatures where bacteria grow. Get the water back to temperature within 30 minutes, or take the food out and refrigerate it.',
  }),
  discard_food: () => ({
    title: 'Throw the food away',
    message:
      'A food-safety time limit has run out: the food spent too long at temperatures where bacteria grow. Throw it away; do not eat it.',
  }),
  anova_auth_failed: () => ({
    title: "Anova rejected the server's token",
    message:
      "Anova's cloud rejected this server's access token, so it cannot see or control the cooker. Create a new Personal Access Token in the Anova Oven app (More → Developer → Personal Access Tokens) and put it in ANOVA_TOKEN on the server.",
  }),
  [TEST_EVENT]: () => ({
    title: 'Test notification',
    message: 'This is a test from your Anova Control Server. If you can read it, notifications work.',
  }),
};

/** Title and message for one notification; `detail.message`, when given, is the message. */
export function renderMessage(
  input: { event: NotificationEvent } & Partial<Pick<NotificationInput, 'status' | 'detail'>>,
): MessageText {
  const written = WRITERS[input.event](facts({ status: input.status ?? null, detail: input.detail }));
  const own = str(input.detail?.message);
  return {
    title: clean(written.title, MAX_TITLE),
    message: clean(own ?? written.message, MAX_MESSAGE),
  };
}
