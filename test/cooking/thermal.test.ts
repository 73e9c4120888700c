import {
  CoreSimulation,
  DANGER_ZONE_HIGH_C,
  MEAT_PROFILE,
  MEAT_THERMAL,
  POULTRY_PROFILE,
  SlabGrid,
  gridFor,
  lethalRate,
  modelMinutesToComeUp,
  modelMinutesToPasteurise,
  profileFor,
  runUntilCoreReaches,
  runUntilPasteurised,
  shapeFactor,
  BATH_HEAT_TRANSFER,
  type FoodProfile,
} from '../../app/cooking/thermal';

const PROFILES: Array<[string, FoodProfile]> = [
  ['poultry', POULTRY_PROFILE],
  ['meat', MEAT_PROFILE],
  ['unknown', profileFor(['unknown'])],
];

describe('the slab model', () => {
  test.each(PROFILES)('%s: a hotter bath never takes longer (pasteurise and come-up)', (_name, profile) => {
    for (const mm of [5, 25, 40, 70, 100]) {
      let previous = Infinity;
      let previousComeUp = Infinity;
      for (let t = 55; t <= 80; t += 1) {
        const minutes = modelMinutesToPasteurise(profile, t, mm) as number;
        expect(minutes).toBeLessThanOrEqual(previous);
        previous = minutes;
        const comeUp = modelMinutesToComeUp(profile, t, mm) as number;
        expect(comeUp).toBeLessThanOrEqual(previousComeUp);
        previousComeUp = comeUp;
      }
    }
  });

  test.each(PROFILES)('%s: a thicker cut never takes less (across the slab-to-shape ramp too)', (_name, profile) => {
    for (const t of [57, 60, 65]) {
      let previous = 0;
      let previousComeUp = 0;
      for (let mm = 5; mm <= 100; mm += 2.5) {
        const minutes = modelMinutesToPasteurise(profile, t, mm) as number;
        expect(minutes).toBeGreaterThanOrEqual(previous);
        previous = minutes;
        const comeUp = modelMinutesToComeUp(profile, t, mm) as number;
        expect(comeUp).toBeGreaterThanOrEqual(previousComeUp);
        previousComeUp = comeUp;
      }
    }
  });

  test('the shape factor is an infinite slab up to 30 mm and ramps to 0.28 at 50 mm', () => {
    expect(shapeFactor(5)).toBe(0);
    expect(shapeFactor(30)).toBe(0);
    expect(shapeFactor(40)).toBeCloseTo(0.14, 10);
    expect(shapeFactor(50)).toBe(0.28);
    expect(shapeFactor(100)).toBe(0.28);
  });

  test('converges with grid refinement: halving the grid and the step changes times by well under 1 %', () => {
    const cases: Array<[FoodProfile, number, number]> = [
      [POULTRY_PROFILE, 57, 5],
      [POULTRY_PROFILE, 65, 5],
      [POULTRY_PROFILE, 60, 25],
      [MEAT_PROFILE, 66, 10],
      [MEAT_PROFILE, 55, 70],
      [POULTRY_PROFILE, 60, 100],
    ];
    for (const [profile, bathC, mm] of cases) {
      const run = (intervals: number, stepFraction: number, maxStepSeconds: number) => {
        const sim = new CoreSimulation(
          new SlabGrid(profile.thermal, mm, { intervals, stepFraction, maxStepSeconds }),
          profile.targets,
        );
        return (runUntilPasteurised(sim, bathC, 1e6) as number) / 60;
      };
      const base = run(20, 1 / 100, 30);
      const fine = run(40, 1 / 400, 7.5);
      const finest = run(80, 1 / 1600, 1.875);
      expect(Math.abs(base / finest - 1)).toBeLessThan(0.01);
      expect(Math.abs(fine - finest)).toBeLessThanOrEqual(Math.abs(base - finest)); // the error shrinks
      expect(base).toBeGreaterThanOrEqual(finest); // and the coarse grid errs long, the safe side
    }
  });

  test('matches the exact series solution of a slab with a convective surface', () => {
    // 30 mm slab of meat (β = 0), 5 °C into 60 °C water; centre θ = Σ Cn cos(0) exp(−λn² Fo), λn tan λn = Bi.
    const mm = 30;
    const radius = mm / 2000;
    const biot = (BATH_HEAT_TRANSFER * radius) / MEAT_THERMAL.conductivity;
    const roots: number[] = [];
    for (let n = 0; n < 30; n++) {
      let x = n * Math.PI + 1; // Newton on f(λ) = λ sin λ − Bi cos λ in (nπ, nπ + π/2)
      for (let i = 0; i < 50; i++) {
        const f = x * Math.sin(x) - biot * Math.cos(x);
        const df = Math.sin(x) + x * Math.cos(x) + biot * Math.sin(x);
        x -= f / df;
      }
      roots.push(x);
    }
    const exactCentre = (seconds: number) => {
      const fo = (MEAT_THERMAL.diffusivity * seconds) / (radius * radius);
      const theta = roots.reduce(
        (sum, l) => sum + ((4 * Math.sin(l)) / (2 * l + Math.sin(2 * l))) * Math.exp(-l * l * fo),
        0,
      );
      return 60 + (5 - 60) * theta;
    };
    const sim = new CoreSimulation(new SlabGrid(MEAT_THERMAL, mm), []);
    for (const minutes of [10, 20, 40, 60, 90]) {
      sim.advance(minutes * 60 - sim.elapsedSeconds, 60);
      const exact = exactCentre(sim.elapsedSeconds);
      expect(Math.abs(sim.centreC - exact)).toBeLessThan(0.25); // of a 55 °C rise
      expect(sim.centreC).toBeLessThanOrEqual(exact + 0.01); // and it lags: the safe side
    }
  });

  test('energy: every step, the heat gained equals the heat that crossed the surface', () => {
    for (const mm of [5, 30, 45, 100]) {
      const grid = new SlabGrid(MEAT_THERMAL, mm);
      const sim = new CoreSimulation(grid, []);
      const content = () => grid.volumes.reduce((sum, v, i) => sum + v * sim.temps[i], 0);
      for (let i = 0; i < 200; i++) {
        const water = i < 150 ? 62 : 20; // heat up, then a power cut
        const before = content();
        sim.step(water);
        const inflow = grid.surfaceGain * grid.volumes[grid.nodes - 1] * (water - sim.surfaceC);
        expect(content() - before).toBeCloseTo(inflow, 9);
      }
    }
  });

  test('energy: the food never gets hotter than the water, and heats (or cools) monotonically toward it', () => {
    const sim = new CoreSimulation(gridFor(MEAT_THERMAL, 50), []);
    let previous = sim.centreC;
    for (let i = 0; i < 2000; i++) {
      sim.step(60);
      expect(sim.centreC).toBeGreaterThanOrEqual(previous - 1e-12);
      for (const t of sim.temps) expect(t).toBeLessThanOrEqual(60 + 1e-9);
      previous = sim.centreC;
    }
    expect(sim.meanC()).toBeGreaterThan(59.9);
    for (let i = 0; i < 2000; i++) {
      sim.step(20);
      expect(sim.centreC).toBeLessThanOrEqual(previous + 1e-12);
      for (const t of sim.temps) expect(t).toBeGreaterThanOrEqual(20 - 1e-9);
      previous = sim.centreC;
    }
  });

  test('any split of the same time at the same water gives exactly the same state', () => {
    const grid = gridFor(POULTRY_PROFILE.thermal, 5); // dt ≈ 0.5 s, so 2 s pushes carry remainders
    const once = new CoreSimulation(grid, POULTRY_PROFILE.targets);
    const pushes = new CoreSimulation(grid, POULTRY_PROFILE.targets);
    once.advance(3600, 60);
    for (let i = 0; i < 1800; i++) pushes.advance(2, 60);
    expect(pushes.elapsedSeconds).toBeCloseTo(once.elapsedSeconds, 6);
    expect(pushes.centreC).toBe(once.centreC);
    expect(pushes.logReduction(0)).toBe(once.logReduction(0));
  });

  test('copyFrom makes an independent exact copy', () => {
    const grid = gridFor(MEAT_THERMAL, 25);
    const a = new CoreSimulation(grid, MEAT_PROFILE.targets);
    a.advance(1800, 60);
    const b = new CoreSimulation(grid, MEAT_PROFILE.targets);
    b.copyFrom(a);
    expect(b.centreC).toBe(a.centreC);
    b.advance(600, 60);
    expect(b.centreC).toBeGreaterThan(a.centreC);
  });
});

describe('lethality', () => {
  test('the rate is 1/D(T): D at the reference temperature, ten times faster every z degrees', () => {
    const [salmonella] = POULTRY_PROFILE.targets;
    const { dRefMinutes, refC, zC } = salmonella.pathogen;
    expect(lethalRate(salmonella, refC)).toBeCloseTo(1 / (dRefMinutes * 60), 12);
    expect(lethalRate(salmonella, refC + zC) / lethalRate(salmonella, refC)).toBeCloseTo(10, 10);
  });

  test('held at a constant temperature, the log reduction grows at exactly that rate', () => {
    const [salmonella] = POULTRY_PROFILE.targets;
    const sim = new CoreSimulation(gridFor(POULTRY_PROFILE.thermal, 5), POULTRY_PROFILE.targets);
    sim.advance(1200, 62); // 5 mm is at 62 °C within a few minutes
    const [logsBefore, secondsBefore] = [sim.logReduction(0), sim.elapsedSeconds];
    sim.advance(600, 62);
    const perSecond = (sim.logReduction(0) - logsBefore) / (sim.elapsedSeconds - secondsBefore);
    expect(perSecond / lethalRate(salmonella, 62)).toBeCloseTo(1, 3); // the centre is within a few mK of 62 °C
  });

  test('red meat is pasteurised only when all three pathogens are: the slowest governs', () => {
    const sim = new CoreSimulation(gridFor(MEAT_THERMAL, 25), MEAT_PROFILE.targets);
    runUntilPasteurised(sim, 58, 1e6);
    const fractions = MEAT_PROFILE.targets.map((t, j) => sim.logReduction(j) / t.logReduction);
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(1);
    expect(Math.min(...fractions)).toBeLessThan(1.01); // stopped at the first step all were reached
  });

  test('a bath at or below 54.4 °C never brings the centre past 54.4 °C', () => {
    expect(modelMinutesToComeUp(MEAT_PROFILE, 54.4, 10)).toBeNull();
    expect(modelMinutesToComeUp(MEAT_PROFILE, 50, 10)).toBeNull();
    const sim = new CoreSimulation(gridFor(MEAT_THERMAL, 10), []);
    expect(runUntilCoreReaches(sim, 54, DANGER_ZONE_HIGH_C, 1e6)).toBeNull();
  });

  test('the 100 mm chicken breast of the spec: over 6 h to come up at 57 °C, under 6 h at 58 °C; 70 mm takes hours', () => {
    expect(modelMinutesToComeUp(POULTRY_PROFILE, 57, 100) as number).toBeGreaterThan(360);
    expect(modelMinutesToComeUp(POULTRY_PROFILE, 58, 100) as number).toBeLessThanOrEqual(360);
    expect(modelMinutesToComeUp(POULTRY_PROFILE, 57, 70) as number).toBeGreaterThan(180);
  });
});
