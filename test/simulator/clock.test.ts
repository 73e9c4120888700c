import { SimClock } from '../../app/simulator/clock';
import { SimulatorError } from '../../app/simulator/errors';

describe('SimClock', () => {
  let real: number;
  const realNow = () => real;

  beforeEach(() => {
    real = 1_000_000;
  });

  it('starts at the real time and runs `scale` times faster', () => {
    const clock = new SimClock(60, realNow);
    expect(clock.now()).toBe(1_000_000);
    real += 1000;
    expect(clock.now()).toBe(1_000_000 + 60_000);
  });

  it('rebases on a scale change so simulated time never jumps', () => {
    const clock = new SimClock(10, realNow);
    real += 1000; // +10 s simulated
    clock.setScale(100);
    expect(clock.now()).toBe(1_010_000);
    real += 1000; // +100 s simulated at the new scale
    expect(clock.now()).toBe(1_110_000);
    expect(clock.scale).toBe(100);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e9])('refuses the scale %p', (scale) => {
    expect(() => new SimClock(scale, realNow)).toThrow(SimulatorError);
    const clock = new SimClock(1, realNow);
    expect(() => clock.setScale(scale)).toThrow(/time scale/);
    expect(clock.scale).toBe(1);
  });
});
