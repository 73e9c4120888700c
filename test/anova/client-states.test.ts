/**
 * AnovaClient state tracking against the simulator: a whole cook in each schema, and the
 * difference between "cooker offline" (silence, explicit flag) and "cloud unreachable".
 */
import type { CookerMode, DeviceState } from '../../app/cooking/cooker';
import { online, rig, until, waitForEvent, type Rig } from './client-harness';

let r: Rig | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

/** Consecutive duplicates removed. */
function transitions(modes: CookerMode[]): CookerMode[] {
  return modes.filter((m, i) => i === 0 || m !== modes[i - 1]);
}

describe.each([
  ['a7', 'C'],
  ['a4', 'B'],
] as const)('a whole cook on an %s (schema %s), seen through client events', (type, schema) => {
  test('idle → preheating → cooking → done → (stop) idle, with °C values and a timer in seconds', async () => {
    // 600 simulated seconds per real second; 10 °C per simulated minute = 100 °C per real second.
    r = await rig({ cookers: [{ type, waterTempC: 20 }], timeScale: 600, heatingRateCPerMin: 10, pushIntervalMs: 20 });
    const { client } = r;
    const seen: DeviceState[] = [];
    client.onState((s) => seen.push(s));
    await online(client);

    await client.startCook({ targetTempC: 60, timerSeconds: 120 });
    await until(client, 'state', () => seen.at(-1)?.mode === 'done');
    const done = seen.at(-1) as DeviceState;
    await client.stopCook();
    await until(client, 'state', () => seen.at(-1)?.mode === 'idle');

    expect(transitions(seen.map((s) => s.mode))).toEqual(['idle', 'preheating', 'cooking', 'done', 'idle']);
    expect(seen.every((s) => s.schema === schema && s.type === type)).toBe(true);
    const preheating = seen.filter((s) => s.mode === 'preheating');
    expect(preheating[0].targetTempC).toBe(60);
    expect(preheating[0].currentTempC).toBeLessThan(60);
    const cooking = seen.filter((s) => s.mode === 'cooking');
    expect(cooking[0].timerTotalSeconds).toBe(120);
    expect(cooking.every((s) => (s.timerRemainingSeconds ?? -1) >= 0 && (s.timerRemainingSeconds ?? 999) <= 120)).toBe(
      true,
    );
    expect(done.timerRemainingSeconds).toBe(0);
    expect(done.currentTempC).toBeCloseTo(60, 0);
    expect(client.selected()?.online).toBe(true);
  });
});

describe('offline and online', () => {
  test('an unplugged cooker goes offline after offlineAfterMs while the cloud stays connected', async () => {
    r = await rig({ cookers: [{ type: 'a7' }] }, { offlineAfterMs: 300 });
    const { client, sim, logs } = r;
    await online(client);

    sim.unplug();
    const lastStateAt = client.selected()?.lastStateAt as number;
    await waitForEvent<boolean>(client, 'online', (isOnline) => !isOnline);

    expect(Date.now() - lastStateAt).toBeGreaterThanOrEqual(300);
    expect(client.cloudStatus().state).toBe('connected');
    const snap = client.selected();
    expect(snap?.online).toBe(false);
    expect(snap?.state?.mode).toBe('idle'); // the last known state is kept
    expect(logs.named('anova cooker offline')[0].meta).toMatchObject({ reason: 'no recent state' });

    sim.plug();
    await waitForEvent<boolean>(client, 'online', (isOnline) => isOnline);
    expect(client.selected()?.online).toBe(true);
    expect(logs.named('anova cooker online')).toHaveLength(2);
  });

  test('a schema C cooker that announces online:false is offline at once', async () => {
    r = await rig({ cookers: [{ type: 'a7' }] });
    const { client, sim, logs } = r;
    await online(client);

    sim.unplug(undefined, true);
    await waitForEvent<boolean>(client, 'online', (isOnline) => !isOnline);
    expect(client.selected()?.state?.reportsOnline).toBe(false);
    expect(logs.named('anova cooker offline')[0].meta).toMatchObject({ reason: 'cooker reports offline' });
  });

  test('a stale online:false replay at connect means offline until a fresh state arrives', async () => {
    r = await rig({ cookers: [{ type: 'a7', plugged: false }] });
    const { client, sim, logs } = r;
    client.start();
    const snap = await client.whenReady(5000);

    expect(snap.online).toBe(false);
    expect(snap.state?.reportsOnline).toBe(false);
    expect(client.cloudStatus().state).toBe('connected');
    expect(logs.named('anova cooker offline')).toHaveLength(1);

    sim.plug();
    await waitForEvent<boolean>(client, 'online', (isOnline) => isOnline);
    expect(client.selected()?.state?.reportsOnline).toBe(true);
  });

  test('a lost socket is "cloud unreachable", not "cooker offline"', async () => {
    r = await rig({ cookers: [{ type: 'a7' }] });
    const { client, sim, logs } = r;
    await online(client);

    sim.setRefuseConnections(true);
    sim.dropConnections('abort');
    await until(client, 'status', () => client.cloudStatus().state === 'reconnecting');
    expect(client.selected()?.online).toBe(false);
    expect(logs.named('anova cooker offline')).toEqual([]);

    sim.setRefuseConnections(false);
    await until(client, 'state', () => client.selected()?.online === true);
    expect(logs.named('anova cooker offline')).toEqual([]);
    expect(logs.named('anova cooker online')).toHaveLength(1);
  });
});
