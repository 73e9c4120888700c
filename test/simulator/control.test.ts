/** The HTTP control API, over real HTTP against a running simulator. */
import { startSimulator, type SimulatorHandle } from '../../app/simulator';
import { isState, Peer, stateOf } from './peer';

const TOKEN = 'anova-control-test-token-42';
const A7 = 'a7CookerId000000000001';
const SPACED = 'anova f56-0123456789a'; // ids may hold a space (§2.3)

let sim: SimulatorHandle;
let base: string;
const peers: Peer[] = [];

beforeEach(async () => {
  sim = await startSimulator({ tokens: [TOKEN], controlPort: 0, pushIntervalMs: 60_000, cookers: [{ cookerId: A7 }] });
  base = sim.controlUrl as string;
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await sim.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}

async function connect(): Promise<Peer> {
  const peer = await Peer.connect(sim.url, TOKEN);
  peers.push(peer);
  return peer;
}

const path = (id: string, action = '') => `/cookers/${encodeURIComponent(id)}${action}`;

it('is off unless a controlPort is given', async () => {
  const bare = await startSimulator();
  expect(bare.controlUrl).toBeNull();
  await bare.close();
});

it('GET / summarises url, cookers, faults and behaviour, without tokens', async () => {
  await connect();
  const { status, json, text } = await call('GET', '/');
  expect(status).toBe(200);
  expect(json).toMatchObject({
    url: sim.url,
    controlUrl: base,
    timeScale: 1,
    connections: 1,
    cookers: [{ cookerId: A7, type: 'a7', mode: 'idle', plugged: true }],
    faults: { blackhole: false, answerPings: true, commandAnswer: { mode: 'ok' } },
    behavior: { wrongFields: 'ack' },
  });
  expect(text).not.toContain(TOKEN);
});

describe('cookers', () => {
  it('adds, lists and removes cookers (ids with spaces encoded in the path)', async () => {
    const added = await call('POST', '/cookers', { cookerId: SPACED, type: 'a4', plugged: false });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ cookerId: SPACED, type: 'a4', plugged: false, name: 'Anova Precision Cooker' });
    expect((await call('GET', '/cookers')).json.map((c: { cookerId: string }) => c.cookerId)).toEqual([A7, SPACED]);
    expect((await call('POST', '/cookers', { cookerId: SPACED })).status).toBe(409);

    expect((await call('DELETE', path(SPACED))).json).toEqual({ removed: SPACED });
    expect((await call('DELETE', path(SPACED))).status).toBe(404);
  });

  it.each([
    [{ type: 'a9' }, /type/],
    [{ waterTempC: 'hot' }, /waterTempC/],
    [{ plugged: 'yes' }, /plugged/],
    [{ colour: 'red' }, /unknown field: colour/],
  ])('refuses a bad cooker %p with 400', async (body, message) => {
    const res = await call('POST', '/cookers', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid_input', message: expect.stringMatching(message) });
  });

  it('unplugs (with announce) and plugs a cooker', async () => {
    const peer = await connect();
    await peer.frame(isState(A7));
    const from = peer.frames.length;
    expect((await call('POST', path(A7, '/unplug'), { announce: true })).json.plugged).toBe(false);
    expect(stateOf(await peer.frame(isState(A7), from)).systemInfo.online).toBe(false);
    expect((await call('POST', path(A7, '/plug'))).json.plugged).toBe(true);
    expect(sim.connectionCount()).toBe(1);
  });

  it('sets water temperature, low water and a forced state string', async () => {
    expect((await call('POST', path(A7, '/water-temp'), { celsius: 55.5 })).json.waterTempC).toBeCloseTo(55.5, 1);
    expect((await call('POST', path(A7, '/low-water'), { level: 'warning' })).json.lowWater).toBe('warning');
    await call('POST', path(A7, '/force-state'), { value: 'STOP_COOK' });
    const peer = await connect();
    const s = stateOf(await peer.frame(isState(A7)));
    expect(s.state.mode).toBe('STOP_COOK');
    expect(s.nodes.lowWater.warning).toBe(true);
    await call('POST', path(A7, '/force-state'), { value: null });
    sim.pushNow();
    expect(stateOf(await peer.frame(isState(A7), peer.frames.length)).state.mode).toBe('idle');
  });

  it.each([
    ['/water-temp', { celsius: 500 }],
    ['/water-temp', {}],
    ['/low-water', { level: 'dry' }],
    ['/force-state', { value: 7 }],
    ['/unplug', { announce: 'loud' }],
  ])('refuses POST %s %p with 400', async (action, body) => {
    const res = await call('POST', path(A7, action), body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
  });

  it('answers 404 for an unknown cooker', async () => {
    const res = await call('POST', path('nope', '/water-temp'), { celsius: 50 });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'not_found', message: 'no such cooker' });
  });
});

describe('faults, time and tokens', () => {
  it('sets several faults at once, and a bad field changes nothing', async () => {
    const res = await call('POST', '/faults', {
      answerPings: false,
      commandAnswer: 'silent',
      responseDelayMs: 250,
      connectQuirks: { duplicateList: true },
      behavior: { offlineCommands: 'error', rateLimit: null },
    });
    expect(res.status).toBe(200);
    expect(res.json.faults).toMatchObject({
      answerPings: false,
      commandAnswer: { mode: 'silent' },
      responseDelayMs: 250,
      connectQuirks: { duplicateList: true, stateBeforeList: false },
    });
    expect(res.json.behavior).toMatchObject({ offlineCommands: 'error', rateLimit: null });

    const bad = await call('POST', '/faults', { blackhole: true, responseDelayMs: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/responseDelayMs/);
    expect(sim.status().faults.blackhole).toBe(false);
    expect(
      (await call('POST', '/faults', { commandAnswer: { mode: 'error', payload: { status: 'nope' } } })).json.faults
        .commandAnswer,
    ).toEqual({
      mode: 'error',
      payload: { status: 'nope' },
    });
    expect((await call('POST', '/faults', { commandAnswer: 'maybe' })).status).toBe(400);
    expect((await call('POST', '/faults', { behavior: { wrongFields: 'shrug' } })).status).toBe(400);
  });

  it('drops connections by close, abort or blackhole', async () => {
    const peer = await connect();
    expect((await call('POST', '/drop', { how: 'abort' })).status).toBe(200);
    expect((await peer.closed()).code).toBe(1006);
    await call('POST', '/drop', { how: 'blackhole' });
    expect(sim.status().faults.blackhole).toBe(true);
    expect((await call('POST', '/drop', { how: 'explode' })).status).toBe(400);
  });

  it('sets the time scale and the physics', async () => {
    expect((await call('POST', '/time-scale', { scale: 60 })).json).toEqual({ timeScale: 60 });
    expect((await call('POST', '/time-scale', { scale: 'fast' })).status).toBe(400);
    expect((await call('POST', '/physics', { heatingRateCPerMin: 5 })).json).toMatchObject({ heatingRateCPerMin: 5 });
    expect((await call('POST', '/physics', { heatingRateCPerMin: 0 })).status).toBe(400);
  });

  it('revokes a token (closing its socket) without echoing it, and accepts new ones', async () => {
    const peer = await connect();
    const res = await call('POST', '/tokens/revoke', { token: TOKEN });
    expect(res.json).toEqual({ revoked: true });
    expect(res.text).not.toContain(TOKEN);
    expect((await peer.closed()).code).toBe(1008);
    expect((await call('POST', '/tokens/revoke', { token: TOKEN, how: 'shout' })).status).toBe(400);

    expect((await call('POST', '/tokens/accept', { token: 'no-prefix' })).status).toBe(400);
    expect((await call('POST', '/tokens/accept', { token: 'anova-brand-new' })).json).toEqual({ accepted: true });
    expect((await Peer.handshake(sim.url, 'anova-brand-new')).status).toBe('open');
  });

  it('resets to the start options', async () => {
    await call('POST', '/cookers', { type: 'pro' });
    await call('POST', '/faults', { blackhole: true });
    await call('POST', '/time-scale', { scale: 100 });
    sim.revokeToken(TOKEN);
    const res = await call('POST', '/reset');
    expect(res.json).toMatchObject({
      timeScale: 1,
      faults: { blackhole: false },
      cookers: [{ cookerId: A7, mode: 'idle' }],
    });
    expect(res.json.cookers).toHaveLength(1);
    await connect(); // the revoked start token works again
  });

  it('returns the last frames received', async () => {
    const peer = await connect();
    peer.send({ command: 'CMD_APC_STOP', requestId: 'one', payload: { cookerId: A7, type: 'a7' } });
    await peer.command({ command: 'CMD_APC_STOP', requestId: 'two', payload: { cookerId: A7, type: 'a7' } });
    const res = await call('GET', '/frames?limit=1');
    expect(res.json).toEqual([
      { at: expect.any(Number), connectionId: 1, frame: expect.objectContaining({ requestId: 'two' }) },
    ]);
    expect((await call('GET', '/frames')).json).toHaveLength(2);
    expect((await call('GET', '/frames?limit=0')).status).toBe(400);
  });
});

describe('HTTP errors', () => {
  it('answers bad JSON with 400, unknown paths with 404, wrong methods with 405', async () => {
    expect(await call('POST', '/faults', '{not json')).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    expect(await call('POST', '/faults', '[1]')).toMatchObject({ status: 400, json: { error: 'invalid_input' } });
    expect(await call('GET', '/nowhere')).toMatchObject({ status: 404, json: { error: 'not_found' } });
    expect(await call('DELETE', '/faults')).toMatchObject({ status: 405, json: { error: 'method_not_allowed' } });
  });
});
