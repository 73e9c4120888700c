/**
 * The cook service against fakes of its three ports (the cooker, the journal, the monitor) on an
 * injected clock: the busy lock, how a cook ends, and recovery after a restart. The same service
 * runs against the real client, simulator and SQLite in test/journal and test/http.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CookerError,
  type CloudStatus,
  type CommandAck,
  type CookerPort,
  type CookerSnapshot,
  type DeviceState,
} from '../../app/cooking/cooker';
import type { CookMonitorLike } from '../../app/cooking/cook-monitor-port';
import type {
  CookEvent,
  CookJournalPort,
  CookSample,
  EndReason,
  NewCook,
  StoredCookDetail,
} from '../../app/cooking/journal-port';
import type { MonitorFactory } from '../../app/cooking/cook-monitor-port';
import {
  CookMonitor,
  type FoodSafetyView,
  type MonitorEvent,
  type MonitorPlan,
  type Observation,
} from '../../app/cooking/monitor';
import { parseStartCookBody } from '../../app/cooking/request';
import { CookService, LINGERING_RECOVERY_MS, MAX_REPLAYED_SAMPLES } from '../../app/cooking/service';
import { openDatabase } from '../../app/journal/database';
import { CookJournal } from '../../app/journal/journal';
import { captureLogger } from '../helpers/logs';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const COOKER = { cookerId: 'k3J9xQ2mPz7LwB4nR8tY1a', type: 'a7', name: 'Anova Precision Cooker 3.0' };
/** A second cooker on the same account. */
const OTHER_COOKER = { cookerId: 'Qm7wP2xK9LdR4tZ8bN1cVa', type: 'a7', name: 'Second cooker' };
const MIN = 60_000;

// ------------------------------------------------------------------------------ fakes

/** A cooker port whose states, online flag and command answers the test decides. */
class FakeCooker implements CookerPort {
  private readonly events = new EventEmitter();
  cloud: CloudStatus = { state: 'connected', attempt: 0, since: T0 };
  online = true;
  state: DeviceState | null = null;
  lastStateAt: number | null = null;
  /** How the next command is answered; a pending promise lets a test interleave pushes. */
  answer: () => Promise<CommandAck> = async () => ({ requestId: `r${++this.sent}` });
  sent = 0;
  readonly commands: string[] = [];
  /** The selected cooker. */
  info = COOKER;

  cloudStatus(): CloudStatus {
    return this.cloud;
  }
  devices() {
    return [COOKER, OTHER_COOKER];
  }
  selected(): CookerSnapshot {
    return { info: this.info, state: this.state, online: this.online, lastStateAt: this.lastStateAt };
  }
  startCook(): Promise<CommandAck> {
    this.commands.push('start');
    return this.answer();
  }
  stopCook(): Promise<CommandAck> {
    this.commands.push('stop');
    return this.answer();
  }
  setTemperatureUnit(): Promise<CommandAck> {
    return this.answer();
  }
  onState(listener: (s: DeviceState) => void) {
    this.events.on('state', listener);
    return () => this.events.off('state', listener);
  }
  onOnlineChange(listener: (online: boolean) => void) {
    this.events.on('online', listener);
    return () => this.events.off('online', listener);
  }

  /** A state push, a second after the last thing that happened. */
  push(over: Partial<DeviceState>): void {
    now += 1_000;
    this.state = { ...(this.state ?? baseState()), ...over, observedAt: now };
    this.lastStateAt = now;
    this.events.emit('state', this.state);
  }
  setOnline(online: boolean): void {
    this.online = online;
    this.events.emit('online', online);
  }
}

function baseState(): DeviceState {
  return {
    cookerId: COOKER.cookerId,
    type: 'a7',
    schema: 'C',
    reportsOnline: true,
    mode: 'idle',
    currentTempC: 20,
    targetTempC: null,
    timerTotalSeconds: null,
    timerElapsedSeconds: null,
    timerRemainingSeconds: null,
    timerRunning: false,
    alerts: [],
    processedCommandIds: [],
    observedAt: now,
  };
}

/** Records what the service writes; `unfinished` is what it reads back at recovery. */
class FakeJournal implements CookJournalPort {
  readonly cooks: NewCook[] = [];
  readonly events: Array<{ cookId: string } & CookEvent> = [];
  readonly samples: CookSample[] = [];
  readonly ends: Array<{ cookId: string; reason: EndReason }> = [];
  unfinished: StoredCookDetail | null = null;
  health = () => 'ok' as const;
  recordStart(cook: NewCook) {
    this.cooks.push(cook);
  }
  recordEvent(cookId: string, event: CookEvent) {
    this.events.push({ cookId, ...event });
  }
  offerSample(_cookId: string, sample: CookSample) {
    this.samples.push(sample);
  }
  recordEstimate() {}
  recordEnd(cookId: string, reason: EndReason) {
    this.ends.push({ cookId, reason });
  }
  unfinishedCookForRecovery() {
    return this.unfinished;
  }
  newestCookForRecovery() {
    return this.unfinished;
  }
  types() {
    return this.events.map((e) => e.type);
  }
}

/** A monitor that remembers what it was shown and raises what the test queues. */
class FakeMonitor implements CookMonitorLike {
  readonly seen: Observation[] = [];
  next: MonitorEvent[] = [];
  active: string[] = [];
  constructor(readonly plan: MonitorPlan) {}
  observe(obs: Observation) {
    this.seen.push(obs);
    return this.next.splice(0);
  }
  advance() {
    return this.next.splice(0);
  }
  view(): FoodSafetyView {
    return {
      category: null,
      pasteurises: false,
      pasteurised: false,
      log_reduction: null,
      target_log_reduction: null,
      core_temp_celsius: null,
      pasteurised_at: null,
      estimated_pasteurised_at: null,
      danger_zone_minutes: 0,
      message: 'fake',
    };
  }
  alerts() {
    return this.active;
  }
  coreTempC() {
    return null;
  }
  activeAlerts() {
    return this.active.map((alert) => ({ alert, message: `${alert} message` }));
  }
}

// ------------------------------------------------------------------------------ setup

let now = T0;
let cooker: FakeCooker;
let journal: FakeJournal;
let monitors: FakeMonitor[];
let service: CookService;

const fakeMonitors: MonitorFactory = (plan) => {
  const m = new FakeMonitor(plan);
  monitors.push(m);
  return m;
};
/** The real monitor, as app/main.ts builds it. */
const realMonitors: MonitorFactory = (plan) => new CookMonitor(plan, { dropAlertSeconds: 300, maxGapMs: 120_000 });

function newService(createMonitor = fakeMonitors, cookJournal: CookJournalPort = journal): CookService {
  return new CookService({
    cooker,
    journal: cookJournal,
    createMonitor,
    clock: () => now,
    newId: () => `cook-${monitors.length + 1}`,
    confirmWindowMs: 15_000,
    tickMs: 3_600_000,
  });
}

beforeEach(() => {
  now = T0;
  cooker = new FakeCooker();
  journal = new FakeJournal();
  monitors = [];
  cooker.push({ mode: 'idle' });
  service = newService();
});
afterEach(() => service.close());

const chicken = () =>
  parseStartCookBody(
    { temperature_celsius: 65, time_minutes: 90, food_type: 'chicken breast', thickness_mm: 25 },
    true,
  );
const running = (over: Partial<DeviceState> = {}) =>
  cooker.push({
    mode: 'cooking',
    targetTempC: 65,
    currentTempC: 65,
    timerTotalSeconds: 5400,
    timerElapsedSeconds: 60,
    timerRemainingSeconds: 5340,
    timerRunning: true,
    ...over,
  });

// ------------------------------------------------------------------------------ tests

test('a start claims the cooker before its first await: a second start in the same tick is DEVICE_BUSY', async () => {
  const first = service.start(chicken());
  await expect(service.start(chicken())).rejects.toMatchObject({ code: 'DEVICE_BUSY' });
  await first;
  expect(cooker.commands).toEqual(['start']);
});

test('an acknowledged start is journalled with what the rules decided, and a first sample', async () => {
  await service.start(chicken());
  expect(journal.cooks).toEqual([
    expect.objectContaining({
      cookId: 'cook-1',
      targetC: 65,
      timeMinutes: 90,
      thicknessMm: 25,
      thicknessAssumed: false,
      categories: ['poultry'],
      governingRule: 'FS-5',
      pasteurised: false,
      foodType: 'chicken breast',
    }),
  ]);
  expect(journal.types()).toEqual(['started']);
  expect(journal.samples).toHaveLength(1);
  expect(monitors[0].plan).toMatchObject({
    categories: ['poultry'],
    thicknessMm: 25,
    targetTempC: 65,
    timeMinutes: 90,
  });
});

test('a start the cloud refused is forgotten: nothing journalled, the cooker free again', async () => {
  cooker.answer = () => Promise.reject(new CookerError('ANOVA_API_ERROR', 'status error'));
  await expect(service.start(chicken())).rejects.toMatchObject({ code: 'ANOVA_API_ERROR' });
  expect(journal.cooks).toEqual([]);
  cooker.answer = async () => ({ requestId: 'r2' });
  await service.start(chicken());
  expect(journal.cooks).toHaveLength(1);
});

test('an unanswered start may have started: journalled as unconfirmed, busy, then interrupted when never seen', async () => {
  cooker.answer = () => Promise.reject(new CookerError('TIMEOUT', 'no answer'));
  await expect(service.start(chicken())).rejects.toMatchObject({ code: 'TIMEOUT' });
  expect(journal.events[0]).toMatchObject({ type: 'started', detail: { unconfirmed: true } });
  await expect(service.start(chicken())).rejects.toMatchObject({ code: 'DEVICE_BUSY' });
  now += 16_000;
  cooker.push({ mode: 'idle' });
  expect(service.status().cook_id).toBeNull();
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'interrupted' }]);
});

test('idle while online before the timer ran out: stopped_on_device, and the cook lingers until the next start', async () => {
  await service.start(chicken());
  running();
  now += 60_000;
  cooker.push({ mode: 'idle', timerRunning: false });
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'stopped_on_device' }]);
  expect(journal.events.at(-1)).toMatchObject({ type: 'stopped', detail: { end_reason: 'stopped_on_device' } });
  // The monitor heard of the idle state after the end was decided, and keeps being fed.
  expect(monitors[0].seen.at(-1)).toMatchObject({ mode: 'idle' });
  monitors[0].active = ['cook_interrupted'];
  expect(service.status()).toMatchObject({ state: 'idle', cook_id: 'cook-1', alerts: ['cook_interrupted'] });
  await service.start(chicken()); // allowed: the cooker is idle, the lingering cook gives way
  expect(service.status().cook_id).toBe('cook-2');
});

test('idle after the timer ran out: done, recorded as a stop with end reason done, nothing lingers', async () => {
  await service.start(chicken());
  running();
  cooker.push({ mode: 'done', timerRemainingSeconds: 0, timerElapsedSeconds: 5400 });
  cooker.push({ mode: 'idle' });
  expect(journal.types()).toEqual(['started', 'done', 'stopped']);
  expect(journal.events.at(-1)).toMatchObject({ detail: { end_reason: 'done' } });
  expect(service.status().cook_id).toBeNull();
});

test('time added on the cooker after the timer ran out: switched off before the new timer ends, it is not done', async () => {
  await service.start(chicken());
  running();
  cooker.push({ mode: 'done', timerRemainingSeconds: 0, timerElapsedSeconds: 5400 });
  now += 60_000;
  running({ timerTotalSeconds: 7200, timerElapsedSeconds: 5460, timerRemainingSeconds: 1740 });
  now += 60_000;
  cooker.push({ mode: 'idle', timerRunning: false });
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'stopped_on_device' }]);
  expect(service.status().cook_id).toBe('cook-1'); // it lingers: the food may still be in the water
});

test('offline before the timer ran out, then back idle: interrupted, with device_offline and device_online', async () => {
  await service.start(chicken());
  running();
  cooker.setOnline(false);
  expect(journal.events.at(-1)).toMatchObject({ type: 'device_offline', detail: { interrupted: true } });
  expect(monitors[0].seen.at(-1)).toMatchObject({ mode: 'offline', waterC: null });
  cooker.setOnline(true);
  cooker.push({ mode: 'idle' });
  expect(journal.types().slice(-2)).toEqual(['device_online', 'interrupted']);
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'interrupted' }]);
});

test('a stop through the API after the timer ran out ends the cook as done (whoever stopped it)', async () => {
  await service.start(chicken());
  running();
  cooker.push({ mode: 'done', timerRemainingSeconds: 0, timerElapsedSeconds: 5400 });
  await service.stop();
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'done' }]);
  expect(journal.events.at(-1)).toMatchObject({ type: 'stopped', detail: { end_reason: 'done' } });
});

test('a stop through the API whose idle push arrives before the ack still ends as stopped', async () => {
  await service.start(chicken());
  running();
  let ack!: (a: CommandAck) => void;
  cooker.answer = () => new Promise((resolve) => (ack = resolve));
  const stopping = service.stop();
  cooker.push({ mode: 'idle' });
  ack({ requestId: 'r-stop' });
  await stopping;
  expect(journal.ends).toEqual([{ cookId: 'cook-1', reason: 'stopped' }]);
});

test('cooker alerts are journalled when raised and when cleared', async () => {
  await service.start(chicken());
  running({ alerts: ['low_water'] });
  running({ alerts: [] });
  expect(journal.events.filter((e) => e.type.startsWith('alert'))).toEqual([
    expect.objectContaining({ type: 'alert_raised', detail: { alert: 'low_water', source: 'cooker' } }),
    expect.objectContaining({ type: 'alert_cleared', detail: { alert: 'low_water', source: 'cooker' } }),
  ]);
});

test('a listener that asks for the status while an event is recorded does not make the state count twice', async () => {
  // The notifier does exactly this: it puts the /status body in every notification.
  service.on('cookEvent', () => service.statusOrNull());
  await service.start(chicken());
  running({ alerts: ['low_water'] });
  running({ alerts: ['low_water'] });
  expect(journal.events.filter((e) => e.type === 'alert_raised')).toHaveLength(1);
  expect(service.status().alerts).toEqual(['low_water']);
});

test('the monitor’s events are journalled as they come', async () => {
  await service.start(chicken());
  monitors[0].next = [{ at: now, type: 'temperature_reached', detail: {} }];
  running();
  expect(journal.types()).toContain('temperature_reached');
});

describe('recovery after a restart', () => {
  function stored(over: Partial<StoredCookDetail> = {}): StoredCookDetail {
    return {
      cookId: 'cook-old',
      cookerId: COOKER.cookerId,
      startedAt: T0 - 600_000,
      targetC: 65,
      timeMinutes: 90,
      foodType: 'chicken breast',
      thicknessMm: 25,
      thicknessAssumed: false,
      categories: ['poultry'],
      governingRule: 'FS-5',
      warnings: [],
      request: {},
      estimatedCompletionAt: T0 + 5_000_000,
      pasteurised: false,
      endedAt: null,
      endReason: 'running',
      alertsSeen: [],
      events: [{ at: T0 - 600_000, type: 'started', detail: { request_id: 'r-old' } }],
      samples: [{ at: T0 - 300_000, state: 'cooking', waterC: 65, targetC: 65, coreC: 50 }],
      ...over,
    };
  }

  function restart(cook: StoredCookDetail, createMonitor = fakeMonitors): void {
    service.close();
    cooker.state = null; // a new process knows nothing of the cooker until its first push
    journal = new FakeJournal();
    journal.unfinished = cook;
    service = newService(createMonitor);
    service.recover();
  }

  const serverRestarted = () => journal.events.filter((e) => e.type === 'server_restarted');

  test('the cooker still runs it: reattached, same cook id and food; the monitor rebuilt from the start and the samples', () => {
    restart(stored());
    running({ timerElapsedSeconds: 300 });
    expect(service.status()).toMatchObject({ cook_id: 'cook-old', food_type: 'chicken breast', state: 'cooking' });
    expect(journal.events[0]).toMatchObject({
      type: 'server_restarted',
      detail: { reattached: true, cooker_state: 'cooking' },
    });
    // The start first (running, the water not known), then what was written.
    expect(monitors[0].seen[0]).toMatchObject({ at: T0 - 600_000, mode: 'preheating', waterC: null });
    expect(monitors[0].seen[1]).toMatchObject({ at: T0 - 300_000, mode: 'cooking', waterC: 65 });
    expect(journal.ends).toEqual([]);
  });

  test('a state of another cooker decides nothing: the cook waits for its own cooker', () => {
    restart(stored({ cookerId: OTHER_COOKER.cookerId }));
    running({ timerElapsedSeconds: 300 }); // the selected cooker happens to run a cook that fits
    cooker.setOnline(false);
    cooker.setOnline(true);
    expect(journal.events).toEqual([]);
    expect(service.status()).toMatchObject({ state: 'cooking', cook_id: null, food_safety: null });
    expect(journal.ends).toEqual([]);
    // Its own cooker is selected and reports idle: decided now.
    cooker.info = OTHER_COOKER;
    cooker.push({ cookerId: OTHER_COOKER.cookerId, mode: 'idle', timerRunning: false });
    expect(serverRestarted()).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reattached: false, cooker_state: 'idle' }) }),
    ]);
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'interrupted' }]);
  });

  test('the stale state replayed at connect for an offline cooker decides nothing and is not shown to the monitor', () => {
    restart(stored());
    cooker.online = false;
    running({ reportsOnline: false, currentTempC: 64, timerElapsedSeconds: 300 });
    expect(serverRestarted()).toEqual([]);
    expect(monitors[0].seen.filter((o) => o.at > T0)).toEqual([]);
    // It comes back: decided at its first live state, the whole time since the last sample unseen.
    cooker.online = true;
    running({ reportsOnline: true, timerElapsedSeconds: 301 });
    expect(serverRestarted()).toEqual([
      expect.objectContaining({ at: now, detail: { reattached: true, cooker_state: 'cooking', unseen_seconds: 303 } }),
    ]);
    expect(monitors[0].seen.filter((o) => o.at > T0)).toEqual([expect.objectContaining({ at: now, waterC: 65 })]);
  });

  test('a device alarm (unknown) first is undecided: alerts are told, and a later idle ends the cook as interrupted', () => {
    restart(stored());
    running({ mode: 'unknown', alerts: ['water_leak'], timerRunning: false });
    expect(journal.types()).toEqual(['alert_raised']);
    cooker.push({ mode: 'idle', alerts: [] });
    expect(serverRestarted()).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reattached: false, cooker_state: 'idle' }) }),
    ]);
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'interrupted' }]);
  });

  test('a device alarm (unknown) first, then running again: reattached', () => {
    restart(stored());
    running({ mode: 'unknown', alerts: ['low_water'], timerRunning: false });
    running({ timerElapsedSeconds: 300, alerts: [] });
    expect(serverRestarted()).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reattached: true, cooker_state: 'cooking' }) }),
    ]);
    expect(service.status()).toMatchObject({ cook_id: 'cook-old', state: 'cooking' });
  });

  test('cooker alarms still on before the restart are not raised again; one that had cleared is', () => {
    const before: CookEvent[] = [
      { at: T0 - 500_000, type: 'alert_raised', detail: { alert: 'low_water', source: 'cooker' } },
      { at: T0 - 450_000, type: 'alert_raised', detail: { alert: 'water_leak', source: 'cooker' } },
      { at: T0 - 400_000, type: 'alert_cleared', detail: { alert: 'water_leak', source: 'cooker' } },
      { at: T0 - 350_000, type: 'alert_raised', detail: { alert: 'temperature_drop', message: 'the server’s own' } },
    ];
    restart(stored({ events: [...stored().events, ...before] }));
    running({ timerElapsedSeconds: 300, alerts: ['low_water', 'water_leak'] });
    running({ timerElapsedSeconds: 301, alerts: [] });
    expect(journal.events.filter((e) => e.type.startsWith('alert')).map((e) => [e.type, e.detail.alert])).toEqual([
      ['alert_raised', 'water_leak'],
      ['alert_cleared', 'low_water'],
      ['alert_cleared', 'water_leak'],
    ]);
  });

  /** Salmon at 50 °C for 240 minutes; the water reached 50 °C 10 minutes after the start. */
  function salmon(startedAt: number): StoredCookDetail {
    return stored({
      startedAt,
      targetC: 50,
      timeMinutes: 240,
      foodType: 'salmon',
      categories: ['fish'],
      governingRule: null,
      pasteurised: null,
      estimatedCompletionAt: startedAt + 250 * MIN,
      // The server died 5 minutes in: the start was committed, its samples were still in memory.
      events: [{ at: startedAt, type: 'started', detail: { request_id: 'r-old' } }],
      samples: [],
    });
  }
  /** A push of the salmon cook, its timer started 10 minutes after `startedAt`. */
  function salmonRunning(startedAt: number, at: number): void {
    now = at - 1_000;
    const elapsed = Math.round((at - startedAt - 10 * MIN) / 1000);
    running({
      targetTempC: 50,
      currentTempC: 50,
      timerTotalSeconds: 240 * 60,
      timerElapsedSeconds: elapsed,
      timerRemainingSeconds: 240 * 60 - elapsed,
    });
  }

  test('a restart before the first flush: the 3 h the server was down count as unseen, so discard_food comes at once', () => {
    const startedAt = T0 - 185 * MIN; // died 5 minutes after the start, down 3 hours
    restart(salmon(startedAt), realMonitors);
    salmonRunning(startedAt, T0);
    expect(serverRestarted()).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reattached: true }) }),
    ]);
    expect(service.status()).toMatchObject({ cook_id: 'cook-old', alerts: expect.arrayContaining(['discard_food']) });
    expect(service.status().food_safety!.danger_zone_minutes).toBeGreaterThanOrEqual(180);
  });

  test('a restart before the first flush: the 4-hour budget counts from the start, not from the restart', () => {
    const startedAt = T0 - 95 * MIN; // died 5 minutes after the start, down 90 minutes
    restart(salmon(startedAt), realMonitors);
    for (let at = T0; at <= startedAt + 245 * MIN; at += MIN) salmonRunning(startedAt, at);
    const discard = journal.events.find((e) => e.type === 'alert_raised' && e.detail.alert === 'discard_food');
    expect(discard).toMatchObject({ detail: expect.objectContaining({ budget: 'below_55' }) });
    expect(discard!.at).toBeLessThanOrEqual(startedAt + 243 * MIN); // 4 h after the start, plus the 2-minute grace
  });

  test('a cooker that never came back: months of offline samples, recovered without a throw and replayed bounded', () => {
    const logs = captureLogger();
    const opened = openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'anova-recover-')), logger: logs.logger });
    const real = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => now });
    const count = 200_000; // about 139 days of one offline sample a minute
    const cook = stored({ startedAt: T0 - (count + 10) * MIN });
    real.recordStart(cook);
    real.recordEvent(cook.cookId, cook.events[0]);
    for (let i = 0; i < count; i++) {
      const at = cook.startedAt + (i + 1) * MIN;
      const state = i < 60 ? 'cooking' : 'offline';
      real.offerSample(cook.cookId, { at, state, waterC: null, targetC: null, coreC: null });
      if (i % 1_000 === 999) real.flush();
    }
    real.close();

    service.close();
    cooker.state = null;
    const reopened = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => now });
    service = newService(fakeMonitors, reopened);
    expect(() => service.recover()).not.toThrow();
    const seen = monitors[0].seen;
    expect(seen.length).toBeLessThanOrEqual(MAX_REPLAYED_SAMPLES + 1);
    expect(seen[1]).toMatchObject({ at: cook.startedAt + MIN, mode: 'cooking' }); // the beginning of the cook ...
    expect(seen.at(-1)).toMatchObject({ at: cook.startedAt + count * MIN, mode: 'offline' }); // ... and its end
    cooker.push({ mode: 'idle' });
    expect(reopened.getCook(cook.cookId)).toMatchObject({ endReason: 'interrupted' });
    service.close();
    reopened.close();
    opened.close();
  });

  test('another setpoint on the cooker: ours was replaced on the device and is closed; the new cook is not adopted', () => {
    restart(stored());
    running({ targetTempC: 57, currentTempC: 57 });
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'stopped_on_device' }]);
    expect(service.status().cook_id).toBeNull();
  });

  test('a timer longer than the time since our start could have run is someone else’s cook', () => {
    restart(stored());
    running({ timerElapsedSeconds: 3 * 3600 });
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'stopped_on_device' }]);
  });

  test('idle after being out of sight: interrupted (a stop and a power cut look the same from here)', () => {
    restart(stored());
    cooker.push({ mode: 'idle' });
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'interrupted' }]);
    expect(journal.events[0]).toMatchObject({
      type: 'server_restarted',
      detail: { reattached: false, cooker_state: 'idle' },
    });
  });

  test('idle after the journal saw it done: done', () => {
    restart(stored({ events: [...stored().events, { at: T0 - 60_000, type: 'done', detail: {} }] }));
    cooker.push({ mode: 'idle' });
    expect(journal.ends).toEqual([{ cookId: 'cook-old', reason: 'done' }]);
  });

  describe('a lingering cook (ended on the cooker) across a restart, on a real journal and monitor', () => {
    let opened: ReturnType<typeof openDatabase>;
    let real: CookJournal;
    let ids = 0;
    const logs = captureLogger();
    const lingeringService = () =>
      new CookService({
        cooker,
        journal: real,
        createMonitor: realMonitors,
        clock: () => now,
        newId: () => `cook-${++ids}`,
        tickMs: 3_600_000,
      });

    beforeEach(() => {
      opened = openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'anova-linger-')), logger: logs.logger });
      real = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => now });
      ids = 0;
      service.close();
      service = lingeringService();
    });
    afterEach(() => {
      service.close();
      real.close();
      opened.close();
    });

    /** The server goes down and comes back at `at`: a new journal and service on the same database. */
    function restartAt(at: number): void {
      service.close();
      real.close();
      now = at;
      cooker.state = null;
      real = new CookJournal({ db: opened.db, logger: logs.logger, clock: () => now });
      service = lingeringService();
      service.recover();
      cooker.push({ mode: 'idle', currentTempC: 30 });
    }

    /** 30 minutes of chicken at 65 °C, then the power is cut: offline, back idle 5 minutes later. */
    async function chickenInterrupted(): Promise<{ cookId: string; lostAt: number; endedAt: number }> {
      const { cookId } = await service.start(chicken());
      const from = now;
      for (let i = 1; i <= 30; i++) {
        now = from + i * MIN - 1_000;
        running({ timerElapsedSeconds: i * 60, timerRemainingSeconds: 5400 - i * 60 });
      }
      const lostAt = now;
      cooker.setOnline(false);
      now += 5 * MIN;
      cooker.setOnline(true);
      cooker.push({ mode: 'idle', currentTempC: 58, targetTempC: null, timerRunning: false });
      const endedAt = now;
      expect(service.status()).toMatchObject({ cook_id: cookId, state: 'idle' });
      expect(service.status().alerts).toContain('cook_interrupted');
      return { cookId, lostAt, endedAt };
    }

    const eventsOf = (cookId: string) => real.getCook(cookId)!.events;
    const raised = (cookId: string, alert: string) =>
      eventsOf(cookId).filter((e) => e.type === 'alert_raised' && e.detail.alert === alert);

    test('a restart 30 minutes after the power cut: the cook and cook_interrupted stay; discard_food 2 h after the heat was lost', async () => {
      const { cookId, lostAt, endedAt } = await chickenInterrupted();
      restartAt(lostAt + 30 * MIN);
      expect(service.status()).toMatchObject({ cook_id: cookId, state: 'idle', food_type: 'chicken breast' });
      expect(service.status().alerts).toContain('cook_interrupted');
      // Not closed again: the same end, one end event; the restart is told as for any recovered cook.
      expect(real.getCook(cookId)).toMatchObject({ endReason: 'interrupted', endedAt });
      expect(eventsOf(cookId).filter((e) => e.type === 'interrupted' || e.type === 'stopped')).toHaveLength(1);
      expect(eventsOf(cookId).filter((e) => e.type === 'server_restarted')).toEqual([
        expect.objectContaining({ detail: expect.objectContaining({ lingering: true, reattached: false }) }),
      ]);
      for (let at = lostAt + 31 * MIN; at <= lostAt + 130 * MIN; at += MIN) {
        now = at - 1_000;
        cooker.push({ mode: 'idle', currentTempC: 30 });
      }
      // Raised once (before the restart), not again from the rebuilt monitor.
      expect(raised(cookId, 'cook_interrupted')).toHaveLength(1);
      const discard = raised(cookId, 'discard_food');
      expect(discard).toHaveLength(1);
      expect(discard[0].at).toBeGreaterThanOrEqual(lostAt + 119 * MIN);
      expect(discard[0].at).toBeLessThanOrEqual(lostAt + 122 * MIN); // not 2 h after the restart
      expect(service.status().alerts).toEqual(expect.arrayContaining(['cook_interrupted', 'discard_food']));
    });

    test(`recovered only while it ended at most ${LINGERING_RECOVERY_MS / 3_600_000} h ago`, async () => {
      const { cookId, endedAt } = await chickenInterrupted();
      restartAt(endedAt + LINGERING_RECOVERY_MS - MIN);
      expect(service.status()).toMatchObject({ cook_id: cookId, state: 'idle' });
      restartAt(endedAt + LINGERING_RECOVERY_MS + MIN);
      expect(service.status()).toMatchObject({ cook_id: null, food_safety: null, alerts: [] });
      expect(real.getCook(cookId)).toMatchObject({ endReason: 'interrupted', endedAt });
    });

    test('only the newest cook of the journal, and not once a stop let go of it', async () => {
      const first = await chickenInterrupted();
      // A second cook, stopped on the cooker: it lingers in place of the first.
      const { cookId } = await service.start(chicken());
      running({ timerElapsedSeconds: 60 });
      cooker.push({ mode: 'idle', currentTempC: 64, targetTempC: null, timerRunning: false });
      expect(real.getCook(cookId)).toMatchObject({ endReason: 'stopped_on_device' });
      restartAt(now + 10 * MIN);
      expect(service.status()).toMatchObject({ cook_id: cookId, state: 'idle' });
      expect(eventsOf(first.cookId).filter((e) => e.type === 'server_restarted')).toEqual([]);
      // A stop lets go of it, for good: the next restart brings back neither cook.
      await service.stop();
      expect(service.status().cook_id).toBeNull();
      restartAt(now + 10 * MIN);
      expect(service.status()).toMatchObject({ cook_id: null, alerts: [] });
      expect(real.getCook(cookId)).toMatchObject({ endReason: 'stopped_on_device' });
    });
  });

  test('nothing unfinished: nothing happens', () => {
    restart(null as unknown as StoredCookDetail);
    running();
    expect(journal.events).toEqual([]);
  });
});

test('an offline cooker during a cook: the 503 tells what the monitor knows of the food', async () => {
  await service.start(chicken());
  running();
  cooker.setOnline(false);
  expect(() => service.status()).toThrow(
    expect.objectContaining({
      code: 'DEVICE_OFFLINE',
      publicMessage: expect.stringMatching(/chicken breast is in the bath\. fake$/),
    }),
  );
});
