/**
 * The public API's response shapes and its error-code table (docs/api.md), shared by the HTTP
 * edge (statuses, the OpenAPI document) and the MCP edge (tool results). Request fields live in
 * the domain (../cooking/schema.ts), since the validator enforces them.
 */
import type { CookerErrorCode } from '../cooking/cooker';
import type { CookErrorCode } from '../cooking/errors';
import { COOKER_STATES, WARNING_CODES } from '../cooking/schema';

/** The subset of JSON Schema (2020-12, as used by OpenAPI 3.1) this API needs. */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  format?: string;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
}
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** Every error code of docs/api.md with its HTTP status; the edge's status mapping can read this table. */
export type ApiErrorCode =
  | CookErrorCode
  | CookerErrorCode
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'COOK_NOT_FOUND'
  | 'INVALID_LIMIT'
  | 'JOURNAL_UNAVAILABLE'
  | 'ORIGIN_NOT_ALLOWED';

export const API_ERROR_CODES = {
  MISSING_BODY: { status: 400, when: 'no body, or the body is not a JSON object' },
  INVALID_JSON: { status: 400, when: 'the body is not parseable JSON' },
  MISSING_TEMPERATURE: { status: 400, when: 'temperature_celsius absent' },
  MISSING_TIME: { status: 400, when: 'time_minutes absent' },
  INVALID_TEMPERATURE: { status: 400, when: 'temperature_celsius is not a finite number' },
  INVALID_TIME: { status: 400, when: 'time_minutes is not a finite number' },
  INVALID_FOOD_TYPE: { status: 400, when: 'food_type is not a string, too long, or has control characters' },
  INVALID_THICKNESS: { status: 400, when: 'thickness_mm is not a number or outside 5-100' },
  INVALID_LIMIT: { status: 400, when: 'limit of GET /cooks is not a whole number from 1 to 100' },
  TEMPERATURE_TOO_LOW: { status: 400, when: 'below 40.0 °C' },
  TEMPERATURE_TOO_HIGH: { status: 400, when: 'above 95.0 °C' },
  TIME_TOO_SHORT: { status: 400, when: 'below 1 minute after truncation' },
  TIME_TOO_LONG: { status: 400, when: 'above 5999 minutes' },
  POULTRY_TEMP_UNSAFE: { status: 400, when: 'poultry below 57.0 °C' },
  GROUND_MEAT_TEMP_UNSAFE: { status: 400, when: 'ground or minced meat below 60.0 °C' },
  FOOD_SAFETY_TIME_UNSAFE: {
    status: 400,
    when: 'a food-safety time rule fails; the message names the rule and a safe alternative',
  },
  UNAUTHORIZED: { status: 401, when: 'missing or wrong Bearer API key' },
  ORIGIN_NOT_ALLOWED: { status: 403, when: '/mcp called from a web page of another site (DNS-rebinding defence)' },
  NOT_FOUND: { status: 404, when: 'unknown path' },
  COOK_NOT_FOUND: { status: 404, when: 'no cook with that id in the journal (also an unknown `before` of GET /cooks)' },
  METHOD_NOT_ALLOWED: { status: 405, when: 'wrong method for a known path' },
  DEVICE_BUSY: { status: 409, when: 'start while a cook is running (preheating, cooking, or done and holding)' },
  NO_ACTIVE_COOK: { status: 409, when: 'stop while nothing is running' },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'body over 16 KiB' },
  RATE_LIMITED: { status: 429, when: 'too many requests; retry after retry_after_seconds' },
  INTERNAL_ERROR: { status: 500, when: 'unexpected server failure' },
  ANOVA_AUTH_FAILED: { status: 502, when: 'the Anova cloud rejected the server token' },
  ANOVA_API_ERROR: { status: 502, when: 'the Anova cloud refused the command' },
  DEVICE_OFFLINE: { status: 503, when: 'the cooker is offline or not found on the account' },
  CLOUD_UNREACHABLE: { status: 503, when: 'no connection to the Anova cloud right now (reconnecting)' },
  JOURNAL_UNAVAILABLE: { status: 503, when: 'the cook journal cannot be read right now; cooking itself keeps working' },
  TIMEOUT: { status: 504, when: 'the Anova cloud did not answer in time' },
} as const satisfies Record<ApiErrorCode, { status: number; when: string }>;

// ---------------------------------------------------------------------------------------------
// Response bodies
// ---------------------------------------------------------------------------------------------

const celsius = (description: string, nullable = false): JsonSchema => ({
  type: nullable ? ['number', 'null'] : 'number',
  description,
});

export const ERROR_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      enum: Object.keys(API_ERROR_CODES),
      description: 'Stable machine-readable error code.',
    },
    message: {
      type: 'string',
      description:
        'One or two plain sentences for the person: what went wrong and what to do. Repeat it to them; for food-safety ' +
        'refusals it names the rule and a safe alternative (temperature and minutes).',
    },
    retry_after_seconds: {
      type: 'integer',
      description: 'Only with RATE_LIMITED: wait this many seconds before trying again.',
    },
  },
};

export const START_COOK_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'success',
    'message',
    'cook_id',
    'device_state',
    'target_temp_celsius',
    'time_minutes',
    'estimated_completion',
    'food_type',
    'warnings',
  ],
  properties: {
    success: { type: 'boolean', const: true },
    message: {
      type: 'string',
      description:
        'Confirmation to repeat to the person, e.g. that the water is heating and the timer starts at temperature.',
    },
    cook_id: { type: 'string', format: 'uuid', description: 'Identifier of this cook.' },
    device_state: {
      type: 'string',
      enum: COOKER_STATES,
      description: 'Cooker state right after starting, usually "preheating".',
    },
    target_temp_celsius: celsius('Target water temperature, °C, 0.1 precision.'),
    time_minutes: {
      type: 'integer',
      description: 'Timer length in minutes (counted from when the water reaches temperature).',
    },
    estimated_completion: {
      type: 'string',
      format: 'date-time',
      description: 'Estimated end of the timer (UTC): now + estimated heat-up + cooking time.',
    },
    food_type: { type: ['string', 'null'], description: 'The food_type as received (trimmed), or null.' },
    thickness_assumed_mm: {
      type: 'number',
      description:
        'Present only when no thickness_mm was given and a food-safety time rule needed one: the thickness assumed, in mm.',
    },
    warnings: {
      type: 'array',
      description:
        'Food-safety advice that did not block the cook (for example not pasteurised, food not recognised, thickness ' +
        'assumed). Always tell the person every warning message.',
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: WARNING_CODES },
          message: { type: 'string', description: 'Advice to repeat to the person.' },
        },
      },
    },
  },
};

export const STATUS_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'device_online',
    'state',
    'current_temp_celsius',
    'target_temp_celsius',
    'time_remaining_minutes',
    'time_elapsed_minutes',
    'is_running',
    'current_temp_fahrenheit',
    'target_temp_fahrenheit',
    'cook_id',
    'food_type',
    'estimated_completion',
    'alerts',
    'device_name',
    'last_update_seconds_ago',
  ],
  properties: {
    device_online: { type: 'boolean', description: 'Whether the cooker is reachable through the Anova cloud.' },
    state: {
      type: 'string',
      enum: COOKER_STATES,
      description:
        'idle: not heating. preheating: heating the water; the timer has not started. cooking: at temperature, timer ' +
        'counting down. done: the timer ran out but the cooker is STILL HOLDING the water at temperature until someone ' +
        'stops it; tell the person the food is ready and that the cooker is still on. unknown: state not reported yet.',
    },
    current_temp_celsius: celsius('Current water temperature, °C.', true),
    target_temp_celsius: celsius('Target water temperature, °C.', true),
    time_remaining_minutes: {
      type: ['integer', 'null'],
      description: 'Minutes left on the timer; null when no timer is set; 0 once done (never counts up).',
    },
    time_elapsed_minutes: {
      type: ['integer', 'null'],
      description: 'Minutes of the timer elapsed; null when no timer is set.',
    },
    is_running: {
      type: 'boolean',
      description: 'True while the heater is on (preheating, cooking or done-and-holding).',
    },
    current_temp_fahrenheit: { type: ['number', 'null'], description: 'Current water temperature, °F.' },
    target_temp_fahrenheit: { type: ['number', 'null'], description: 'Target water temperature, °F.' },
    cook_id: { type: ['string', 'null'], description: 'Identifier of the cook started through this server, or null.' },
    food_type: { type: ['string', 'null'], description: 'Food of the current cook, if it was given.' },
    estimated_completion: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Estimated end of the timer (UTC), or null.',
    },
    alerts: {
      type: 'array',
      items: { type: 'string' },
      description: 'Device alerts such as low_water, water_empty or heater_fault; tell the person about any of them.',
    },
    device_name: { type: ['string', 'null'], description: 'Name of the cooker.' },
    last_update_seconds_ago: {
      type: ['integer', 'null'],
      description: 'Seconds since the cooker last reported its state.',
    },
    food_safety: {
      oneOf: [{ $ref: '#/components/schemas/FoodSafety' }, { type: 'null' }],
      description: 'Live food safety of the cook this server started (null when none): tell the person its message.',
    },
  },
};

/** The `food_safety` object of GET /status (docs/api.md). */
export const FOOD_SAFETY_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'category',
    'pasteurises',
    'pasteurised',
    'log_reduction',
    'target_log_reduction',
    'core_temp_celsius',
    'pasteurised_at',
    'estimated_pasteurised_at',
    'danger_zone_minutes',
    'message',
  ],
  properties: {
    category: { type: ['string', 'null'], description: 'The food category whose rule governs, or null.' },
    pasteurises: {
      type: 'boolean',
      description: 'Whether this cook can pasteurise the food (as GET /cook-plan says).',
    },
    pasteurised: { type: 'boolean', description: 'True once the model says the centre of the food is pasteurised.' },
    log_reduction: {
      type: ['number', 'null'],
      description: 'Pathogen reduction so far at the slowest-heating point (log10).',
    },
    target_log_reduction: {
      type: ['number', 'null'],
      description: 'The reduction that counts as pasteurised (log10).',
    },
    core_temp_celsius: celsius('Model estimate of the temperature at the centre of the food, °C.', true),
    pasteurised_at: { type: ['string', 'null'], format: 'date-time', description: 'When it became pasteurised (UTC).' },
    estimated_pasteurised_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When it will be pasteurised at the water temperature measured so far (UTC).',
    },
    danger_zone_minutes: {
      type: ['integer', 'null'],
      description: 'Minutes the centre has spent between 4.4 and 54.4 °C since the food went in (unseen time counts).',
    },
    message: { type: 'string', description: 'The food-safety situation in one or two sentences: tell the person.' },
  },
};

const WARNINGS_SCHEMA: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string', enum: WARNING_CODES }, message: { type: 'string' } },
  },
};

/** GET /cook-plan (docs/api.md). */
export const COOK_PLAN_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'temperature_celsius',
    'food_type',
    'categories',
    'thickness_mm',
    'thickness_assumed',
    'min_time_minutes',
    'max_time_minutes',
    'pasteurises',
    'warnings',
    'message',
  ],
  properties: {
    temperature_celsius: celsius('The temperature planned for, °C (rounded to 0.1).'),
    food_type: { type: ['string', 'null'], description: 'The food as given (trimmed), or null.' },
    categories: {
      type: 'array',
      items: { type: 'string' },
      description: 'Food-safety categories the food falls into.',
    },
    thickness_mm: { type: 'number', description: 'Thickness the rules used, mm.' },
    thickness_assumed: { type: 'boolean', description: 'True when no thickness was given and a rule assumed 25 mm.' },
    min_time_minutes: {
      type: ['integer', 'null'],
      description:
        'Shortest safe cooking time: start-cook accepts this and refuses one minute less. Null: no minimum applies.',
    },
    max_time_minutes: {
      type: ['integer', 'null'],
      description: 'Longest allowed time (240 below 55 °C for meat, fish, eggs and unrecognised food), or null.',
    },
    pasteurises: { type: 'boolean', description: 'False: the cook is allowed but does not pasteurise (see warnings).' },
    warnings: WARNINGS_SCHEMA,
    message: { type: 'string', description: 'The plan in one sentence for the person.' },
  },
};

/** One cook of the journal (GET /cooks). */
export const COOK_SUMMARY_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'cook_id',
    'food_type',
    'target_temp_celsius',
    'time_minutes',
    'thickness_mm',
    'started_at',
    'ended_at',
    'end_reason',
    'pasteurised',
    'alerts_seen',
    'warnings',
  ],
  properties: {
    cook_id: { type: 'string', format: 'uuid' },
    food_type: { type: ['string', 'null'] },
    target_temp_celsius: celsius('Set water temperature, °C.'),
    time_minutes: { type: 'integer', description: 'Timer requested, minutes.' },
    thickness_mm: { type: 'number', description: 'Thickness the food-safety rules used, mm.' },
    started_at: { type: 'string', format: 'date-time' },
    ended_at: { type: ['string', 'null'], format: 'date-time' },
    end_reason: {
      type: 'string',
      enum: ['running', 'stopped', 'stopped_on_device', 'done', 'interrupted'],
      description:
        'stopped: through this API. stopped_on_device: the cooker went idle before the timer ran out (on the cooker or ' +
        'in the Anova app). done: the timer ran out. interrupted: the cooker went offline before the timer ran out (power ' +
        'cut, unplugged, fault).',
    },
    pasteurised: { type: ['boolean', 'null'], description: 'Whether the food was pasteurised; null when not tracked.' },
    alerts_seen: { type: 'array', items: { type: 'string' }, description: 'Every alert raised during the cook.' },
    warnings: WARNINGS_SCHEMA,
  },
};

export const COOK_LIST_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['cooks', 'next'],
  properties: {
    cooks: { type: 'array', items: { $ref: '#/components/schemas/CookSummary' }, description: 'Newest first.' },
    next: { type: ['string', 'null'], description: 'Pass as `before` for the next page; null on the last page.' },
  },
};

export const COOK_DETAIL_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: [...(COOK_SUMMARY_SCHEMA.required ?? []), 'events', 'samples'],
  properties: {
    ...COOK_SUMMARY_SCHEMA.properties,
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'type', 'detail'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          type: {
            type: 'string',
            enum: [
              'started',
              'temperature_reached',
              'pasteurised',
              'alert_raised',
              'alert_cleared',
              'device_offline',
              'device_online',
              'server_restarted',
              'stopped',
              'done',
              'interrupted',
            ],
          },
          detail: { type: 'object', description: 'What the server saw, e.g. {"alert": "low_water"}.' },
        },
      },
    },
    samples: {
      type: 'array',
      description: 'At most 500 points, evenly spread over the cook; the first is taken when it starts.',
      items: {
        type: 'object',
        required: ['at', 'water_celsius', 'target_celsius', 'core_celsius'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          water_celsius: celsius('Water temperature the cooker reported, °C.', true),
          target_celsius: celsius('Set temperature, °C.', true),
          core_celsius: celsius("The model's estimate at the centre of the food, °C.", true),
          state: {
            type: 'string',
            description: 'The cooker state then (idle, preheating, cooking, done, unknown, offline).',
          },
        },
      },
    },
  },
};

export const STOP_COOK_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['success', 'message', 'device_state', 'final_temp_celsius'],
  properties: {
    success: { type: 'boolean', const: true },
    message: {
      type: 'string',
      description: 'Confirmation to repeat to the person: the heater is off and the water cools on its own.',
    },
    device_state: { type: 'string', enum: COOKER_STATES, description: 'Cooker state after stopping, "idle".' },
    final_temp_celsius: celsius('Water temperature when stopped, °C.', true),
  },
};

export const HEALTH_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'version', 'timestamp', 'uptime_seconds', 'anova'],
  properties: {
    status: { type: 'string', const: 'ok' },
    version: { type: 'string', description: 'Server version.' },
    timestamp: { type: 'string', format: 'date-time' },
    uptime_seconds: { type: 'integer', description: 'Seconds since the server started.' },
    anova: {
      type: 'object',
      required: ['connected'],
      description: 'Informational only: the server answers ok even while the Anova cloud is unreachable.',
      properties: {
        connected: { type: 'boolean', description: 'Whether the server is connected to the Anova cloud.' },
      },
    },
    journal: {
      type: 'string',
      enum: ['ok', 'degraded'],
      description: 'Informational: "degraded" when the cook history cannot be written; cooking keeps working.',
    },
  },
};
