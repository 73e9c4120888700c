/**
 * Commands over a real socket: RESPONSE correlation, what the device does, the answer faults,
 * and a whole cook played on accelerated time for both state schemas.
 */
import { COMMAND, setUnitFrame, startFrame, stopFrame, type Frame } from '../../app/anova/protocol';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../app/simulator';
import { UNOFFICIAL_COMMAND } from '../../app/simulator/commands';
import { isResponseTo, isState, nextEvent, Peer, stateOf } from './peer';

const TOKEN = 'anova-test-token-0123456789';
const A7 = 'a7CookerId000000000001';
const A4 = 'a4CookerId000000000002';

let sim: SimulatorHandle;
let peer: Peer;

async function setUp(opts: SimulatorOptions = {}): Promise<void> {
  sim = await startSimulator({
    tokens: [TOKEN],
    pushIntervalMs: 60_000,
    cookers: [
      { cookerId: A7, type: 'a7' },
      { cookerId: A4, type: 'a4' },
    ],
    ...opts,
  });
  peer = await Peer.connect(sim.url, TOKEN);
}

afterEach(async () => {
  await peer?.close();
  await sim?.close();
});

const startA7 = (requestId: string, targetTemperature = 60, timer = 600) =>
  startFrame(requestId, { cookerId: A7, type: 'a7', targetTemperature, unit: 'C', timer });

/** Proves that `requestId` got no answer: a later command's RESPONSE arrives first (answers are in order). */
async function expectUnanswered(requestId: string): Promise<void> {
  await peer.command(stopFrame(`probe-after-${requestId}`, { cookerId: A4, type: 'a4' }));
  expect(peer.frames.some(isResponseTo(requestId))).toBe(false);
}

describe('answers', () => {
  beforeEach(() => setUp());

  it('answers RESPONSE with the same top-level requestId and status "ok", in order', async () => {
    const ids = ['r-1', 'r-2', 'r-3'];
    const from = peer.frames.length;
    ids.forEach((id) => peer.send(stopFrame(id, { cookerId: A7, type: 'a7' })));
    const responses = await peer.nextFrames(3, (f) => f.command === 'RESPONSE', from);
    expect(responses).toEqual(ids.map((requestId) => ({ command: 'RESPONSE', requestId, payload: { status: 'ok' } })));
  });

  it('START with a Fahrenheit target converts it; the next state shows preheating and the processed id', async () => {
    const from = peer.frames.length;
    const response = await peer.command({
      command: COMMAND.start,
      requestId: 'go-f',
      payload: { cookerId: A7, type: 'a7', targetTemperature: 140, unit: 'F', timer: 0 },
    });
    expect(response.payload).toEqual({ status: 'ok' });
    const state = stateOf(await peer.frame(isState(A7), from));
    expect(state.cook.activeStageMode).toBe('entering');
    expect(state.nodes.waterTemperatureSensor.setpoint.celsius).toBe(60);
    expect(state.state.processedCommandIds).toEqual(['go-f']);
    expect(sim.cooker(A7)).toMatchObject({ mode: 'preheating', targetTempC: 60, timerSeconds: 0 });
  });

  it('SET_TEMPERATURE_UNIT changes the display unit only', async () => {
    const from = peer.frames.length;
    await peer.command(setUnitFrame('unit', { cookerId: A4, type: 'a4', unit: 'F' }));
    const s = stateOf(await peer.frame(isState(A4), from));
    expect(s.job['temperature-unit']).toBe('F');
    expect(s['temperature-info']['water-temperature']).toBe(20);
    expect(sim.cooker(A4)).toMatchObject({ displayUnit: 'F', mode: 'idle' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['cookTimeSeconds', { cookerId: A7, type: 'a7', targetTemperature: 60, unit: 'C', cookTimeSeconds: 600 }],
    ['a lowercase unit', { cookerId: A7, type: 'a7', targetTemperature: 60, unit: 'c', timer: 600 }],
    ['no type', { cookerId: A7, targetTemperature: 60, unit: 'C', timer: 600 }],
  ])('acks a START with %s "ok" but changes nothing', async (_name, payload) => {
    const response = await peer.command({ command: COMMAND.start, requestId: 'wrong', payload });
    expect(response.payload).toEqual({ status: 'ok' });
    expect(sim.cooker(A7).mode).toBe('idle');
  });

  it('with wrongFields "reject", answers wrong field names with a non-ok status', async () => {
    sim.setBehavior({ wrongFields: 'reject' });
    const response = await peer.command({
      command: COMMAND.start,
      requestId: 'w',
      payload: { cookerId: A7, type: 'a7' },
    });
    expect(response.payload).toEqual({ status: 'error' });
  });

  it('answers an unknown cookerId with a non-ok status', async () => {
    const response = await peer.command(stopFrame('who', { cookerId: 'no-such-cooker', type: 'a7' }));
    expect(response.payload).toEqual({ status: 'error' });
  });

  it('does not answer an unknown command (or, switched, answers non-ok)', async () => {
    peer.send({ command: 'CMD_APC_FLY', requestId: 'fly', payload: { cookerId: A7, type: 'a7' } });
    await expectUnanswered('fly');
    sim.setBehavior({ unknownCommands: 'error' });
    expect((await peer.command({ command: 'CMD_APC_FLY', requestId: 'fly-2' })).payload).toEqual({ status: 'error' });
  });

  it('does not answer a command to an unplugged cooker (or, switched, answers non-ok), and does not apply it', async () => {
    sim.unplug(A7);
    peer.send(startA7('offline'));
    await expectUnanswered('offline');
    expect(sim.cooker(A7).mode).toBe('idle');
    sim.setBehavior({ offlineCommands: 'error' });
    expect((await peer.command(startA7('offline-2'))).payload).toEqual({ status: 'error' });
  });

  it('error mode: answers {status:"error"} (or the configured payload) and applies nothing', async () => {
    sim.setCommandAnswer({ mode: 'error' });
    expect((await peer.command(startA7('e1'))).payload).toEqual({ status: 'error' });
    sim.setCommandAnswer({ mode: 'error', payload: { status: 'failed', reason: 'simulated' } });
    expect((await peer.command(startA7('e2'))).payload).toEqual({ status: 'failed', reason: 'simulated' });
    expect(sim.cooker(A7).mode).toBe('idle');
  });

  it('silent mode: no RESPONSE, but the device does apply the command', async () => {
    sim.setCommandAnswer({ mode: 'silent' });
    const applied = nextEvent(sim.events, 'command');
    peer.send(startA7('lost-ack'));
    await applied;
    expect(sim.cooker(A7).mode).toBe('preheating');
    sim.setCommandAnswer({ mode: 'ok' });
    await expectUnanswered('lost-ack');
  });

  it('delays the RESPONSE by responseDelayMs while the state change goes out at once', async () => {
    sim.setResponseDelayMs(150);
    const from = peer.frames.length;
    const sentAt = Date.now();
    await peer.command(startA7('slow'));
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);
    const stateIndex = peer.frames.findIndex((f, i) => i >= from && isState(A7)(f));
    const responseIndex = peer.frames.findIndex(isResponseTo('slow'));
    expect(stateIndex).toBeGreaterThanOrEqual(from);
    expect(stateIndex).toBeLessThan(responseIndex);
  });

  it('with applyDelayMs, the "ok" comes first and the device changes on a later push', async () => {
    sim.setBehavior({ applyDelayMs: 100 });
    const from = peer.frames.length;
    await peer.command(startA7('later'));
    expect(sim.cooker(A7).mode).toBe('idle');
    const state = stateOf(await peer.frame(isState(A7), from));
    expect(state.state.mode).toBe('cook');
    expect(sim.cooker(A7).mode).toBe('preheating');
  });

  it('a START while cooking restarts the cook (refusing that is the client’s job)', async () => {
    await peer.command(startA7('first', 60, 600));
    await peer.command(startA7('second', 70, 1200));
    expect(sim.cooker(A7)).toMatchObject({ mode: 'preheating', targetTempC: 70, timerSeconds: 1200 });
  });

  it('unofficial SET_TARGET_TEMP / SET_TIMER: rejected by default, ignored or applied when switched', async () => {
    const setTarget = (requestId: string): Frame => ({
      command: UNOFFICIAL_COMMAND.setTargetTemp,
      requestId,
      payload: { cookerId: A7, type: 'a7', targetTemperature: 65, unit: 'C' },
    });
    await peer.command(startA7('go', 60, 600));
    expect((await peer.command(setTarget('t1'))).payload).toEqual({ status: 'error' });
    sim.setBehavior({ unofficialCommands: 'ignore' });
    expect((await peer.command(setTarget('t2'))).payload).toEqual({ status: 'ok' });
    expect(sim.cooker(A7).targetTempC).toBe(60);
    sim.setBehavior({ unofficialCommands: 'apply' });
    await peer.command(setTarget('t3'));
    await peer.command({
      command: UNOFFICIAL_COMMAND.setTimer,
      requestId: 't4',
      payload: { cookerId: A7, type: 'a7', timer: 60 },
    });
    expect(sim.cooker(A7)).toMatchObject({ targetTempC: 65, timerSeconds: 60 });
  });
});

describe('a whole cook on accelerated time', () => {
  // 10 °C per simulated minute at 600x: 20 → 60 °C takes about 0.4 s real.
  const fast: SimulatorOptions = { timeScale: 600, heatingRateCPerMin: 10, coolingRateCPerMin: 5, pushIntervalMs: 20 };

  it('schema C: preheating (entering) → cooking (timer running) → done (completed, still cook), then STOP → idle and cooling', async () => {
    await setUp(fast);
    const from = peer.frames.length;
    // An hour-long timer keeps the cooking phase long enough to be seen at any load; then time is sped up.
    await peer.command(startA7('cook', 60, 3600));
    const preheat = stateOf(await peer.frame(isState(A7), from));
    expect(preheat.cook.activeStageMode).toBe('entering');
    expect(preheat.nodes.timer.mode).toBe('idle');

    const cookingFrame = await peer.frame((f) => isState(A7)(f) && stateOf(f).nodes.timer.mode === 'running', from);
    const cooking = stateOf(cookingFrame);
    expect(cooking.cook.activeStageMode).toBe('running');
    // The timer started when the water reached 59.7 °C: 3.97 simulated minutes after START.
    const preheatMs =
      Date.parse(cooking.nodes.timer.startedAtTimestamp) - Date.parse(cooking.cook.activeStageStartedTimestamp);
    expect(preheatMs).toBeGreaterThanOrEqual(238_199);
    expect(preheatMs).toBeLessThanOrEqual(238_201);
    // Remaining, derived as a client must, agrees with the device (which can only have moved on since).
    const elapsed = (Date.parse(cooking.updatedTimestamp) - Date.parse(cooking.nodes.timer.startedAtTimestamp)) / 1000;
    expect(elapsed).toBeGreaterThanOrEqual(0);
    expect(elapsed).toBeLessThan(3600);
    expect(sim.cooker(A7).timerElapsedSeconds).toBeGreaterThanOrEqual(Math.floor(elapsed * 10) / 10);

    sim.setTimeScale(60_000);
    const doneFrame = await peer.frame((f) => isState(A7)(f) && stateOf(f).nodes.timer.mode === 'completed', from);
    const done = stateOf(doneFrame);
    expect(done.state.mode).toBe('cook');
    expect(done.nodes.waterTemperatureSensor.current.celsius).toBeCloseTo(60, 0);
    expect(sim.cooker(A7).mode).toBe('done');

    const stopAt = peer.frames.length;
    await peer.command(stopFrame('stop', { cookerId: A7, type: 'a7' }));
    const idle = stateOf(await peer.frame(isState(A7), stopAt));
    expect(idle.state.mode).toBe('idle');
    expect(idle.cook).toBeUndefined();
    expect(idle.state.processedCommandIds).toEqual(['cook', 'stop']);
    const cooler = stateOf(
      await peer.frame(
        (f) =>
          isState(A7)(f) &&
          stateOf(f).nodes.waterTemperatureSensor.current.celsius < idle.nodes.waterTemperatureSensor.current.celsius,
        stopAt,
      ),
    );
    expect(cooler.state.mode).toBe('idle');
  });

  it('schema B: PREHEATING → COOKING → MAINTAINING with cook-time-remaining counting up, job.id = requestId', async () => {
    await setUp(fast);
    const from = peer.frames.length;
    await peer.command(
      startFrame('b-cook', { cookerId: A4, type: 'a4', targetTemperature: 60, unit: 'C', timer: 3600 }),
    );
    const status = (f: Frame) => stateOf(f)['job-status'];
    const preheat = stateOf(await peer.frame(isState(A4), from));
    expect(preheat.job).toMatchObject({ id: 'b-cook', mode: 'COOK', 'cook-time-seconds': 3600 });
    expect(preheat['job-status']).toMatchObject({ state: 'PREHEATING', 'cook-time-remaining': 3600 });

    const cooking = await peer.frame((f) => isState(A4)(f) && status(f).state === 'COOKING', from);
    expect(status(cooking)['cook-time-remaining']).toBeGreaterThan(0);
    expect(status(cooking)['cook-time-remaining']).toBeLessThanOrEqual(3600);

    sim.setTimeScale(60_000);
    const [first, second] = await peer.nextFrames(2, (f) => isState(A4)(f) && status(f).state === 'MAINTAINING', from);
    expect(stateOf(first).job.mode).toBe('COOK');
    expect(status(second)['cook-time-remaining']).toBeGreaterThan(status(first)['cook-time-remaining']);

    const stopAt = peer.frames.length;
    await peer.command(stopFrame('b-stop', { cookerId: A4, type: 'a4' }));
    const idle = stateOf(await peer.frame(isState(A4), stopAt));
    expect(idle.job).toMatchObject({ id: 'b-stop', mode: 'IDLE' });
    expect(idle['job-status'].state).toBe('');
  });
});
