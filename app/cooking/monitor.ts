/**
 * The live food-safety monitor of one running cook (docs/food-safety.md §6.2): it follows the water
 * temperatures the cooker reports, runs the heat-transfer model of ../cooking/thermal forward on
 * them (water → estimated centre temperature → log reduction), keeps the danger-zone clocks, and
 * raises the alerts temperature_drop, cook_interrupted, food_safety_at_risk and discard_food.
 *
 * Pure: time is always a parameter (epoch ms), nothing here reads a clock or does I/O. The
 * service creates one monitor per cook, calls observe() on every state push (and, after a
 * restart, on every journal sample), advance(now) from a periodic timer, and ends the monitor on
 * a stop through the API.
 *
 * Assumptions (docs/food-safety-model.md, "The monitor"), all conservative:
 * - The food goes in at 5 °C when the water first reaches the set temperature (water ≥ set −
 *   0.3 °C, the Anova's own tolerance, or the cooker reports cooking): the Anova timer starts then.
 *   Before that nothing is modelled and no danger time counts.
 * - Water the server cannot see (cooker offline or state unknown, or silence longer than
 *   maxGapMs between observations, a server restart included) counts as danger time and as time
 *   without heat, and the model takes the water to be at 20 °C (heater off): no lethality credit.
 * - The rules read the cook as it was approved (the plan's set temperature), except that a cook
 *   set below 55 °C on the device, or whose water is measured below 55 °C, is a below-55 °C cook
 *   while it is (see belowFloorNow): no lethality is credited then, and budget (a) applies.
 *
 * Pasteurised: when the model's log reduction at the centre, run on the water actually reported,
 * reaches each target, or, where less, what the rules' own time (pasteurisationMinutes, Baldwin's
 * tables) gives at the set temperature by the same model. The tables are the rule and the model
 * sits up to 5.5 % slower than a few of their cells, so a cook run as planned for the rules' time
 * ends pasteurised; SAFETY_FACTOR is the planner's margin, not a wait here. Only lethality
 * counts, never clock time: food left cooling in a dead cooker is not "pasteurised" by the clock.
 *
 * Budgets, each raising food_safety_at_risk 30 minutes before it runs out and discard_food when it
 * has (plant foods and dairy are exempt):
 * (a) set below 55 °C (planned, set on the device, or the water measured there): 4 h of food-in
 *     time (Baldwin); at risk only when the cook is heading past it (the timer ends later, or the
 *     food is held after the timer ran out, or heat was lost).
 * (b) set at 55 °C or hotter, poultry / ground / unknown: the centre must pass 54.4 °C within 6 h
 *     of food-in (FSIS come-up); at risk only when the model, from the current state at the
 *     current water temperature, says it will not. FS-8 refuses cooks for which the same model
 *     says so at the start (with the water 0.1 °C low), so a cook as planned never trips this.
 * (c) heat lost after food-in (idle before the timer ran out; offline or unknown at any time, the
 *     timer run out or not; or the water more than 1.0 °C below the set temperature): 2 h in total
 *     (USDA two-hour rule, pasteurised or not).
 *
 * Alerts do not chatter: food_safety_at_risk and temperature_drop, once raised, clear only after
 * their condition has been gone continuously for dropAlertSeconds (a bath swinging across a
 * threshold keeps them raised rather than raising and clearing them on every push, each a journal
 * event and a notification). cook_interrupted and discard_food stay until the cook ends.
 */
import {
  celsius,
  classifyFood,
  clockUtc,
  DEFAULT_THICKNESS_MM,
  duration,
  pasteurisationMinutes,
  PASTEURISATION_FLOOR_C,
  type FoodCategory,
} from './food-safety';
import {
  COME_UP_LIMIT_MINUTES,
  CoreSimulation,
  DANGER_ZONE_HIGH_C,
  DANGER_ZONE_LOW_C,
  gridFor,
  lethalRate,
  profileFor,
  modelLogReductionsAfter,
  runUntilCoreReaches,
  type FoodProfile,
  type PathogenTarget,
} from './thermal';

export interface MonitorPlan {
  categories: FoodCategory[];
  /** Thickness the rules used; null means the 25 mm default. */
  thicknessMm: number | null;
  targetTempC: number;
  timeMinutes: number;
  foodType: string | null;
}

/**
 * The plan of a cook as start-cook accepted it (a CookRequest fits), or as the journal recorded
 * it (then the categories are worked out again from the food_type, as start-cook did).
 */
export function monitorPlanFor(cook: {
  temperatureC: number;
  timeMinutes: number;
  foodType: string | null;
  thicknessMm: number | null;
  categories?: FoodCategory[];
}): MonitorPlan {
  return {
    categories: cook.categories ?? classifyFood(cook.foodType),
    thicknessMm: cook.thicknessMm,
    targetTempC: cook.temperatureC,
    timeMinutes: cook.timeMinutes,
    foodType: cook.foodType,
  };
}

export type ObservedMode = 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown' | 'offline';

export interface Observation {
  /** Epoch ms. */
  at: number;
  /** The service passes 'offline' once the staleness limit has passed. */
  mode: ObservedMode;
  waterC: number | null;
  targetC: number | null;
  /** Null when the device does not say (journal samples carry no timer). */
  timerRemainingSeconds: number | null;
}

export type MonitorAlert = 'temperature_drop' | 'cook_interrupted' | 'food_safety_at_risk' | 'discard_food';

export interface MonitorEvent {
  at: number;
  type: 'temperature_reached' | 'pasteurised' | 'alert_raised' | 'alert_cleared';
  /** alert_raised: {alert, message, ...}; alert_cleared: {alert, reason}. */
  detail: Record<string, unknown>;
}

export interface MonitorOptions {
  /** FOOD_SAFETY_DROP_ALERT_SECONDS (default 300). */
  dropAlertSeconds: number;
  /** A longer silence between observations is time the server could not see. */
  maxGapMs: number;
}

/** The `food_safety` object of GET /status, exactly docs/api.md's keys. */
export interface FoodSafetyView {
  category: FoodCategory | null;
  pasteurises: boolean;
  pasteurised: boolean;
  log_reduction: number | null;
  target_log_reduction: number | null;
  core_temp_celsius: number | null;
  pasteurised_at: string | null;
  estimated_pasteurised_at: string | null;
  danger_zone_minutes: number;
  message: string;
}

/** Anova's tolerance for "at temperature": the timer starts within this of the set point. */
export const ENTRY_TOLERANCE_C = 0.3;
/** Water more than this below the set temperature is heat lost (and, after a while, temperature_drop). */
export const LOW_WATER_MARGIN_C = 1.0;
/** Water temperature the model assumes when it cannot see it: the heater off, a room at 20 °C. */
export const AMBIENT_C = 20;
export const BELOW_FLOOR_BUDGET_MINUTES = 240;
export const HEAT_LOST_BUDGET_MINUTES = 120;
export const WARNING_LEAD_MINUTES = 30;
/**
 * The 4-hour budget is counted from the push in which the water reached temperature, the timer's
 * end from the device's countdown; the two can differ by a push or two. A 2-minute grace keeps a
 * 240-minute cook run as planned from being flagged for that; it is far below what matters to
 * bacteria.
 */
export const FOOD_IN_GRACE_MS = 2 * 60_000;
/** Long spans (a replay, an offline stretch) are processed in slices of at most this, so alerts get accurate times. */
const MAX_SLICE_MS = 60_000;
/** Projections are recomputed after this much cook time, or when the water moved by more than ... */
const PROJECTION_REFRESH_MS = 60_000;
/** ... this much. */
const PROJECTION_WATER_DELTA_C = 0.2;
/** No pasteurisation estimate is attempted beyond this (or in water this cool). */
const PROJECTION_CAP_SECONDS = 24 * 3600;
const PROJECTION_MIN_WATER_C = 50;

const MINUTE = 60_000;
const ALERT_ORDER: readonly MonitorAlert[] = [
  'temperature_drop',
  'cook_interrupted',
  'food_safety_at_risk',
  'discard_food',
];
const CATEGORY_PRIORITY: readonly FoodCategory[] = ['poultry', 'ground', 'red_meat', 'fish', 'egg', 'unknown'];
const COME_UP_CATEGORIES: ReadonlySet<FoodCategory> = new Set(['poultry', 'ground', 'unknown']);

type Budget = 'below_55' | 'come_up' | 'heat_lost';

/** What the monitor knows about the water over a span of time. */
interface Conditions {
  /** The water temperature is not known (offline, unknown state, or a gap). */
  unknown: boolean;
  waterC: number | null;
  mode: ObservedMode;
  /** The set temperature the cooker reports (null when it does not say). */
  setC: number | null;
}

const UNSEEN: Conditions = { unknown: true, waterC: null, mode: 'unknown', setC: null };

interface ActiveAlert {
  since: number;
  message: string;
  detail: Record<string, unknown>;
}

export class CookMonitor {
  private readonly profile: FoodProfile;
  private readonly thicknessMm: number;
  private readonly targetC: number;
  /** The rules' minutes to pasteurise at the plan's temperature and thickness, or null when it cannot be. */
  private readonly floorMinutes: number | null;
  /**
   * The reductions that count as pasteurised: each target's, or, where less, what floorMinutes at
   * the set temperature give by the model (see the file comment).
   */
  private readonly targets: readonly PathogenTarget[];
  private readonly exempt: boolean;
  private readonly comeUpApplies: boolean;
  private readonly belowFloor: boolean;

  private sim: CoreSimulation | null = null;
  private scratch: CoreSimulation | null = null;

  private lastObs: Observation | null = null;
  /** Time up to which the model and the clocks have been advanced. */
  private processedTo: number | null = null;
  private started = false;
  private foodInAt: number | null = null;
  private foodInAssumed = false;
  /** Known end of the device's timer (from a cooking state with a countdown). */
  private timerEndAt: number | null = null;
  private timerRanOut = false;
  private timerRanOutAt: number | null = null;
  /** Idle after the timer ran out: the cook is over, nothing counts any more. */
  private finished = false;
  private interruption: { at: number; how: 'idle' | 'offline' } | null = null;

  private dangerMs = 0;
  private unseenMs = 0;
  private heatLostMs = 0;
  private lowSince: number | null = null;
  /** While temperature_drop is raised: since when the water has been back (clears after dropAlertSeconds). */
  private backSince: number | null = null;
  /** While food_safety_at_risk is raised: since when no budget has been at risk (clears after dropAlertSeconds). */
  private onTrackSince: number | null = null;
  private comeUpPassedAt: number | null = null;
  private modelReachedAt: number | null = null;
  private pasteurisedAt: number | null = null;

  private readonly active = new Map<MonitorAlert, ActiveAlert>();
  private estimateCache: { at: number; waterC: number | null; value: number | null } | null = null;
  private comeUpCache: { at: number; waterC: number | null; inTime: boolean } | null = null;

  constructor(
    private readonly plan: MonitorPlan,
    private readonly opts: MonitorOptions,
  ) {
    this.profile = profileFor(plan.categories);
    this.thicknessMm = plan.thicknessMm ?? DEFAULT_THICKNESS_MM;
    this.targetC = plan.targetTempC;
    this.floorMinutes = pasteurisationMinutes(plan.categories, plan.targetTempC, this.thicknessMm);
    const floor = this.floorMinutes;
    const byRulesTime =
      floor === null ? null : modelLogReductionsAfter(this.profile, plan.targetTempC, this.thicknessMm, floor);
    this.targets = this.profile.targets.map((target, j) =>
      byRulesTime === null || byRulesTime[j] >= target.logReduction
        ? target
        : { ...target, logReduction: byRulesTime[j] },
    );
    this.exempt = plan.categories.every((c) => c === 'plant_dairy');
    this.belowFloor = plan.targetTempC < PASTEURISATION_FLOOR_C;
    this.comeUpApplies = !this.belowFloor && plan.categories.some((c) => COME_UP_CATEGORIES.has(c));
  }

  // -------------------------------------------------------------------------------------------
  // Inputs
  // -------------------------------------------------------------------------------------------

  /** A state push (or a replayed journal sample). Observations older than the last one are ignored. */
  observe(obs: Observation): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    const last = this.lastObs;
    if (last && obs.at < last.at) return events;

    if (last && this.processedTo !== null) {
      const unseenGap = obs.at - last.at > this.opts.maxGapMs;
      // If the water got to temperature while the server could not see it, the food may have gone
      // in as early as the moment it stopped seeing: take that moment (the unseen time then counts).
      const unseenBefore = unseenGap || conditionsOf(last).unknown;
      if (unseenBefore && this.foodInAt === null && this.started && this.reachesTemperature(obs))
        this.foodIn(last.at, true, events);
      this.process(this.processedTo, obs.at, unseenGap ? UNSEEN : conditionsOf(last), events);
    } else {
      this.processedTo = obs.at;
    }

    this.lastObs = obs;
    this.follow(obs);
    if (this.foodInAt === null && this.reachesTemperature(obs)) this.foodIn(obs.at, false, events);
    this.evaluate(obs.at, events);
    return events;
  }

  /**
   * Time passes without a state (the periodic timer). Unseen time is processed at once, so the
   * budgets of an offline cooker fire on time; while the last state is recent (≤ maxGapMs) it
   * waits for the next one, which tells how the water went meanwhile.
   */
  advance(now: number): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    const last = this.lastObs;
    if (!last || this.processedTo === null || now <= this.processedTo) return events;
    const unseen = conditionsOf(last).unknown || now - last.at > this.opts.maxGapMs;
    if (!unseen) return events;
    this.process(this.processedTo, now, UNSEEN, events);
    this.evaluate(now, events);
    return events;
  }

  // -------------------------------------------------------------------------------------------
  // Outputs
  // -------------------------------------------------------------------------------------------

  /** The estimated temperature at the centre of the food (0.1 °C), or null before the food went in. */
  coreTempC(): number | null {
    return this.sim ? round1(this.sim.centreC) : null;
  }

  /** Active monitor alerts, for /status `alerts`. */
  alerts(): string[] {
    return ALERT_ORDER.filter((a) => this.active.has(a));
  }

  /** Active alerts with their messages (what a notification or the journal would show). */
  activeAlerts(): Array<{ alert: MonitorAlert; since: number; message: string }> {
    return ALERT_ORDER.filter((a) => this.active.has(a)).map((alert) => {
      const { since, message } = this.active.get(alert) as ActiveAlert;
      return { alert, since, message };
    });
  }

  /** When the food went in (the water first reached the set temperature), or null. */
  foodInTime(): number | null {
    return this.foodInAt;
  }

  /** The `food_safety` object of /status. `now` is only used to word the message. */
  view(now: number): FoodSafetyView {
    const sim = this.sim;
    const limiting = sim ? sim.limitingTarget() : this.targets.length > 0 ? 0 : -1;
    const target = limiting >= 0 ? this.targets[limiting] : null;
    const estimate = this.pasteurisedAt === null ? this.estimatePasteurisedAt() : null;
    return {
      category: CATEGORY_PRIORITY.find((c) => this.plan.categories.includes(c)) ?? null,
      pasteurises: this.floorMinutes !== null && this.plan.timeMinutes >= this.floorMinutes,
      pasteurised: this.pasteurisedAt !== null,
      log_reduction: target === null ? null : round1(sim ? sim.logReduction(limiting) : 0),
      target_log_reduction: target === null ? null : round1(target.logReduction),
      core_temp_celsius: sim ? round1(sim.centreC) : null,
      pasteurised_at: this.pasteurisedAt === null ? null : new Date(this.pasteurisedAt).toISOString(),
      estimated_pasteurised_at: estimate === null ? null : new Date(estimate).toISOString(),
      danger_zone_minutes: Math.round(this.dangerMs / MINUTE),
      message: this.message(now, estimate, target?.pathogen.name ?? null, target?.logReduction ?? null),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Following the cooker
  // -------------------------------------------------------------------------------------------

  private reachesTemperature(obs: Observation): boolean {
    if (obs.mode === 'cooking') return true;
    const running = obs.mode === 'preheating' || obs.mode === 'done';
    return running && obs.waterC !== null && obs.waterC >= this.targetC - ENTRY_TOLERANCE_C;
  }

  /** What a state says about the cook itself: running, timer, the end, an interruption. */
  private follow(obs: Observation): void {
    if (obs.mode === 'preheating' || obs.mode === 'cooking' || obs.mode === 'done') this.started = true;
    if (obs.mode === 'cooking' && obs.timerRemainingSeconds !== null)
      this.timerEndAt = obs.at + obs.timerRemainingSeconds * 1000;
    if (obs.mode === 'cooking' && obs.timerRemainingSeconds !== null && obs.timerRemainingSeconds > 0) {
      // Time added on the device after the timer ran out: the cook runs again, with a timer to run out.
      this.timerRanOut = false;
      this.timerRanOutAt = null;
    }
    const ranOut =
      obs.mode === 'done' ||
      (obs.mode === 'cooking' && obs.timerRemainingSeconds !== null && obs.timerRemainingSeconds <= 0);
    if (ranOut && !this.timerRanOut) {
      this.timerRanOut = true;
      this.timerRanOutAt = obs.at;
    }
    if (!this.started) return;
    if (obs.mode === 'idle' && this.timerRanOut) this.finished = true;
    if (!this.timerRanOut && !this.interruption && (obs.mode === 'idle' || obs.mode === 'offline')) {
      this.interruption = { at: obs.at, how: obs.mode };
    }
  }

  private foodIn(at: number, assumed: boolean, events: MonitorEvent[]): void {
    this.foodInAt = at;
    this.foodInAssumed = assumed;
    const grid = gridFor(this.profile.thermal, this.thicknessMm);
    this.sim = new CoreSimulation(grid, this.targets);
    this.scratch = new CoreSimulation(grid, this.targets);
    events.push({
      at,
      type: 'temperature_reached',
      detail: {
        target_celsius: this.targetC,
        water_celsius: this.lastObs?.waterC ?? null,
        ...(assumed && {
          assumed: 'the server could not see the cooker when the water got there; the earliest possible time is used',
        }),
      },
    });
    // A food-in placed before time already processed (a gap before the first state at
    // temperature): that stretch was unseen, so it is counted as such now.
    const processed = this.processedTo;
    if (processed !== null && processed > at) {
      this.processedTo = at;
      this.process(at, processed, UNSEEN, events);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Advancing the model and the clocks
  // -------------------------------------------------------------------------------------------

  private process(from: number, to: number, cond: Conditions, events: MonitorEvent[]): void {
    for (let t = from; t < to;) {
      const end = Math.min(to, t + MAX_SLICE_MS);
      this.slice(t, end, cond);
      this.processedTo = end;
      if (end < to) this.evaluate(end, events); // alerts due inside a long span get their own time
      t = end;
    }
    this.processedTo = Math.max(this.processedTo ?? to, to);
  }

  private slice(from: number, to: number, cond: Conditions): void {
    const sim = this.sim;
    const foodInAt = this.foodInAt;
    if (!sim || foodInAt === null || to <= foodInAt || this.finished) return;
    const start = Math.max(from, foodInAt);
    const ms = to - start;
    const water = cond.unknown || cond.waterC === null ? AMBIENT_C : cond.waterC;
    const heaterOff = this.heaterOff(cond);
    const waterLow = this.waterLow(cond);

    const before = sim.centreC;
    sim.advance(ms / 1000, water, !this.belowFloorNow(cond));
    const after = sim.centreC;

    if (heaterOff || inDangerZone(before) || inDangerZone(after)) this.dangerMs += ms;
    if (cond.unknown) this.unseenMs += ms;
    if (heaterOff || waterLow) this.heatLostMs += ms;
    if (this.comeUpPassedAt === null && after >= DANGER_ZONE_HIGH_C) this.comeUpPassedAt = to;
    if (this.modelReachedAt === null && sim.reachedTargets()) this.modelReachedAt = to;
  }

  /**
   * Heat lost (budget c) from the heater's side: the cooker idle before its timer ran out, or not
   * seen at all (offline, unknown, a gap), whether or not the timer had run out: a cooker holding
   * `done` that goes dark may be a power cut, and the two-hour rule applies pasteurised or not.
   */
  private heaterOff(cond: Conditions): boolean {
    return cond.unknown || (cond.mode === 'idle' && !this.timerRanOut);
  }

  /** Heat lost from the water's side: measured more than 1.0 °C below the plan's set temperature. */
  private waterLow(cond: Conditions): boolean {
    return !cond.unknown && cond.waterC !== null && cond.waterC < this.targetC - LOW_WATER_MARGIN_C;
  }

  /**
   * A below-55 °C cook right now (docs/food-safety.md §6.2: below 55 °C food is not pasteurised,
   * and FS-7's 4 hours apply): planned below 55 °C, set below it on the device, or the water
   * measured below it by more than the Anova's 0.3 °C (so a bath held at 55.0 °C that reads 54.9
   * is not). No lethality is credited while this holds.
   */
  private belowFloorNow(cond: Conditions): boolean {
    if (this.belowFloor) return true;
    if (cond.unknown) return false;
    if (setBelowFloor(cond)) return true;
    return cond.waterC !== null && cond.waterC < PASTEURISATION_FLOOR_C - ENTRY_TOLERANCE_C;
  }

  /**
   * Budget (a) applies: a below-55 °C cook, except water more than 1 °C below a set point at or
   * above 55 °C, which is heat lost (budget c, 2 hours): a lid left off for ten minutes late in a
   * long 57 °C cook must not make its food-in time count as a 4-hour below-55 °C cook.
   */
  private belowFloorBudgetApplies(cond: Conditions): boolean {
    if (!this.belowFloorNow(cond)) return false;
    if (this.belowFloor || setBelowFloor(cond)) return true;
    return !this.waterLow(cond);
  }

  // -------------------------------------------------------------------------------------------
  // Alerts
  // -------------------------------------------------------------------------------------------

  private evaluate(now: number, events: MonitorEvent[]): void {
    const reading = this.lastObs ? conditionsOf(this.lastObs) : UNSEEN;

    // pasteurised (an event, not an alert): the model's lethality reached the targets, nothing else
    if (this.pasteurisedAt === null && this.modelReachedAt !== null && this.floorMinutes !== null) {
      const at = this.modelReachedAt;
      this.pasteurisedAt = at;
      const limiting = this.sim ? this.sim.limitingTarget() : -1;
      events.push({
        at,
        type: 'pasteurised',
        detail: {
          pasteurised: true,
          ...(limiting >= 0 &&
            this.sim && {
              pathogen: this.targets[limiting].pathogen.name,
              log_reduction: round1(this.sim.logReduction(limiting)),
              target_log_reduction: round1(this.targets[limiting].logReduction),
            }),
          core_celsius: this.sim ? round1(this.sim.centreC) : null,
        },
      });
    }

    // temperature_drop: measured water more than 1 °C low for longer than the drop delay, once it had reached temperature
    // Only while the cooker should be heating: idle or offline is cook_interrupted's to report.
    const heating = reading.mode === 'preheating' || reading.mode === 'cooking' || reading.mode === 'done';
    const low =
      this.foodInAt !== null &&
      !this.finished &&
      heating &&
      reading.waterC !== null &&
      reading.waterC < this.targetC - LOW_WATER_MARGIN_C;
    const delayMs = this.opts.dropAlertSeconds * 1000;
    if (low) {
      this.lowSince ??= this.lastObs?.at ?? now;
      this.backSince = null;
      if (now - this.lowSince > delayMs) {
        this.raise('temperature_drop', now, events, this.dropMessage(reading.waterC as number, now - this.lowSince), {
          water_celsius: reading.waterC,
          target_celsius: this.targetC,
        });
      }
    } else if (this.finished || (!reading.unknown && !heating)) {
      this.lowSince = null;
      this.backSince = null;
      this.clear('temperature_drop', now, events, 'the cooker is not heating any more');
    } else if (!reading.unknown) {
      // Cleared once the water has stayed back for as long as it had to stay low to raise it.
      this.lowSince = null;
      if (this.active.has('temperature_drop')) {
        this.backSince ??= this.lastObs?.at ?? now;
        if (now - this.backSince >= delayMs) {
          this.backSince = null;
          this.clear('temperature_drop', now, events, 'the water is back at temperature');
        }
      }
    }

    // cook_interrupted: sticky until the next start or stop (the service ends the monitor then)
    if (this.interruption) {
      this.raise('cook_interrupted', this.interruption.at, events, this.interruptedMessage(this.interruption.how), {
        how: this.interruption.how,
      });
    }

    if (this.exempt || this.foodInAt === null || this.finished) return;
    this.evaluateBudgets(now, events);
  }

  private evaluateBudgets(now: number, events: MonitorEvent[]): void {
    const foodInAt = this.foodInAt as number;
    const pasteurised = this.pasteurisedAt !== null;
    const exhausted: Array<{ budget: Budget; message: string }> = [];
    const atRisk: Array<{ budget: Budget; endsAt: number; message: string }> = [];

    // (a) below 55 °C (planned, or set or measured there now): 4 hours from food-in, unless pasteurised
    const reading = this.lastObs ? conditionsOf(this.lastObs) : UNSEEN;
    if (!pasteurised && this.belowFloorBudgetApplies(reading)) {
      const endsAt = foodInAt + BELOW_FLOOR_BUDGET_MINUTES * MINUTE;
      if (now > endsAt + FOOD_IN_GRACE_MS)
        exhausted.push({ budget: 'below_55', message: this.discardMessage('below_55') });
      else if (
        now >= endsAt - WARNING_LEAD_MINUTES * MINUTE &&
        this.projectedEnd(now, foodInAt) > endsAt + FOOD_IN_GRACE_MS
      ) {
        atRisk.push({ budget: 'below_55', endsAt, message: this.atRiskMessage('below_55', endsAt) });
      }
    }

    // (b) come-up: the centre past 54.4 °C within 6 hours of food-in (model time, as FS-8 counts it)
    if (this.comeUpApplies && this.comeUpPassedAt === null && this.sim) {
      const simMinutes = this.sim.elapsedSeconds / 60;
      const endsAt = foodInAt + COME_UP_LIMIT_MINUTES * MINUTE;
      if (simMinutes > COME_UP_LIMIT_MINUTES)
        exhausted.push({ budget: 'come_up', message: this.discardMessage('come_up') });
      else if (simMinutes >= COME_UP_LIMIT_MINUTES - WARNING_LEAD_MINUTES && !this.comesUpInTime(now)) {
        atRisk.push({ budget: 'come_up', endsAt, message: this.atRiskMessage('come_up', endsAt) });
      }
    }

    // (c) heat lost: 2 hours in total, pasteurised or not
    const lostMinutes = this.heatLostMs / MINUTE;
    if (lostMinutes > HEAT_LOST_BUDGET_MINUTES)
      exhausted.push({ budget: 'heat_lost', message: this.discardMessage('heat_lost') });
    else if (lostMinutes >= HEAT_LOST_BUDGET_MINUTES - WARNING_LEAD_MINUTES && this.losingHeatNow()) {
      const endsAt = now + (HEAT_LOST_BUDGET_MINUTES - lostMinutes) * MINUTE;
      atRisk.push({ budget: 'heat_lost', endsAt, message: this.atRiskMessage('heat_lost', endsAt) });
    }

    if (exhausted.length > 0) {
      const first = exhausted[0];
      this.raise('discard_food', now, events, first.message, {
        budget: first.budget,
        budgets: exhausted.map((e) => e.budget),
      });
      this.clear('food_safety_at_risk', now, events, 'superseded by discard_food');
      this.onTrackSince = null;
      return;
    }
    if (this.active.has('discard_food')) return; // a budget that ran out stays run out
    if (atRisk.length > 0) {
      this.onTrackSince = null;
      const soonest = atRisk.reduce((a, b) => (b.endsAt < a.endsAt ? b : a));
      this.raise('food_safety_at_risk', now, events, soonest.message, {
        budget: soonest.budget,
        budget_ends_at: new Date(soonest.endsAt).toISOString(),
      });
    } else if (this.active.has('food_safety_at_risk')) {
      // Hysteresis: cleared only once no budget has been at risk for dropAlertSeconds on end, so water
      // swinging across a threshold (1 °C low, the come-up projection) keeps it raised instead of
      // raising and clearing it, each a journal event and a notification, on every push.
      this.onTrackSince ??= now;
      if (now - this.onTrackSince >= this.opts.dropAlertSeconds * 1000) {
        this.onTrackSince = null;
        this.clear('food_safety_at_risk', now, events, 'back on track');
      }
    }
  }

  /**
   * When the food is expected out, for budget (a): the timer's end while it cooks. Done and still
   * holding counts as staying in, once it has held for longer than the grace (at the very moment
   * the timer runs out, the food is coming out as planned). Idle, offline or unknown: no end in sight.
   */
  private projectedEnd(now: number, foodInAt: number): number {
    const reading = this.lastObs;
    if (!reading) return Infinity;
    if (this.timerRanOutAt !== null) return now - this.timerRanOutAt < FOOD_IN_GRACE_MS ? this.timerRanOutAt : Infinity;
    if (reading.mode !== 'cooking' && reading.mode !== 'preheating') return Infinity;
    return this.timerEndAt ?? foodInAt + this.plan.timeMinutes * MINUTE;
  }

  private losingHeatNow(): boolean {
    const reading = this.lastObs ? conditionsOf(this.lastObs) : UNSEEN;
    return this.heaterOff(reading) || this.waterLow(reading);
  }

  /** Budget (b): from the current state at the current water, does the centre pass 54.4 °C by 6 h? Cached. */
  private comesUpInTime(now: number): boolean {
    const water = this.currentModelWater();
    const cache = this.comeUpCache;
    if (cache && now - cache.at < PROJECTION_REFRESH_MS && sameWater(cache.waterC, water)) return cache.inTime;
    const sim = this.sim as CoreSimulation;
    const scratch = this.scratch as CoreSimulation;
    scratch.copyFrom(sim);
    const leftSeconds = COME_UP_LIMIT_MINUTES * 60 - sim.elapsedSeconds;
    const seconds = runUntilCoreReaches(scratch, water ?? AMBIENT_C, DANGER_ZONE_HIGH_C, Math.max(0, leftSeconds));
    const inTime = seconds !== null && sim.elapsedSeconds + seconds <= COME_UP_LIMIT_MINUTES * 60;
    this.comeUpCache = { at: now, waterC: water, inTime };
    return inTime;
  }

  /** The water the model should run on from now: the last reading, or null when unseen. */
  private currentModelWater(): number | null {
    const reading = this.lastObs ? conditionsOf(this.lastObs) : UNSEEN;
    return reading.unknown ? null : reading.waterC;
  }

  /**
   * estimated_pasteurised_at: the model run forward from the current state at the current water
   * temperature until the flag's targets are reached. None while the cook is below 55 °C (nothing is
   * credited there). Cached: recomputed after a minute of cook time or when the water moved by more
   * than 0.2 °C.
   */
  private estimatePasteurisedAt(): number | null {
    if (this.floorMinutes === null || this.foodInAt === null || !this.sim || this.finished) return null;
    if (this.modelReachedAt !== null) return this.modelReachedAt;
    if (this.belowFloorNow(this.lastObs ? conditionsOf(this.lastObs) : UNSEEN)) return null;
    const water = this.currentModelWater();
    const now = this.processedTo as number;
    const cache = this.estimateCache;
    if (cache && now - cache.at < PROJECTION_REFRESH_MS && sameWater(cache.waterC, water)) return cache.value;
    let value: number | null = null;
    if (water !== null && water > PROJECTION_MIN_WATER_C) {
      const seconds = projectPasteurisation(this.scratch as CoreSimulation, this.sim, water);
      if (seconds !== null) value = this.foodInAt + (this.sim.elapsedSeconds + seconds) * 1000;
    }
    this.estimateCache = { at: now, waterC: water, value };
    return value;
  }

  private raise(
    alert: MonitorAlert,
    at: number,
    events: MonitorEvent[],
    message: string,
    extra: Record<string, unknown>,
  ): void {
    if (this.active.has(alert)) return;
    const detail = { alert, message, ...extra };
    this.active.set(alert, { since: at, message, detail });
    events.push({ at, type: 'alert_raised', detail });
  }

  private clear(alert: MonitorAlert, at: number, events: MonitorEvent[], reason: string): void {
    if (!this.active.delete(alert)) return;
    events.push({ at, type: 'alert_cleared', detail: { alert, reason } });
  }

  // -------------------------------------------------------------------------------------------
  // Messages: what happened and what to do, short enough for a phone's lock screen
  // -------------------------------------------------------------------------------------------

  /** The food as a sentence names it: "the chicken breast" ("Throw the chicken breast away"). */
  private food(): string {
    return this.plan.foodType ? `the ${this.plan.foodType}` : 'the food';
  }

  private dropMessage(waterC: number, lowForMs: number): string {
    return (
      `The water is at ${celsius(waterC)}, more than ${LOW_WATER_MARGIN_C.toFixed(0)} °C below the set ${celsius(this.targetC)}, ` +
      `and has been for ${duration(lowForMs / MINUTE)}. Check the lid, the water level and that the cooker is heating; ` +
      `time with the water low counts against the 2-hour limit for food without heat.`
    );
  }

  private interruptedMessage(how: 'idle' | 'offline'): string {
    const what =
      how === 'idle'
        ? 'The cooker stopped heating before the timer ran out (it was switched off on the device or in the Anova app).'
        : 'The cooker went offline before the timer ran out (power cut, unplugged or a fault), so it may not be heating.';
    const food =
      this.exempt || this.foodInAt === null
        ? ''
        : ` The food may be sitting in cooling water: restart the cook now, or take the food out and refrigerate it. After 2 hours without heat in total it must be thrown away.`;
    return what + food;
  }

  private atRiskMessage(budget: Budget, endsAt: number): string {
    switch (budget) {
      case 'below_55':
        return (
          `Food cooked below ${celsius(PASTEURISATION_FLOOR_C)} must come out and be eaten within 4 hours of going in, by ` +
          `${clockUtc(endsAt)}, but this cook is set to go on longer. Take ${this.food()} out and serve it by then.`
        );
      case 'come_up':
        return (
          `The centre of ${this.food()} is still below 54.4 °C and, at the current water temperature, will not get there by ` +
          `${clockUtc(endsAt)}, 6 hours after it went in (the limit for warming up). Raise the temperature or check the cooker now.`
        );
      case 'heat_lost':
        return (
          `${capitalise(this.food())} has been without proper heat for ${duration(this.heatLostMs / MINUTE)} in total. ` +
          `At ${clockUtc(endsAt)} it reaches the 2-hour limit and must be thrown away: get the cooker heating again, or take ` +
          `the food out and refrigerate it now.`
        );
    }
  }

  private discardMessage(budget: Budget): string {
    const food = capitalise(this.food());
    switch (budget) {
      case 'below_55':
        return (
          `Throw ${this.food()} away: it has been in water below ${celsius(PASTEURISATION_FLOOR_C)} for more than 4 hours, ` +
          `long enough for bacteria such as C. perfringens to grow to unsafe levels. Do not eat it.`
        );
      case 'come_up':
        return (
          `Throw ${this.food()} away: its centre did not pass 54.4 °C within 6 hours, so bacteria had too long to grow before ` +
          `the heat could kill them. Do not eat it.`
        );
      case 'heat_lost':
        return (
          `Throw ${this.food()} away: it has been without proper heat for more than 2 hours in total, long enough for ` +
          `bacteria to grow to unsafe levels (USDA two-hour rule). ${food === 'The food' ? 'It' : food} is not safe to eat, ` +
          `even if cooked again.`
        );
    }
  }

  private message(now: number, estimate: number | null, pathogen: string | null, targetLog: number | null): string {
    const discard = this.active.get('discard_food');
    if (discard) return discard.message;
    const notes: string[] = [];
    if (this.unseenMs >= MINUTE) {
      notes.push(
        `The server could not see the cooker for ${duration(this.unseenMs / MINUTE)}; that time is counted as danger time ` +
          `and as time without heat.`,
      );
    }
    if (this.foodInAssumed)
      notes.push('The food is assumed to have gone in when the server last saw the cooker before that gap.');
    const tail = notes.length > 0 ? ` ${notes.join(' ')}` : '';

    if (this.foodInAt === null) {
      return (
        `Waiting for the water to reach ${celsius(this.targetC)}; the food-safety clock starts when it does (the food is ` +
        `assumed to go in then, at 5 °C).${tail}`
      );
    }
    if (this.exempt) return `No pasteurisation needed for ${this.food()}.${tail}`;
    if (this.pasteurisedAt !== null) {
      const byRules = this.targets.some((t, j) => t.logReduction < this.profile.targets[j].logReduction);
      const rulesTime = byRules
        ? `, what the rules' ${this.floorMinutes} minutes at ${celsius(this.targetC)} give by the model`
        : '';
      const what =
        pathogen && targetLog !== null
          ? ` (a ${targetLog.toFixed(1)}-log reduction of ${pathogen} at the centre${rulesTime})`
          : '';
      return `Pasteurised at ${clockUtc(this.pasteurisedAt)}${what}.${tail}`;
    }
    if (this.floorMinutes === null) {
      const serveBy = this.foodInAt + BELOW_FLOOR_BUDGET_MINUTES * MINUTE;
      return this.belowFloor
        ? `Not pasteurised: below ${celsius(PASTEURISATION_FLOOR_C)} food is not. Take it out and serve it by ${clockUtc(serveBy)}, 4 hours after it went in.${tail}`
        : `Not pasteurised: ${this.food()} cannot be pasteurised at ${celsius(this.targetC)}.${tail}`;
    }
    const reading = this.lastObs ? conditionsOf(this.lastObs) : UNSEEN;
    if (this.belowFloorNow(reading)) {
      const serveBy = this.foodInAt + BELOW_FLOOR_BUDGET_MINUTES * MINUTE;
      const where =
        reading.setC !== null && setBelowFloor(reading)
          ? `the cooker is set to ${celsius(reading.setC)}`
          : `the water is at ${celsius(reading.waterC as number)}`;
      return (
        `Not pasteurised: ${where}, and below ${celsius(PASTEURISATION_FLOOR_C)} food is not. Set it back to ` +
        `${celsius(this.targetC)}, or take the food out and serve it by ${clockUtc(serveBy)}, 4 hours after it went in.${tail}`
      );
    }
    if (estimate !== null) {
      // Compared with the timer's end (the device's, when it said), not the planned minutes.
      const timerEnd = this.timerEndAt ?? this.foodInAt + this.plan.timeMinutes * MINUTE;
      const afterTimer = this.timerRanOut
        ? ' (the timer has run out: leave it in until then if it must be pasteurised)'
        : estimate > timerEnd
          ? ' (after the timer ends: leave it in longer if it must be pasteurised)'
          : '';
      return `Not pasteurised yet; at the current water temperature it will be by ${clockUtc(Math.max(estimate, now))}${afterTimer}.${tail}`;
    }
    const water = this.currentModelWater();
    return water === null
      ? `Not pasteurised yet; the cooker is not reporting the water temperature, so there is no estimate.${tail}`
      : `Not pasteurised yet, and at the current water temperature (${celsius(water)}) it will not be soon: bring the water back to ${celsius(this.targetC)}.${tail}`;
  }
}

// ---------------------------------------------------------------------------------------------

function conditionsOf(obs: Observation): Conditions {
  const unknown = obs.mode === 'offline' || obs.mode === 'unknown' || obs.waterC === null;
  return { unknown, waterC: unknown ? null : obs.waterC, mode: obs.mode, setC: unknown ? null : obs.targetC };
}

/** The cooker reports a set temperature below 55 °C (to 0.1 °C, as plans are: a °F display's 54.99 is 55.0). */
function setBelowFloor(cond: Conditions): boolean {
  return !cond.unknown && cond.setC !== null && round1(cond.setC) < PASTEURISATION_FLOOR_C;
}

function inDangerZone(celsiusValue: number): boolean {
  return celsiusValue >= DANGER_ZONE_LOW_C && celsiusValue < DANGER_ZONE_HIGH_C;
}

function sameWater(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= PROJECTION_WATER_DELTA_C;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Seconds until every target is reached if the water stays at `waterC`, from `from`'s state
 * (copied into `scratch`). Once the centre is within 0.01 °C of the water the rest is worked out
 * directly (the rate no longer changes), so an estimate costs at most a few thousand steps.
 */
function projectPasteurisation(scratch: CoreSimulation, from: CoreSimulation, waterC: number): number | null {
  scratch.copyFrom(from);
  const start = scratch.elapsedSeconds;
  while (!scratch.reachedTargets()) {
    if (scratch.elapsedSeconds - start >= PROJECTION_CAP_SECONDS) return null;
    if (Math.abs(waterC - scratch.centreC) < 0.01) {
      let rest = 0;
      scratch.targets.forEach((target, j) => {
        const missing = target.logReduction - scratch.logReduction(j);
        if (missing > 0) rest = Math.max(rest, missing / lethalRate(target, scratch.centreC));
      });
      const total = scratch.elapsedSeconds - start + rest;
      return total <= PROJECTION_CAP_SECONDS ? total : null;
    }
    scratch.step(waterC);
  }
  return scratch.elapsedSeconds - start;
}
