/**
 * The simulator as a real WebSocket server, driven by a raw `ws` peer: auth, the connect
 * sequence, periodic pushes, unplugging, and the connection-level faults.
 */
import { EVENT, type Frame } from '../../app/anova/protocol';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../app/simulator';
import { UNKNOWN_EVENT } from '../../app/simulator/payloads';
import { isResponseTo, isState, nextEvent, Peer, stateCookerId, stateOf, withGuard } from './peer';

const TOKEN = 'anova-test-token-0123456789';
const A7 = 'a7CookerId000000000001';
const A4 = 'a4CookerId000000000002';
const A7_UNPLUGGED = 'a7CookerId000000000003';
const A4_UNPLUGGED = 'a4CookerId000000000004';

let sim: SimulatorHandle;
const peers: Peer[] = [];

async function start(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  sim = await startSimulator({ tokens: [TOKEN], pushIntervalMs: 60_000, ...opts });
  return sim;
}

async function connect(token = TOKEN, accessories = 'APC'): Promise<Peer> {
  const peer = await Peer.connect(sim.url, token, accessories);
  peers.push(peer);
  return peer;
}

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await sim?.close();
});

const commands = (frames: Frame[]) => frames.map((f) => f.command);

describe('tokens', () => {
  it('accepts a configured anova- token from the query string and refuses others with 401 at the handshake', async () => {
    await start();
    const rejected = nextEvent<string>(sim.events, 'rejected');
    expect((await Peer.handshake(sim.url, 'anova-not-on-the-list')).status).toBe(401);
    expect(await rejected).toBe('unknown token');
    expect((await Peer.handshake(sim.url, '')).status).toBe(401);

    const opened = nextEvent<number>(sim.events, 'connection');
    await connect();
    expect(await opened).toBe(1);
    expect(sim.connectionCount()).toBe(1);
  });

  it('in close1008 mode opens, then closes a bad token with 1008', async () => {
    await start({ behavior: { tokenRejection: 'close1008' } });
    const { status, ws } = await Peer.handshake(sim.url, 'anova-wrong');
    expect(status).toBe('open');
    const code = await withGuard(new Promise<number>((resolve) => ws.once('close', resolve)), 5000, 'close');
    expect(code).toBe(1008);
    expect(sim.connectionCount()).toBe(0);
  });

  it('revoking a connected token closes its socket with 1008 and refuses it afterwards', async () => {
    await start();
    sim.acceptToken('anova-second-token');
    const revoked = await connect();
    const other = await connect('anova-second-token');
    sim.revokeToken(TOKEN);
    expect((await revoked.closed()).code).toBe(1008);
    expect((await Peer.handshake(sim.url, TOKEN)).status).toBe(401);
    expect(other.ws.readyState).toBe(other.ws.OPEN);

    sim.revokeToken('anova-second-token', 'close1008');
    expect((await other.closed()).code).toBe(1008);
    const { status, ws } = await Peer.handshake(sim.url, 'anova-second-token');
    expect(status).toBe('open');
    expect(await new Promise((resolve) => ws.once('close', resolve))).toBe(1008);
  });

  it('refuses every handshake with 503 while refusing connections', async () => {
    await start();
    sim.setRefuseConnections(true);
    expect((await Peer.handshake(sim.url, TOKEN)).status).toBe(503);
    sim.setRefuseConnections(false);
    await connect();
  });
});

describe('connect sequence', () => {
  const fleet = [
    { cookerId: A7, type: 'a7' as const },
    { cookerId: A4, type: 'a4' as const },
    { cookerId: A7_UNPLUGGED, type: 'a7' as const, plugged: false },
    { cookerId: A4_UNPLUGGED, type: 'a4' as const, plugged: false },
  ];

  it('list, user state, version, then one state per plugged cooker and a stale online:false state for an unplugged a7', async () => {
    await start({ cookers: fleet });
    const peer = await connect();
    const sequence = await peer.nextFrames(6, () => true);
    // Anything still to come was sent after this push, so the sequence above is complete.
    sim.pushNow();
    await peer.frame(isState(A4), 6);

    expect(commands(peer.frames.slice(0, 6))).toEqual([
      EVENT.wifiList,
      EVENT.userState,
      EVENT.wifiVersion,
      EVENT.state,
      EVENT.state,
      EVENT.state,
    ]);
    expect(sequence[0].payload).toEqual(
      fleet.map((c) => ({
        cookerId: c.cookerId,
        type: c.type,
        name: expect.any(String),
        pairedAt: expect.any(String),
      })),
    );
    expect(sequence[1].payload).toMatchObject({ sousVideSubscription: expect.any(Object) });
    expect((sequence[2].payload as { cookerId: string }[]).map((v) => v.cookerId)).toEqual(
      fleet.map((c) => c.cookerId),
    );
    expect(sequence.slice(3).map(stateCookerId)).toEqual([A7, A4, A7_UNPLUGGED]);

    const live = stateOf(sequence[3]);
    expect(live.systemInfo.online).toBe(true);
    expect(stateOf(sequence[4]).job.mode).toBe('IDLE');
    const stale = stateOf(sequence[5]);
    expect(stale.systemInfo.online).toBe(false);
    expect(Date.parse(live.updatedTimestamp) - Date.parse(stale.updatedTimestamp)).toBeGreaterThan(3_600_000);

    // The periodic push covers plugged cookers only.
    expect(peer.frames.slice(6).map(stateCookerId).sort()).toEqual([A4, A7].sort());
  });

  it('adds EVENT_APO_WIFI_LIST [] when APO is requested', async () => {
    await start();
    const peer = await connect(TOKEN, 'APC,APO');
    const oven = await peer.frame((f) => f.command === EVENT.ovenList);
    expect(oven.payload).toEqual([]);
    const plain = await connect();
    await plain.frame(isState());
    expect(commands(plain.frames)).not.toContain(EVENT.ovenList);
  });

  it('quirks: a state before the list, the list twice, an unknown event', async () => {
    await start({ cookers: [{ cookerId: A7 }] });
    sim.setConnectQuirks({ stateBeforeList: true, duplicateList: true });
    sim.setConnectQuirks({ unknownEvent: true }); // merges with the others
    const peer = await connect();
    await peer.nextFrames(6, () => true);
    expect(commands(peer.frames)).toEqual([
      EVENT.state,
      EVENT.wifiList,
      UNKNOWN_EVENT,
      EVENT.userState,
      EVENT.wifiVersion,
      EVENT.wifiList,
    ]);
  });
});

describe('periodic pushes', () => {
  it('pushes every plugged cooker to every client at the configured cadence', async () => {
    const intervalMs = 40;
    await start({
      pushIntervalMs: intervalMs,
      cookers: [{ cookerId: A7 }, { cookerId: A4, type: 'a4' }, { cookerId: A7_UNPLUGGED, plugged: false }],
    });
    const [first, second] = [await connect(), await connect()];
    const startAt = first.frames.length;
    const pushes = await first.nextFrames(4, isState(A7), startAt);
    await second.nextFrames(4, isState(A7), second.frames.length);

    const stamps = pushes.map((f) => Date.parse(stateOf(f).updatedTimestamp));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i] - stamps[i - 1]).toBeGreaterThanOrEqual(intervalMs / 2);
    const later = first.frames.slice(startAt);
    expect(later.filter(isState(A4)).length).toBeGreaterThanOrEqual(3);
    expect(later.filter(isState(A7_UNPLUGGED))).toEqual([]);
  });

  it('with an idle cadence, idle cookers are pushed less often than cooking ones', async () => {
    await start({
      pushIntervalMs: 20,
      behavior: { idlePushIntervalMs: 60_000 },
      cookers: [
        { cookerId: A7, waterTempC: 60 },
        { cookerId: A4, type: 'a4' },
      ],
    });
    const peer = await connect();
    await peer.command({
      command: 'CMD_APC_START',
      requestId: 'go',
      payload: { cookerId: A7, type: 'a7', targetTemperature: 60, unit: 'C', timer: 0 },
    });
    const from = peer.frames.length;
    await peer.nextFrames(5, isState(A7), from);
    expect(peer.frames.slice(from).filter(isState(A4)).length).toBeLessThanOrEqual(1);
  });

  it('unplug stops a cooker’s pushes without closing the socket; announce sends one online:false first; plug resumes', async () => {
    await start({ cookers: [{ cookerId: A7 }, { cookerId: A4, type: 'a4' }] });
    const peer = await connect();
    await peer.frame(isState(A4));

    const from = peer.frames.length;
    sim.unplug(A7, true);
    sim.unplug(A4, true); // schema B has no online flag: nothing to announce
    sim.plug(A4); // pushes A4's state at once
    sim.pushNow(); // A4 again, and nothing for the unplugged A7
    const [replug] = await peer.nextFrames(2, isState(A4), from);
    const sent = peer.frames.slice(from);
    expect(sent.map(stateCookerId)).toEqual([A7, A4, A4]);
    expect(stateOf(sent[0]).systemInfo.online).toBe(false);
    expect(sent[1]).toBe(replug);
    expect(sim.connectionCount()).toBe(1);
    expect(sim.cooker(A7).plugged).toBe(false);

    const before = peer.frames.length;
    sim.plug(A7);
    const back = await peer.frame(isState(A7), before);
    expect(stateOf(back).systemInfo.online).toBe(true);
  });

  it('a reconnecting client gets the stale state of a cooker unplugged mid-session', async () => {
    await start({ cookers: [{ cookerId: A7 }] });
    sim.unplug(A7);
    const peer = await connect();
    const state = await peer.frame(isState(A7));
    expect(stateOf(state).systemInfo.online).toBe(false);
  });
});

describe('connection faults', () => {
  it('answers pings with pongs, and stops answering in ignore-pings mode', async () => {
    await start({ pushIntervalMs: 20 });
    const peer = await connect();
    const pinged = nextEvent<number>(sim.events, 'ping');
    peer.ws.ping();
    expect(await pinged).toBe(1);
    await withGuard(new Promise((resolve) => peer.ws.once('pong', resolve)), 5000, 'a pong');

    sim.setAnswerPings(false);
    const pongsBefore = peer.pongs.length;
    const ignored = nextEvent(sim.events, 'ping');
    peer.ws.ping();
    await ignored;
    // Frames are ordered on the stream: a pong sent for that ping would arrive before these pushes.
    await peer.nextFrames(2, isState(), peer.frames.length);
    expect(peer.pongs.length).toBe(pongsBefore);
  });

  it('blackhole: the socket stays open but nothing is sent or answered', async () => {
    await start({ pushIntervalMs: 20, cookers: [{ cookerId: A7 }] });
    const peer = await connect();
    await peer.frame(isState(A7), peer.frames.length);

    let sentDuringBlackhole = 0;
    const countPushes = () => sentDuringBlackhole++;
    sim.setBlackhole(true);
    sim.events.on('push', countPushes);
    const pinged = nextEvent(sim.events, 'ping');
    const commanded = nextEvent(sim.events, 'command');
    peer.send({ command: 'CMD_APC_STOP', requestId: 'lost', payload: { cookerId: A7, type: 'a7' } });
    peer.ws.ping();
    await Promise.all([pinged, commanded]);
    // The one bounded negative check: several push intervals pass with nothing sent.
    await new Promise((resolve) => setTimeout(resolve, 150));
    sim.events.off('push', countPushes);
    expect(sentDuringBlackhole).toBe(0);
    expect(sim.connectionCount()).toBe(1);
    expect(peer.ws.readyState).toBe(peer.ws.OPEN);
    expect(sim.received().some((r) => r.frame.requestId === 'lost')).toBe(true);

    sim.setBlackhole(false);
    await peer.frame(isState(A7), peer.frames.length);
    // Anything sent during the blackhole would have arrived before this push.
    expect(peer.pongs).toEqual([]);
    expect(peer.frames.some(isResponseTo('lost'))).toBe(false);
  });

  it('drop "close" closes cleanly (1001); drop "abort" kills the TCP stream (1006)', async () => {
    await start();
    const clean = await connect();
    const gone = nextEvent<number>(sim.events, 'disconnect');
    sim.dropConnections('close');
    expect((await clean.closed()).code).toBe(1001);
    expect(await gone).toBe(1);

    const aborted = await connect();
    sim.dropConnections('abort');
    expect((await aborted.closed()).code).toBe(1006);
  });

  it('closes a socket that sends more commands than the rate limit allows', async () => {
    await start({
      cookers: [{ cookerId: A7 }],
      behavior: { rateLimit: { maxCommands: 3, windowMs: 60_000, closeCode: 1008 } },
    });
    const peer = await connect();
    for (let i = 0; i < 3; i++) {
      await peer.command({ command: 'CMD_APC_STOP', requestId: `s${i}`, payload: { cookerId: A7, type: 'a7' } });
    }
    expect(sim.connectionCount()).toBe(1);
    peer.send({ command: 'CMD_APC_STOP', requestId: 's3', payload: { cookerId: A7, type: 'a7' } });
    expect(await peer.closed()).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    expect(peer.frames.some(isResponseTo('s3'))).toBe(false);
  });

  it('closes a socket at the maximum connection age', async () => {
    await start({ behavior: { maxConnectionAgeMs: 50 } });
    const peer = await connect();
    expect((await peer.closed()).code).toBe(1001);
  });

  it('records every frame from clients, with its connection', async () => {
    await start({ cookers: [{ cookerId: A7 }] });
    const peer = await connect();
    const frame = nextEvent(sim.events, 'frame');
    peer.send({ command: 'HELLO', payload: { x: 1 } });
    await frame;
    await peer.command({ command: 'CMD_APC_STOP', requestId: 'r', payload: { cookerId: A7, type: 'a7' } });
    expect(sim.received().map((r) => [r.connectionId, r.frame.command])).toEqual([
      [1, 'HELLO'],
      [1, 'CMD_APC_STOP'],
    ]);
    expect(peer.garbage).toEqual([]);
  });
});
