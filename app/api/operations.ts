/**
 * The public API's operations, shared by the two edges that expose them: the HTTP routes
 * (ChatGPT Actions, curl) and the MCP tools (Claude, ChatGPT apps). Each takes the caller's raw
 * input, validates it with the same rules, calls the cooking service or the journal, and returns
 * exactly the JSON body of the HTTP API (docs/api.md). Failures are thrown as typed errors; the
 * edges turn them into an error body with toErrorResponse (./errors.ts).
 */
import { celsius } from '../cooking/food-safety/format';
import { parseStartCookBody } from '../cooking/request';
import type { CookService } from '../cooking/service';
import type { StoredCook, StoredCookDetail } from '../cooking/journal-port';
import { AppError } from '../errors';
import type { CookJournal } from '../journal/journal';

/** A JSON object body as the HTTP API documents it. */
export type ApiBody = Record<string, unknown>;

export interface ApiOperations {
  /** POST /start-cook. `body` is the parsed JSON (anything); `hasBody` false when none was sent. */
  startCook(body: unknown, hasBody: boolean): Promise<ApiBody>;
  /** GET /status. */
  getStatus(): ApiBody;
  /** POST /stop-cook. */
  stopCook(): Promise<ApiBody>;
  /** GET /cook-plan: temperature_celsius, food_type, thickness_mm (strings or numbers). */
  planCook(input: Record<string, unknown>): ApiBody;
  /** GET /cooks: limit, before. */
  listCooks(input: Record<string, unknown>): ApiBody;
  /** GET /cooks/{cook_id}. */
  getCook(cookId: string): ApiBody;
}

export interface OperationsDeps {
  service: CookService;
  journal: CookJournal;
  /** The cook planner (GET /cook-plan) over the same evaluator as start-cook. */
  plan: (input: Record<string, unknown>) => ApiBody;
}

/** docs/api.md, GET /cooks: limit 1–100, default 20. */
export const COOKS_PAGE = { min: 1, max: 100, default: 20 } as const;
/** Cook ids are the uuids this server made; anything else cannot be in the journal. */
const COOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createApiOperations(deps: OperationsDeps): ApiOperations {
  const { service, journal } = deps;
  return {
    async startCook(body, hasBody) {
      const request = parseStartCookBody(body, hasBody);
      const started = await service.start(request);
      const minutes = started.timeMinutes;
      return {
        success: true,
        message:
          `Started cooking at ${celsius(started.targetTempC)} for ${minutes} minute${minutes === 1 ? '' : 's'}. ` +
          'The water is heating to temperature; the timer starts when it gets there.',
        cook_id: started.cookId,
        device_state: started.deviceState,
        target_temp_celsius: started.targetTempC,
        time_minutes: minutes,
        estimated_completion: new Date(started.estimatedCompletionAt).toISOString(),
        food_type: started.foodType,
        warnings: started.warnings,
        ...(started.thicknessAssumedMm === null ? {} : { thickness_assumed_mm: started.thicknessAssumedMm }),
      };
    },

    getStatus() {
      return { ...service.status() };
    },

    async stopCook() {
      const stopped = await service.stop();
      return {
        success: true,
        message: 'Cooking stopped. The heater is off; the water will cool down on its own.',
        device_state: 'idle',
        final_temp_celsius: stopped.finalTempC === null ? null : Math.round(stopped.finalTempC * 10) / 10,
      };
    },

    planCook(input) {
      return deps.plan(input);
    },

    listCooks(input) {
      const limit = parseLimit(input.limit);
      const before = input.before === undefined || input.before === '' ? null : String(input.before);
      if (before !== null && !COOK_ID.test(before)) throw unknownBefore();
      const page = journal.listCooks(limit, before);
      if (!page) throw unknownBefore();
      return { cooks: page.cooks.map(cookSummary), next: page.next };
    },

    getCook(cookId) {
      const cook = COOK_ID.test(cookId) ? journal.getCook(cookId) : null;
      if (!cook) {
        throw new AppError(
          'COOK_NOT_FOUND',
          'There is no cook with that id in the journal. List the cooks (GET /cooks) to find its id.',
        );
      }
      return cookDetail(cook);
    },
  };
}

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return COOKS_PAGE.default;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= COOKS_PAGE.min && n <= COOKS_PAGE.max)) {
    throw new AppError(
      'INVALID_LIMIT',
      `limit must be a whole number from ${COOKS_PAGE.min} to ${COOKS_PAGE.max}, for example ${COOKS_PAGE.default}.`,
    );
  }
  return n;
}

function unknownBefore(): AppError {
  return new AppError(
    'COOK_NOT_FOUND',
    'The cook given in `before` is not in the journal. Use the `next` value of the previous page, or leave `before` out for the newest cooks.',
  );
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function cookSummary(c: StoredCook): ApiBody {
  return {
    cook_id: c.cookId,
    food_type: c.foodType,
    target_temp_celsius: c.targetC,
    time_minutes: c.timeMinutes,
    thickness_mm: c.thicknessMm,
    started_at: iso(c.startedAt),
    ended_at: iso(c.endedAt),
    end_reason: c.endReason,
    pasteurised: c.pasteurised,
    alerts_seen: c.alertsSeen,
    warnings: c.warnings,
  };
}

function cookDetail(c: StoredCookDetail): ApiBody {
  return {
    ...cookSummary(c),
    events: c.events.map((e) => ({ at: iso(e.at), type: e.type, detail: e.detail })),
    samples: c.samples.map((s) => ({
      at: iso(s.at),
      water_celsius: s.waterC,
      target_celsius: s.targetC,
      core_celsius: s.coreC,
      state: s.state,
    })),
  };
}
