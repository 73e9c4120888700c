/**
 * The pure pieces behind AnovaClient: reconnect backoff, cooker selection, the cooker directory.
 */
import { Backoff } from '../../app/anova/backoff';
import { CookerDirectory } from '../../app/anova/directory';
import { selectCooker } from '../../app/anova/selection';
import { parseApcState } from '../../app/anova/state';
import type { DeviceInfo, DeviceState } from '../../app/cooking/cooker';

/** Replays fixed "random" values, in a loop. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('Backoff', () => {
  test('with the top of each jitter range it triples up to the cap', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 60_000 }, () => 1);
    expect(Array.from({ length: 6 }, () => b.next())).toEqual([3000, 9000, 27_000, 60_000, 60_000, 60_000]);
  });

  test('with the bottom of each range it stays at the initial delay (never below it)', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 60_000 }, () => 0);
    expect(Array.from({ length: 3 }, () => b.next())).toEqual([1000, 1000, 1000]);
  });

  test('each delay is drawn between the initial delay and three times the previous one', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 10_000 }, sequence(0.5, 0.25, 1));
    const first = b.next(); // 100 + 0.5 * (300 - 100)
    const second = b.next(); // 100 + 0.25 * (600 - 100)
    const third = b.next(); // 100 + 1 * (675 - 100)
    expect([first, second, third]).toEqual([200, 225, 675]);
  });

  test('reset() starts over from the initial delay', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 60_000 }, () => 1);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(3000);
  });

  test('with real randomness every delay stays within [initialMs, maxMs]', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 60_000 });
    for (let i = 0; i < 1000; i++) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });

  test('a random source out of [0, 1] is clamped', () => {
    expect(new Backoff({ initialMs: 10, maxMs: 100 }, () => 7).next()).toBe(30);
    expect(new Backoff({ initialMs: 10, maxMs: 100 }, () => -3).next()).toBe(10);
  });

  test('nonsense bounds are refused', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
  });
});

describe('selectCooker', () => {
  const a7: DeviceInfo = { cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a', type: 'a7', name: 'Anova Precision Cooker 3.0' };
  const a4: DeviceInfo = { cookerId: 'Qm7wP2xK9LdR4tZ8bN1cVa', type: 'a4', name: 'Anova Precision Cooker' };

  test.each([
    ['the only cooker', [a7], undefined, true, a7, null],
    ['the configured one among several', [a7, a4], a4.cookerId, true, a4, null],
    ['several, none configured: the first, flagged', [a7, a4], undefined, true, a7, 'several_without_id'],
    ['configured but not on the account', [a7, a4], 'missing', true, null, 'configured_not_found'],
    ['an empty account', [], undefined, true, null, 'no_cookers'],
    ['nothing known yet', [], undefined, false, null, null],
    ['before the list, the configured one not seen yet: no verdict', [a7], a4.cookerId, false, null, null],
    ['before the list, several seen through states: the first, no verdict', [a7, a4], undefined, false, a7, null],
  ] as const)('%s', (_name, devices, configuredId, listed, cooker, problem) => {
    expect(selectCooker({ devices: [...devices], configuredId, listed })).toEqual({ cooker, problem });
  });
});

describe('CookerDirectory', () => {
  const a7 = { cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a', type: 'a7', name: 'Kitchen', pairedAt: '2024-07-05T17:36:59.347Z' };
  const a4 = { cookerId: 'Qm7wP2xK9LdR4tZ8bN1cVa', type: 'a4', name: 'Old' };

  /** A real parsed schema C state (through the real parser), for one cooker. */
  function stateOf(cookerId: string, type = 'a7'): DeviceState {
    const parsed = parseApcState({ cookerId, type, state: { state: { mode: 'idle' }, nodes: {} } }, 1000);
    if (!parsed) throw new Error('the parser refused a minimal state');
    return parsed.state;
  }

  test('a list: invalid entries and repeated ids are skipped, order kept, a missing name filled in', () => {
    const dir = new CookerDirectory(undefined);
    const update = dir.applyList([
      null,
      7,
      { cookerId: '' },
      { cookerId: 'x' },
      a7,
      { ...a7, name: 'dup' },
      { ...a4, name: '' },
    ]);

    expect(update).toMatchObject({ changed: true, first: true });
    expect(dir.devices()).toEqual([a7, { ...a4, name: 'Anova cooker (a4)' }]);
    expect(update?.selection.next).toEqual({ cooker: a7, problem: 'several_without_id' });
  });

  test('the same list again is no change; a payload that is not a list is refused', () => {
    const dir = new CookerDirectory(undefined);
    dir.applyList([a7]);
    expect(dir.applyList([a7])).toMatchObject({ changed: false, first: false });
    expect(dir.applyList({ cookers: [a7] })).toBeNull();
    expect(dir.devices()).toEqual([a7]);
  });

  test('an empty first list is still reported as the first', () => {
    const dir = new CookerDirectory(undefined);
    expect(dir.applyList([])).toMatchObject({
      changed: false,
      first: true,
      selection: { next: { problem: 'no_cookers' } },
    });
  });

  test('a state before the list introduces its cooker; the list then names it', () => {
    const dir = new CookerDirectory(a4.cookerId);
    const update = dir.applyState(stateOf(a4.cookerId, 'a4'), 500);

    expect(update.added).toEqual({ cookerId: a4.cookerId, type: 'a4', name: 'Anova cooker (a4)' });
    expect(update.selection.next.cooker?.cookerId).toBe(a4.cookerId);
    expect(dir.record(a4.cookerId)?.receivedAt).toBe(500);

    const listed = dir.applyList([a7, a4]);
    expect(listed?.selection.next).toEqual({ cooker: a4, problem: null });
    expect(dir.record(a4.cookerId)?.receivedAt).toBe(500); // its state survives the list
  });

  test('a state without a type is kept but does not invent a cooker', () => {
    const dir = new CookerDirectory(undefined);
    const update = dir.applyState(stateOf('NoTypeCooker', ''), 1);
    expect(update.added).toBeNull();
    expect(dir.devices()).toEqual([]);
    expect(dir.record('NoTypeCooker')).toBeDefined();
  });

  test('a cooker gone from a new list loses its state too', () => {
    const dir = new CookerDirectory(undefined);
    dir.applyList([a7, a4]);
    dir.applyState(stateOf(a4.cookerId, 'a4'), 1);
    dir.applyList([a7]);
    expect(dir.record(a4.cookerId)).toBeUndefined();
    expect(dir.info(a4.cookerId)).toBeNull();
  });
});
