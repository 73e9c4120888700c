/**
 * What the cooking domain asks of the cook journal (implemented by app/journal/journal.ts over
 * SQLite). The domain owns this interface so it can run, and be tested, with the journal
 * degraded or replaced by a fake.
 *
 * Writes never throw and never wait for the disk: the journal buffers and batches them.
 */

/** How a cook ended (docs/api.md, GET /cooks). `running` until then. */
export type EndReason = 'stopped' | 'stopped_on_device' | 'done' | 'interrupted';
export type CookEndState = EndReason | 'running';

/** Journal event types (docs/api.md, GET /cooks/{cook_id}). */
export type CookEventType =
  | 'started'
  | 'temperature_reached'
  | 'pasteurised'
  | 'alert_raised'
  | 'alert_cleared'
  | 'device_offline'
  | 'device_online'
  | 'server_restarted'
  | 'stopped'
  | 'done'
  | 'interrupted';

/** The state a sample was taken in: the cooker's mode, or offline. */
export type SampleState = 'idle' | 'preheating' | 'cooking' | 'done' | 'unknown' | 'offline';

export interface CookSample {
  at: number;
  state: SampleState;
  waterC: number | null;
  targetC: number | null;
  /** The monitor's estimate of the slowest-heating point, or null when not tracked. */
  coreC: number | null;
}

export interface CookEvent {
  at: number;
  type: CookEventType;
  detail: Record<string, unknown>;
}

/** Everything recorded about a cook when it starts. */
export interface NewCook {
  cookId: string;
  cookerId: string;
  startedAt: number;
  targetC: number;
  timeMinutes: number;
  foodType: string | null;
  thicknessMm: number;
  thicknessAssumed: boolean;
  categories: string[];
  /** The rule that set the minimum time (e.g. "FS-5"), or null when none did. */
  governingRule: string | null;
  warnings: Array<{ code: string; message: string }>;
  /** The validated request as the server understood it. */
  request: Record<string, unknown>;
  estimatedCompletionAt: number | null;
  /** false when pasteurisation is tracked (not yet), null when it is not tracked at all. */
  pasteurised: boolean | null;
}

export interface StoredCook extends NewCook {
  endedAt: number | null;
  endReason: CookEndState;
  alertsSeen: string[];
}

export interface StoredCookDetail extends StoredCook {
  events: CookEvent[];
  samples: CookSample[];
}

export interface CookJournalPort {
  /** 'ok', or 'degraded' when the database cannot be opened or the last write failed. */
  health(): 'ok' | 'degraded';
  recordStart(cook: NewCook): void;
  recordEvent(cookId: string, event: CookEvent): void;
  /** Every observation may be offered; the journal keeps one a minute plus every change of state. */
  offerSample(cookId: string, sample: CookSample): void;
  recordEstimate(cookId: string, estimatedCompletionAt: number | null): void;
  recordEnd(cookId: string, reason: EndReason, at: number): void;
  /**
   * The newest cook still marked running, for restart recovery: its events and at most
   * `maxSamples` of its samples, oldest first (all of them, or its first and its last half).
   */
  unfinishedCookForRecovery(maxSamples: number): StoredCookDetail | null;
  /**
   * The newest cook of all, running or ended, read the same way: after a restart with nothing
   * running, it may be a cook that still lingers (ended on the device, docs/api.md GET /status).
   */
  newestCookForRecovery(maxSamples: number): StoredCookDetail | null;
}
