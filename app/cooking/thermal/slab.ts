/**
 * 1-D heat conduction into a piece of food in a water bath, and the pathogen log reduction at
 * its centre (the slowest-heating point, by symmetry).
 *
 * The equation: ∂T/∂t = α (∂²T/∂r² + (β/r) ∂T/∂r) on 0 ≤ r ≤ R = thickness / 2, with
 * ∂T/∂r = 0 at the centre and k ∂T/∂r = h (T_water − T) at the surface; β = 0 is an infinite slab
 * (see shapeFactor in ./parameters).
 *
 * Discretisation: finite volumes on GRID_INTERVALS equal intervals (nodes at the centre, the
 * surface and between; half cells at both ends), backward Euler in time. Backward Euler is
 * unconditionally stable and monotone: the food can never get hotter than the water or overshoot,
 * whatever the step. Each step is one tridiagonal solve whose elimination factors are computed
 * once per (food, thickness), so a step costs about 5 multiply-adds per node and allocates nothing.
 *
 * Time step: 1/100 of the diffusion time R²/α, at most 30 s. That is 0.5 s for a 5 mm cut (heat
 * crosses it in a minute) and 30 s for anything over about 35 mm. The tests check that halving
 * both the step and the grid changes predicted times by well under 1 %.
 */
import {
  BATH_HEAT_TRANSFER,
  INITIAL_FOOD_C,
  shapeFactor,
  type PathogenTarget,
  type ThermalProperties,
} from './parameters';

/** Intervals between the centre and the surface. */
export const GRID_INTERVALS = 20;
/** Time step as a fraction of the diffusion time R²/α ... */
export const STEP_FRACTION_OF_DIFFUSION_TIME = 1 / 100;
/** ... but never longer than this (the monitor's clock resolution and lethality integration). */
export const MAX_STEP_SECONDS = 30;

const LN10 = Math.log(10);

/** The precomputed matrix of one (food, thickness): shared by every simulation of it. */
export class SlabGrid {
  readonly nodes: number;
  readonly dtSeconds: number;
  /** Sub-diagonal (a), and the elimination factors of the Thomas algorithm (c′ and 1/m). */
  private readonly lower: Float64Array;
  private readonly upperPrime: Float64Array;
  private readonly inversePivot: Float64Array;
  /** Surface coupling: the surface node's right-hand side gains surfaceGain × T_water. */
  readonly surfaceGain: number;
  /** Volume of each node's cell (per unit area of a slab face; r^β-weighted otherwise). */
  readonly volumes: Float64Array;

  constructor(
    readonly thermal: ThermalProperties,
    readonly thicknessMm: number,
    options: { intervals?: number; stepFraction?: number; maxStepSeconds?: number } = {},
  ) {
    if (!(thicknessMm > 0)) throw new RangeError(`thickness must be positive; got ${thicknessMm} mm`);
    const n = options.intervals ?? GRID_INTERVALS;
    const alpha = thermal.diffusivity;
    const radius = thicknessMm / 2000; // half the thickness, in metres
    const dx = radius / n;
    this.nodes = n + 1;
    this.dtSeconds = Math.min(
      options.maxStepSeconds ?? MAX_STEP_SECONDS,
      ((radius * radius) / alpha) * (options.stepFraction ?? STEP_FRACTION_OF_DIFFUSION_TIME),
    );
    const dt = this.dtSeconds;
    const beta = shapeFactor(thicknessMm);
    const area = (r: number) => Math.pow(r, beta); // face area per unit, r^β (1 for a slab)

    // Finite-volume coefficients: node i owns [r(i-½), r(i+½)] clipped to [0, R].
    const a = new Float64Array(this.nodes);
    const b = new Float64Array(this.nodes);
    const c = new Float64Array(this.nodes);
    let surfaceGain = 0;
    this.volumes = new Float64Array(this.nodes);
    for (let i = 0; i <= n; i++) {
      const left = Math.max(0, (i - 0.5) * dx);
      const right = Math.min(radius, (i + 0.5) * dx);
      const volume = (Math.pow(right, beta + 1) - Math.pow(left, beta + 1)) / (beta + 1);
      this.volumes[i] = volume;
      const west = i > 0 ? (dt * alpha * area(left)) / dx / volume : 0;
      const east = i < n ? (dt * alpha * area(right)) / dx / volume : 0;
      a[i] = -west;
      c[i] = -east;
      b[i] = 1 + west + east;
      if (i === n) {
        // Convective surface: heat flux h (T_water − T) through area(R), divided by ρc = k/α.
        surfaceGain = (dt * (BATH_HEAT_TRANSFER / thermal.conductivity) * alpha * area(radius)) / volume;
        b[i] += surfaceGain;
      }
    }
    this.surfaceGain = surfaceGain;

    // Thomas algorithm, elimination part (the matrix never changes, only the right-hand side).
    this.lower = a;
    this.upperPrime = new Float64Array(this.nodes);
    this.inversePivot = new Float64Array(this.nodes);
    let pivot = b[0];
    this.inversePivot[0] = 1 / pivot;
    this.upperPrime[0] = c[0] / pivot;
    for (let i = 1; i <= n; i++) {
      pivot = b[i] - a[i] * this.upperPrime[i - 1];
      this.inversePivot[i] = 1 / pivot;
      this.upperPrime[i] = c[i] / pivot;
    }
  }

  /** One backward-Euler step of `temps` in place; `scratch` is a work array of the same length. */
  step(temps: Float64Array, scratch: Float64Array, waterC: number): void {
    const last = this.nodes - 1;
    const { lower, upperPrime, inversePivot } = this;
    scratch[0] = temps[0] * inversePivot[0];
    for (let i = 1; i < last; i++) scratch[i] = (temps[i] - lower[i] * scratch[i - 1]) * inversePivot[i];
    scratch[last] = (temps[last] + this.surfaceGain * waterC - lower[last] * scratch[last - 1]) * inversePivot[last];
    temps[last] = scratch[last];
    for (let i = last - 1; i >= 0; i--) temps[i] = scratch[i] - upperPrime[i] * temps[i + 1];
  }
}

const grids = new Map<string, SlabGrid>();
const MAX_CACHED_GRIDS = 512;

/** The grid of a food and thickness, built once (a request may carry any thickness: the cache is capped). */
export function gridFor(thermal: ThermalProperties, thicknessMm: number): SlabGrid {
  const key = `${thermal.name}:${thicknessMm}`;
  let grid = grids.get(key);
  if (!grid) {
    if (grids.size >= MAX_CACHED_GRIDS) grids.clear();
    grid = new SlabGrid(thermal, thicknessMm);
    grids.set(key, grid);
  }
  return grid;
}

/**
 * The temperatures inside one piece of food and the log reduction at its centre, advanced in
 * fixed steps of the grid's dt with a given water temperature. Time handed to `advance` that does
 * not fill a whole step is carried to the next call, so any sequence of calls with the same water
 * temperature gives exactly the same result as one call with their total.
 */
export class CoreSimulation {
  readonly temps: Float64Array;
  private readonly scratch: Float64Array;
  private readonly logs: Float64Array;
  /** Lethal rate 1/D(T) (per second) at the centre at the end of the last step, per target. */
  private readonly lastRates: Float64Array;
  private carrySeconds = 0;
  /** Simulated seconds since `reset` (whole steps only). */
  elapsedSeconds = 0;

  constructor(
    readonly grid: SlabGrid,
    readonly targets: readonly PathogenTarget[],
  ) {
    this.temps = new Float64Array(grid.nodes);
    this.scratch = new Float64Array(grid.nodes);
    this.logs = new Float64Array(targets.length);
    this.lastRates = new Float64Array(targets.length);
    this.reset();
  }

  /** Food at a uniform temperature (5 °C from the fridge), nothing killed yet. */
  reset(initialC: number = INITIAL_FOOD_C): void {
    this.temps.fill(initialC);
    this.logs.fill(0);
    this.carrySeconds = 0;
    this.elapsedSeconds = 0;
    for (let j = 0; j < this.targets.length; j++) this.lastRates[j] = lethalRate(this.targets[j], initialC);
  }

  /** Makes this simulation an exact copy of `other` (same grid and targets), without allocating. */
  copyFrom(other: CoreSimulation): void {
    this.temps.set(other.temps);
    this.logs.set(other.logs);
    this.lastRates.set(other.lastRates);
    this.carrySeconds = other.carrySeconds;
    this.elapsedSeconds = other.elapsedSeconds;
  }

  /**
   * Advances by `seconds` of water at `waterC`; returns the number of whole steps taken.
   * `credit` false: the food heats or cools as usual but no log reduction is counted (the monitor's
   * "below 55 °C nothing is credited", docs/food-safety.md §6.2).
   */
  advance(seconds: number, waterC: number, credit = true): number {
    this.carrySeconds += seconds;
    const dt = this.grid.dtSeconds;
    let steps = 0;
    // The small tolerance keeps 2 s + 2 s + ... from losing a step to binary rounding.
    while (this.carrySeconds >= dt - 1e-9) {
      this.step(waterC, credit);
      this.carrySeconds -= dt;
      steps++;
    }
    if (this.carrySeconds < 0) this.carrySeconds = 0;
    return steps;
  }

  /** One step of the grid's dt (`credit` as for advance). */
  step(waterC: number, credit = true): void {
    this.grid.step(this.temps, this.scratch, waterC);
    const dt = this.grid.dtSeconds;
    const centre = this.temps[0];
    for (let j = 0; j < this.targets.length; j++) {
      const rate = lethalRate(this.targets[j], centre);
      if (credit) this.logs[j] += 0.5 * (this.lastRates[j] + rate) * dt; // trapezoidal rule over the step
      this.lastRates[j] = rate;
    }
    this.elapsedSeconds += dt;
  }

  get centreC(): number {
    return this.temps[0];
  }

  get surfaceC(): number {
    return this.temps[this.temps.length - 1];
  }

  /** Volume-weighted mean temperature of the food (its heat content, for energy checks). */
  meanC(): number {
    const volumes = this.grid.volumes;
    let sum = 0;
    let total = 0;
    for (let i = 0; i < volumes.length; i++) {
      sum += volumes[i] * this.temps[i];
      total += volumes[i];
    }
    return sum / total;
  }

  /** Log10 reduction so far of target `targetIndex` at the centre. */
  logReduction(targetIndex: number): number {
    return this.logs[targetIndex];
  }

  /** The least-advanced target as a fraction of its goal (≥ 1: every target reached); 1 when none. */
  progress(): number {
    let least = Infinity;
    for (let j = 0; j < this.targets.length; j++) least = Math.min(least, this.logs[j] / this.targets[j].logReduction);
    return least === Infinity ? 1 : least;
  }

  /** Index of the least-advanced target, or -1 when there is none. */
  limitingTarget(): number {
    let index = -1;
    let least = Infinity;
    for (let j = 0; j < this.targets.length; j++) {
      const fraction = this.logs[j] / this.targets[j].logReduction;
      if (fraction < least) {
        least = fraction;
        index = j;
      }
    }
    return index;
  }

  /** Every target reached (false when there is none to reach). */
  reachedTargets(): boolean {
    return this.targets.length > 0 && this.progress() >= 1;
  }
}

/** 1/D(T) in log10 reductions per second. */
export function lethalRate(target: PathogenTarget, celsius: number): number {
  const { dRefMinutes, refC, zC } = target.pathogen;
  return Math.exp(((celsius - refC) / zC) * LN10) / (dRefMinutes * 60);
}
