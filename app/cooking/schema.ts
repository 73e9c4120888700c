/**
 * The one definition of the public API's shapes (api.md): start-cook request fields with their
 * limits and error codes, the response bodies, and the error-code table. The validator
 * (./request.ts), the food-safety range rules (./food-safety/rules.ts) and the OpenAPI document
 * (../http/openapi.ts) all read from here, so they cannot disagree.
 *
 * Descriptions are written for ChatGPT (they end up in the Action's OpenAPI document):
 * each is at most 700 characters.
 */
import type { AnovaErrorCode } from '../anova/errors';
import type { CookerMode } from '../anova/types';
import type { CookErrorCode } from './errors';
import { DEFAULT_THICKNESS_MM } from './food-safety/tables';

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
}
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

// ---------------------------------------------------------------------------------------------
// POST /start-cook request
// ---------------------------------------------------------------------------------------------

interface FieldSpecBase {
  readonly description: string;
  readonly required: boolean;
}

/** A numeric field: JS numbers and plain decimal strings accepted, limits inclusive. */
export interface NumericFieldSpec extends FieldSpecBase {
  readonly type: 'number' | 'integer';
  readonly minimum: number;
  readonly maximum: number;
  readonly example: number;
  readonly default?: number;
  readonly codes: {
    readonly missing?: CookErrorCode;
    readonly invalid: CookErrorCode;
    readonly tooLow: CookErrorCode;
    readonly tooHigh: CookErrorCode;
  };
}

export interface TextFieldSpec extends FieldSpecBase {
  readonly type: 'string';
  /** In Unicode code points, as JSON Schema counts `maxLength`. */
  readonly maxLength: number;
  readonly example: string;
  readonly codes: { readonly invalid: CookErrorCode };
}

export const START_COOK_FIELDS = {
  temperature_celsius: {
    type: 'number',
    required: true,
    minimum: 40.0,
    maximum: 95.0,
    example: 63,
    description:
      'Water-bath temperature in degrees Celsius, 40.0 to 95.0 (rounded to 0.1). Convert Fahrenheit first: (F - 32) / 1.8. ' +
      'The server enforces food safety: poultry needs at least 57 °C and ground or minced meat at least 60 °C, each with a ' +
      'minimum time from pasteurisation tables, and below 55 °C any meat, fish, egg or unrecognised food may cook at most ' +
      '240 minutes. If the server refuses, repeat its message to the person: it names the rule and a safe alternative.',
    codes: {
      missing: 'MISSING_TEMPERATURE',
      invalid: 'INVALID_TEMPERATURE',
      tooLow: 'TEMPERATURE_TOO_LOW',
      tooHigh: 'TEMPERATURE_TOO_HIGH',
    },
  },
  time_minutes: {
    type: 'integer',
    required: true,
    minimum: 1,
    maximum: 5999,
    example: 90,
    description:
      'Cooking time in whole minutes, 1 to 5999 (a fraction is dropped: 90.7 becomes 90). Convert hours to minutes ' +
      '(2 hours = 120). The timer starts once the water reaches the temperature; when it runs out the cooker keeps ' +
      'holding the water at temperature until it is stopped.',
    codes: { missing: 'MISSING_TIME', invalid: 'INVALID_TIME', tooLow: 'TIME_TOO_SHORT', tooHigh: 'TIME_TOO_LONG' },
  },
  food_type: {
    type: 'string',
    required: false,
    maxLength: 100,
    example: 'chicken breast',
    description:
      'What is being cooked, in plain words, for example "chicken breast", "ground beef", "salmon fillet", "pork chop", ' +
      '"eggs" or "carrots" (at most 100 characters). Always send it: the server picks the food-safety rules from it ' +
      '(poultry, ground meat, red meat, fish, eggs, vegetables). If it is missing or not recognised, only the general ' +
      'rules apply and the response carries a warning.',
    codes: { invalid: 'INVALID_FOOD_TYPE' },
  },
  thickness_mm: {
    type: 'number',
    required: false,
    minimum: 5,
    maximum: 100,
    default: DEFAULT_THICKNESS_MM,
    example: 25,
    description:
      `Thickness of the thickest piece in millimetres, 5 to 100. It sets the minimum pasteurisation time for poultry and ` +
      `ground meat (thicker food needs longer). When absent, ${DEFAULT_THICKNESS_MM} mm is assumed and a warning says so; ` +
      `ask the person for it when cooking poultry or ground meat.`,
    codes: { invalid: 'INVALID_THICKNESS', tooLow: 'INVALID_THICKNESS', tooHigh: 'INVALID_THICKNESS' },
  },
} as const satisfies {
  temperature_celsius: NumericFieldSpec;
  time_minutes: NumericFieldSpec;
  food_type: TextFieldSpec;
  thickness_mm: NumericFieldSpec;
};

export type StartCookFieldName = keyof typeof START_COOK_FIELDS;

// ---------------------------------------------------------------------------------------------
// Enumerations shared by responses
// ---------------------------------------------------------------------------------------------

/** Codes of the non-blocking food-safety advice in a start response's `warnings` (food-safety.md §3). */
export const WARNING_CODES = ['FISH_NOT_PASTEURISED', 'NOT_PASTEURISED', 'FOOD_NOT_RECOGNISED', 'THICKNESS_ASSUMED'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** Cooker states as the API names them (api.md, GET /status). */
export const COOKER_STATES = ['idle', 'preheating', 'cooking', 'done', 'unknown'] as const satisfies readonly CookerMode[];

/** Every error code of api.md with its HTTP status; the edge's status mapping can read this table. */
export type ApiErrorCode =
  | CookErrorCode
  | AnovaErrorCode
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

export const API_ERROR_CODES = {
  MISSING_BODY: { status: 400, when: 'no body, or the body is not a JSON object' },
  INVALID_JSON: { status: 400, when: 'the body is not parseable JSON' },
  MISSING_TEMPERATURE: { status: 400, when: 'temperature_celsius absent' },
  MISSING_TIME: { status: 400, when: 'time_minutes absent' },
  INVALID_TEMPERATURE: { status: 400, when: 'temperature_celsius is not a finite number' },
  INVALID_TIME: { status: 400, when: 'time_minutes is not a finite number' },
  INVALID_FOOD_TYPE: { status: 400, when: 'food_type is not a string, too long, or has control characters' },
  INVALID_THICKNESS: { status: 400, when: 'thickness_mm is not a number or outside 5-100' },
  TEMPERATURE_TOO_LOW: { status: 400, when: 'below 40.0 °C' },
  TEMPERATURE_TOO_HIGH: { status: 400, when: 'above 95.0 °C' },
  TIME_TOO_SHORT: { status: 400, when: 'below 1 minute after truncation' },
  TIME_TOO_LONG: { status: 400, when: 'above 5999 minutes' },
  POULTRY_TEMP_UNSAFE: { status: 400, when: 'poultry below 57.0 °C' },
  GROUND_MEAT_TEMP_UNSAFE: { status: 400, when: 'ground or minced meat below 60.0 °C' },
  FOOD_SAFETY_TIME_UNSAFE: { status: 400, when: 'a food-safety time rule fails; the message names the rule and a safe alternative' },
  UNAUTHORIZED: { status: 401, when: 'missing or wrong Bearer API key' },
  NOT_FOUND: { status: 404, when: 'unknown path' },
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
    'success', 'message', 'cook_id', 'device_state', 'target_temp_celsius', 'time_minutes',
    'estimated_completion', 'food_type', 'warnings',
  ],
  properties: {
    success: { type: 'boolean', const: true },
    message: {
      type: 'string',
      description: 'Confirmation to repeat to the person, e.g. that the water is heating and the timer starts at temperature.',
    },
    cook_id: { type: 'string', format: 'uuid', description: 'Identifier of this cook.' },
    device_state: { type: 'string', enum: COOKER_STATES, description: 'Cooker state right after starting, usually "preheating".' },
    target_temp_celsius: celsius('Target water temperature, °C, 0.1 precision.'),
    time_minutes: { type: 'integer', description: 'Timer length in minutes (counted from when the water reaches temperature).' },
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
    'device_online', 'state', 'current_temp_celsius', 'target_temp_celsius', 'time_remaining_minutes',
    'time_elapsed_minutes', 'is_running', 'current_temp_fahrenheit', 'target_temp_fahrenheit', 'cook_id',
    'food_type', 'estimated_completion', 'alerts', 'device_name', 'last_update_seconds_ago',
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
    time_elapsed_minutes: { type: ['integer', 'null'], description: 'Minutes of the timer elapsed; null when no timer is set.' },
    is_running: { type: 'boolean', description: 'True while the heater is on (preheating, cooking or done-and-holding).' },
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
  },
};

export const STOP_COOK_RESPONSE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['success', 'message', 'device_state', 'final_temp_celsius'],
  properties: {
    success: { type: 'boolean', const: true },
    message: { type: 'string', description: 'Confirmation to repeat to the person: the heater is off and the water cools on its own.' },
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
      properties: { connected: { type: 'boolean', description: 'Whether the server is connected to the Anova cloud.' } },
    },
  },
};
