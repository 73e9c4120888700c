/**
 * The one definition of the start-cook request's fields (docs/api.md, POST /start-cook): their
 * limits, error codes and descriptions, plus the enumerations the domain's answers use. The
 * validator (./request.ts), the food-safety range rules (./food-safety/rules.ts), the OpenAPI
 * document (../http/openapi.ts) and the MCP tools' input schemas all read from here, so they
 * cannot disagree.
 *
 * Descriptions are written for ChatGPT (they end up in the Action's OpenAPI document):
 * each is at most 700 characters.
 */
import type { CookerMode } from './cooker';
import type { CookErrorCode } from './errors';
import { DEFAULT_THICKNESS_MM } from './food-safety/tables';

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

/** Codes of the non-blocking food-safety advice in a start response's `warnings` (docs/food-safety.md §3). */
export const WARNING_CODES = [
  'FISH_NOT_PASTEURISED',
  'NOT_PASTEURISED',
  'FOOD_NOT_RECOGNISED',
  'THICKNESS_ASSUMED',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** Cooker states as the API names them (docs/api.md, GET /status). */
export const COOKER_STATES = [
  'idle',
  'preheating',
  'cooking',
  'done',
  'unknown',
] as const satisfies readonly CookerMode[];
