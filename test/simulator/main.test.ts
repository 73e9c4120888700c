/** The standalone simulator: SIM_* settings, the banner, logs without tokens, stop on a signal. */
import { PassThrough } from 'node:stream';
import { EVENT } from '../../app/anova/protocol';
import { parseSimulatorEnv, runSimulatorFromEnv, SimulatorConfigError } from '../../app/simulator/main';
import { nextEvent, Peer, withGuard } from './peer';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { out, text: () => chunks.join('') };
}

describe('parseSimulatorEnv', () => {
  it('has defaults for everything, with a fresh random token', () => {
    const config = parseSimulatorEnv({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8765,
      controlPort: 8766,
      token: expect.stringMatching(/^anova-sim-[A-Za-z0-9_-]{20,}$/),
      cookers: ['a7'],
      timeScale: 1,
      pushIntervalMs: 2000,
      logLevel: 'info',
    });
    expect(parseSimulatorEnv({}).token).not.toBe(config.token);
  });

  it('reads every variable', () => {
    expect(
      parseSimulatorEnv({
        SIM_HOST: '0.0.0.0',
        SIM_PORT: '9000',
        SIM_CONTROL_PORT: 'off',
        SIM_TOKEN: 'anova-demo-token',
        SIM_COOKERS: 'a7, a4,pro',
        SIM_TIME_SCALE: '60',
        SIM_PUSH_INTERVAL_MS: '500',
        SIM_LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 9000,
      controlPort: null,
      token: 'anova-demo-token',
      cookers: ['a7', 'a4', 'pro'],
      timeScale: 60,
      pushIntervalMs: 500,
      logLevel: 'debug',
    });
  });

  it('lists every bad value in one error, without echoing a token', () => {
    let error: unknown;
    try {
      parseSimulatorEnv({
        SIM_PORT: '99999',
        SIM_CONTROL_PORT: 'x',
        SIM_TOKEN: 'secret-without-prefix',
        SIM_COOKERS: 'a7,a9',
        SIM_TIME_SCALE: '0',
        SIM_PUSH_INTERVAL_MS: '1.5',
        SIM_LOG_LEVEL: 'loud',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SimulatorConfigError);
    const problems = (error as SimulatorConfigError).problems;
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'SIM_PORT',
      'SIM_CONTROL_PORT',
      'SIM_TOKEN',
      'SIM_COOKERS',
      'SIM_TIME_SCALE',
      'SIM_PUSH_INTERVAL_MS',
      'SIM_LOG_LEVEL',
    ]);
    expect((error as Error).message).toContain('SIM_COOKERS must be a comma list of cooker types');
    expect((error as Error).message).not.toContain('secret-without-prefix');
  });
});

describe('runSimulatorFromEnv', () => {
  it('prints the URL, token and control URL, serves them, logs without the token, and stops on SIGTERM', async () => {
    const token = 'anova-standalone-test-token';
    const { out, text } = capture();
    const running = await runSimulatorFromEnv(
      { SIM_PORT: '0', SIM_CONTROL_PORT: '0', SIM_TOKEN: token, SIM_COOKERS: 'a7,a4' },
      out,
    );
    const sim = running.simulator;
    const banner = text();
    expect(banner).toContain(`WebSocket URL  ${sim.url}`);
    expect(banner).toContain(`ANOVA_TOKEN    ${token}`);
    expect(banner).toContain(`Control API    ${sim.controlUrl}`);
    expect(banner).toContain(`ANOVA_WS_URL=${sim.url} ANOVA_TOKEN=${token}`);
    expect(sim.cookers().map((c) => c.type)).toEqual(['a7', 'a4']);

    const peer = await Peer.connect(sim.url, token);
    const list = await peer.frame((f) => f.command === EVENT.wifiList);
    expect(list.payload).toHaveLength(2);
    await peer.command({
      command: 'CMD_APC_STOP',
      requestId: 'r',
      payload: { cookerId: sim.cookers()[0].cookerId, type: 'a7' },
    });
    expect((await fetch(`${sim.controlUrl}/`)).status).toBe(200);

    const disconnected = nextEvent(sim.events, 'disconnect');
    process.emit('SIGTERM', 'SIGTERM');
    await withGuard(running.stopped, 5000, 'the simulator to stop');
    await disconnected;
    await peer.closed();
    expect(process.listenerCount('SIGTERM')).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(0);

    const logs = text().slice(banner.length);
    expect(logs).toContain('client connected');
    expect(logs).toContain('Simulator stopped.');
    expect(logs).not.toContain(token);
    await running.close(); // a second close is harmless
  });

  it('throws the config error before listening', async () => {
    const { out, text } = capture();
    await expect(runSimulatorFromEnv({ SIM_PORT: 'abc' }, out)).rejects.toThrow(SimulatorConfigError);
    expect(text()).toBe('');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
