/**
 * AnovaClient against the simulator: discovery and selection, and commands (exact frames,
 * correlation, errors, timeouts, ordering).
 */
import type { CloudStatus, DeviceInfo } from '../../app/cooking/cooker';
import { UUID, commandsReceived, online, rejectsWith, rig, until, waitForEvent, type Rig } from './client-harness';

const A7 = { cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a', type: 'a7' as const, name: 'Kitchen 3.0' };
const A4 = { cookerId: 'Qm7wP2xK9LdR4tZ8bN1cVa', type: 'a4' as const, name: 'Old faithful' };

let r: Rig | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

describe('discovery and selection', () => {
  test('one cooker: listed, selected, online, with lifecycle logs that hide the token', async () => {
    r = await rig({ cookers: [A7] });
    const { client, logs, sim } = r;
    const statuses: string[] = [];
    client.on('status', (s) => statuses.push(s.state));
    client.start();
    const snap = await client.whenReady(5000);

    expect(snap.info).toMatchObject(A7);
    expect(snap.online).toBe(true);
    expect(snap.state?.cookerId).toBe(A7.cookerId);
    expect(snap.state?.schema).toBe('C');
    expect(client.devices()).toEqual([expect.objectContaining(A7)]);
    expect(client.cloudStatus()).toMatchObject({ state: 'connected', attempt: 0 });
    expect(statuses).toEqual(['connected']);

    expect(logs.named('anova connecting')[0].meta).toEqual({ url: sim.url, attempt: 0 });
    expect(logs.named('anova connected')).toHaveLength(1);
    expect(logs.named('anova device list')[0].meta).toEqual({ count: 1, ids: [A7.cookerId] });
    expect(logs.named('anova device selected')[0].meta).toEqual(A7);
    expect(logs.records.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  test('two cookers (a7 + a4) and no ANOVA_DEVICE_ID: the first is used, with a warning listing both', async () => {
    r = await rig({ cookers: [A7, A4] });
    const { client, logs } = r;
    client.start();
    const snap = await client.whenReady(5000);

    expect(snap.info.cookerId).toBe(A7.cookerId);
    expect(client.devices().map((d) => [d.cookerId, d.type, d.name])).toEqual([
      [A7.cookerId, 'a7', A7.name],
      [A4.cookerId, 'a4', A4.name],
    ]);
    const warning = logs.named('anova several cookers, using the first');
    expect(warning).toHaveLength(1);
    expect(warning[0].meta).toMatchObject({ cookerId: A7.cookerId, ids: [A7.cookerId, A4.cookerId] });
  });

  test('ANOVA_DEVICE_ID selects that cooker, without a warning', async () => {
    r = await rig({ cookers: [A7, A4] }, { deviceId: A4.cookerId });
    const { client, logs } = r;
    client.start();
    const snap = await client.whenReady(5000);

    expect(snap.info).toMatchObject(A4);
    expect(snap.state?.schema).toBe('B');
    expect(logs.named('anova device selected')[0].meta).toEqual(A4);
    expect(logs.records.filter((l) => l.level === 'warn')).toEqual([]);
  });

  test('ANOVA_DEVICE_ID not on the account: warning with the ids, nothing selected, commands DEVICE_OFFLINE', async () => {
    r = await rig({ cookers: [A7, A4] }, { deviceId: 'NotMyCooker' });
    const { client, logs } = r;
    client.start();
    await waitForEvent(client, 'devices');

    expect(client.selected()).toBeNull();
    expect(client.devices()).toHaveLength(2);
    expect(logs.named('anova configured cooker not on the account')[0].meta).toEqual({
      deviceId: 'NotMyCooker',
      ids: [A7.cookerId, A4.cookerId],
    });
    const err = await rejectsWith(client.startCook({ targetTempC: 60, timerSeconds: 3600 }), 'DEVICE_OFFLINE');
    expect(err.message).toMatch(/not on the Anova account/);
    expect(commandsReceived(r.sim)).toEqual([]);
  });

  test('an account without cookers: an empty device list, a warning, commands DEVICE_OFFLINE', async () => {
    r = await rig({ cookers: [] });
    const { client, logs } = r;
    client.start();
    const devices = await waitForEvent<DeviceInfo[]>(client, 'devices');

    expect(devices).toEqual([]);
    expect(client.selected()).toBeNull();
    expect(logs.named('anova no cookers on the account')).toHaveLength(1);
    const err = await rejectsWith(client.stopCook(), 'DEVICE_OFFLINE');
    expect(err.message).toBe('no cooker found on the Anova account');
  });

  test('a list repeated after every reconnect is deduplicated: selection is logged once', async () => {
    r = await rig({ cookers: [A7] });
    const { client, logs, sim } = r;
    const selections: (DeviceInfo | null)[] = [];
    client.on('selected', (d) => selections.push(d));
    await online(client);
    sim.dropConnections('close');
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'reconnecting');
    await online(client);

    expect(logs.named('anova connected')).toHaveLength(2);
    expect(logs.named('anova device list')).toHaveLength(1);
    expect(logs.named('anova device selected')).toHaveLength(1);
    expect(selections).toHaveLength(1);
  });

  test('ordering quirks: state before the list, the list twice, an unknown event', async () => {
    r = await rig({ cookers: [A7, A4] }, { deviceId: A4.cookerId });
    const { client, logs, sim } = r;
    sim.setConnectQuirks({ stateBeforeList: true, duplicateList: true, unknownEvent: true });
    const devicesEvents: DeviceInfo[][] = [];
    client.on('devices', (d) => devicesEvents.push(d));
    await online(client);
    // The duplicate list comes last in the connect sequence; the next push follows it.
    await waitForEvent(client, 'state');
    await waitForEvent(client, 'state');

    expect(client.selected()?.info).toMatchObject(A4); // the list's name replaced the provisional one
    expect(client.devices().map((d) => d.cookerId)).toEqual([A7.cookerId, A4.cookerId]);
    expect(logs.named('anova device list')).toHaveLength(1);
    expect(logs.named('anova device selected')).toHaveLength(1);
    expect(logs.named('anova cooker seen before listed').map((l) => l.meta.cookerId)).toEqual([
      A7.cookerId,
      A4.cookerId,
    ]);
    expect(devicesEvents.at(-1)?.map((d) => d.name)).toEqual([A7.name, A4.name]);
    expect(logs.named('anova ignored unknown event')).toHaveLength(1);
    expect(logs.records.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  });

  test('an unknown state string is logged once, and states keep flowing', async () => {
    r = await rig({ cookers: [A4] });
    const { client, logs, sim } = r;
    await online(client);
    sim.forceStateString(undefined, 'STOP_COOK');
    await until(client, 'state', () => logs.named('anova unknown state value').length > 0);
    await waitForEvent(client, 'state');
    await waitForEvent(client, 'state');

    const unknown = logs.named('anova unknown state value');
    expect(unknown).toHaveLength(1);
    expect(String(unknown[0].meta.value)).toContain('STOP_COOK');
    expect(client.selected()?.online).toBe(true);
  });

  test('listeners that throw do not stop the reader', async () => {
    r = await rig({ cookers: [A7] });
    const { client, logs } = r;
    client.on('state', () => {
      throw new Error('listener bug');
    });
    client.onState(() => {
      throw new Error('another listener bug');
    });
    client.start();
    let seen = 0;
    await waitForEvent<CloudStatus>(client, 'status', (s) => s.state === 'connected');
    await new Promise<void>((resolve) => {
      const unsubscribe = client.onState(() => {
        if (++seen === 3) {
          unsubscribe();
          resolve();
        }
      });
    });
    expect(seen).toBe(3);
    expect(client.cloudStatus().state).toBe('connected');
    expect(logs.named('anova listener failed').length).toBeGreaterThan(0);
  });
});

describe('commands', () => {
  test('start and stop: exact frames, a fresh UUID each, resolved by the "ok" RESPONSE', async () => {
    r = await rig({ cookers: [A7] });
    const { client, sim } = r;
    await online(client);

    const started = await client.startCook({ targetTempC: 61.5, timerSeconds: 5400 });
    const stopped = await client.stopCook();

    expect(started.requestId).toMatch(UUID);
    expect(stopped.requestId).toMatch(UUID);
    expect(stopped.requestId).not.toBe(started.requestId);
    expect(commandsReceived(sim)).toEqual([
      {
        command: 'CMD_APC_START',
        requestId: started.requestId,
        payload: { cookerId: A7.cookerId, type: 'a7', targetTemperature: 61.5, unit: 'C', timer: 5400 },
      },
      { command: 'CMD_APC_STOP', requestId: stopped.requestId, payload: { cookerId: A7.cookerId, type: 'a7' } },
    ]);
  });

  test('the type comes from the list: an a4 gets type "a4", and the cooker applies the start', async () => {
    r = await rig({ cookers: [A7, A4] }, { deviceId: A4.cookerId });
    const { client, sim } = r;
    await online(client);

    const unit = await client.setTemperatureUnit('F');
    const start = await client.startCook({ targetTempC: 57, timerSeconds: 0 });

    expect(commandsReceived(sim)).toEqual([
      {
        command: 'CMD_APC_SET_TEMPERATURE_UNIT',
        requestId: unit.requestId,
        payload: { cookerId: A4.cookerId, type: 'a4', unit: 'F' },
      },
      {
        command: 'CMD_APC_START',
        requestId: start.requestId,
        payload: { cookerId: A4.cookerId, type: 'a4', targetTemperature: 57, unit: 'C', timer: 0 },
      },
    ]);
    expect(sim.cooker(A4.cookerId)).toMatchObject({ targetTempC: 57, timerSeconds: 0, displayUnit: 'F' });
    expect(sim.cooker(A7.cookerId).mode).toBe('idle');
  });

  test('a non-"ok" answer rejects ANOVA_API_ERROR showing only the status word', async () => {
    r = await rig({ cookers: [A7] });
    const { client, sim } = r;
    await online(client);

    sim.setCommandAnswer({ mode: 'error', payload: { status: 'error', message: 'internal detail <b>x</b>' } });
    const err = await rejectsWith(client.stopCook(), 'ANOVA_API_ERROR');
    expect(err.message).toBe('the Anova cloud rejected CMD_APC_STOP (status: "error")');

    sim.setCommandAnswer({ mode: 'error', payload: { status: 'something <script>alert(1)</script>' } });
    const odd = await rejectsWith(client.stopCook(), 'ANOVA_API_ERROR');
    expect(odd.message).toBe('the Anova cloud rejected CMD_APC_STOP (status: unrecognised)');

    sim.setCommandAnswer({ mode: 'error', payload: { success: true } });
    const missing = await rejectsWith(client.stopCook(), 'ANOVA_API_ERROR');
    expect(missing.message).toContain('status: missing');
  });

  test('no answer: TIMEOUT after commandTimeoutMs, and the queue moves on', async () => {
    r = await rig({ cookers: [A7] }, { commandTimeoutMs: 300 });
    const { client, sim } = r;
    await online(client);
    sim.setCommandAnswer({ mode: 'silent' });

    const t0 = performance.now();
    await rejectsWith(client.stopCook(), 'TIMEOUT');
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);

    sim.setCommandAnswer({ mode: 'ok' });
    const ack = await client.stopCook();
    expect(commandsReceived(sim).map((f) => f.requestId)).toEqual([expect.stringMatching(UUID), ack.requestId]);
  });

  test('the deadline runs from the call: a command still queued at its deadline is never sent', async () => {
    r = await rig({ cookers: [A7] }, { commandTimeoutMs: 300 });
    const { client, sim } = r;
    await online(client);
    sim.setCommandAnswer({ mode: 'silent' });

    const first = client.stopCook();
    const second = client.startCook({ targetTempC: 60, timerSeconds: 60 });
    const t0 = performance.now();
    await rejectsWith(first, 'TIMEOUT');
    const err = await rejectsWith(second, 'TIMEOUT');
    expect(err.message).toContain('while queued');
    expect(performance.now() - t0).toBeLessThan(3000);

    // Frames on one socket stay in order: had the second been sent, it would precede this one.
    sim.setCommandAnswer({ mode: 'ok' });
    await client.setTemperatureUnit('C');
    expect(commandsReceived(sim).map((f) => f.command)).toEqual(['CMD_APC_STOP', 'CMD_APC_SET_TEMPERATURE_UNIT']);
  });

  test('a late or unknown RESPONSE is ignored', async () => {
    r = await rig({ cookers: [A7] }, { commandTimeoutMs: 300 });
    const { client, sim, logs } = r;
    await online(client);
    sim.setResponseDelayMs(400);

    await rejectsWith(client.stopCook(), 'TIMEOUT');
    await waitForEvent(sim.events, 'push', (p: { frame: { command: string } }) => p.frame.command === 'RESPONSE');
    sim.setResponseDelayMs(0);
    await client.stopCook();
    expect(logs.named('anova ignored response')).toHaveLength(1);
  });

  test('commands to one cooker run one at a time, in call order', async () => {
    r = await rig({ cookers: [A7] });
    const { client, sim } = r;
    await online(client);
    sim.setResponseDelayMs(30);
    const timeline: string[] = [];
    sim.events.on('command', (rec: { frame: { command: string } }) => timeline.push(rec.frame.command));
    sim.events.on('push', (p: { frame: { command: string } }) => {
      if (p.frame.command === 'RESPONSE') timeline.push('RESPONSE');
    });

    const settled: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => settled.push(name));
    await Promise.all([
      track('start', client.startCook({ targetTempC: 60, timerSeconds: 600 })),
      track('unit', client.setTemperatureUnit('F')),
      track('stop', client.stopCook()),
    ]);

    expect(timeline).toEqual([
      'CMD_APC_START',
      'RESPONSE',
      'CMD_APC_SET_TEMPERATURE_UNIT',
      'RESPONSE',
      'CMD_APC_STOP',
      'RESPONSE',
    ]);
    expect(settled).toEqual(['start', 'unit', 'stop']);
  });

  test('a disconnect fails the command in flight and the queued ones with CLOUD_UNREACHABLE', async () => {
    r = await rig({ cookers: [A7] });
    const { client, sim } = r;
    await online(client);
    sim.setCommandAnswer({ mode: 'silent' });

    const inFlight = client.stopCook();
    const queued = client.setTemperatureUnit('F');
    await waitForEvent(sim.events, 'command');
    sim.dropConnections('abort');

    await rejectsWith(inFlight, 'CLOUD_UNREACHABLE');
    await rejectsWith(queued, 'CLOUD_UNREACHABLE');
    expect(commandsReceived(sim)).toHaveLength(1);
  });

  test('refused up front: not connected → CLOUD_UNREACHABLE, cooker offline → DEVICE_OFFLINE', async () => {
    r = await rig({ cookers: [A7] }, { offlineAfterMs: 300 });
    const { client, sim } = r;

    await rejectsWith(client.stopCook(), 'CLOUD_UNREACHABLE'); // not started yet
    await online(client);
    sim.unplug();
    await waitForEvent<boolean>(client, 'online', (isOnline) => isOnline === false);
    const err = await rejectsWith(client.startCook({ targetTempC: 60, timerSeconds: 60 }), 'DEVICE_OFFLINE');
    expect(err.message).toBe('the cooker is offline');

    sim.setRefuseConnections(true);
    sim.dropConnections('close');
    await until(client, 'status', () => client.cloudStatus().state === 'reconnecting');
    await rejectsWith(client.stopCook(), 'CLOUD_UNREACHABLE');
    expect(commandsReceived(sim)).toEqual([]);
  });

  test('startCook refuses values that cannot be right (no frame sent)', async () => {
    r = await rig({ cookers: [A7] });
    const { client, sim } = r;
    await online(client);
    await expect(client.startCook({ targetTempC: Number.NaN, timerSeconds: 60 })).rejects.toThrow(RangeError);
    await expect(client.startCook({ targetTempC: 60, timerSeconds: 1.5 })).rejects.toThrow(RangeError);
    expect(commandsReceived(sim)).toEqual([]);
  });
});
