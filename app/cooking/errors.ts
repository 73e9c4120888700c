import { AppError } from '../errors';

/**
 * Typed failures of the cooking domain. The HTTP edge maps `code` to a status (see
 * API_ERROR_CODES in ./schema) and answers `{"error": code, "message": publicMessage}`.
 * `publicMessage` is written for a person (a chat assistant repeats it): what went wrong and
 * what to do, in one or two plain sentences. `details` holds machine-readable facts
 * (snake_case, safe to show) such as the rule id or the required minutes.
 */
export type CookErrorCode =
  // request shape (raised by the edge's JSON parser, listed so one type covers every 400)
  | 'INVALID_JSON'
  | 'MISSING_BODY'
  // fields present
  | 'MISSING_TEMPERATURE'
  | 'MISSING_TIME'
  // types
  | 'INVALID_TEMPERATURE'
  | 'INVALID_TIME'
  | 'INVALID_FOOD_TYPE'
  | 'INVALID_THICKNESS'
  // absolute ranges (FS-1, FS-2)
  | 'TEMPERATURE_TOO_LOW'
  | 'TEMPERATURE_TOO_HIGH'
  | 'TIME_TOO_SHORT'
  | 'TIME_TOO_LONG'
  // food safety (FS-3 .. FS-7)
  | 'POULTRY_TEMP_UNSAFE'
  | 'GROUND_MEAT_TEMP_UNSAFE'
  | 'FOOD_SAFETY_TIME_UNSAFE'
  // cook lifecycle (raised by the cook service)
  | 'DEVICE_BUSY'
  | 'NO_ACTIVE_COOK';

/** Generic person-facing messages, used when the thrower has nothing more specific to say. */
const DEFAULT_PUBLIC_MESSAGES: Record<CookErrorCode, string> = {
  INVALID_JSON:
    'The request body is not valid JSON. Send a JSON object such as {"temperature_celsius": 65, "time_minutes": 90}.',
  MISSING_BODY:
    'The request needs a JSON object body. Send for example {"temperature_celsius": 65, "time_minutes": 90}.',
  MISSING_TEMPERATURE: 'The temperature is missing. Send temperature_celsius, for example 65.',
  MISSING_TIME: 'The cooking time is missing. Send time_minutes, for example 90.',
  INVALID_TEMPERATURE: 'temperature_celsius must be a number of degrees Celsius, for example 65 or 65.5.',
  INVALID_TIME: 'time_minutes must be a number of minutes, for example 90.',
  INVALID_FOOD_TYPE: 'food_type must be a short plain-text name of the food, for example "chicken breast".',
  INVALID_THICKNESS: 'thickness_mm must be a number of millimetres, for example 25.',
  TEMPERATURE_TOO_LOW: 'The temperature is too low for this cooker. Choose a higher temperature.',
  TEMPERATURE_TOO_HIGH: 'The temperature is too high for this cooker. Choose a lower temperature.',
  TIME_TOO_SHORT: 'The cooking time is too short. Choose a longer time.',
  TIME_TOO_LONG: 'The cooking time is too long. Choose a shorter time.',
  POULTRY_TEMP_UNSAFE: 'Poultry must be cooked at 57.0 °C or hotter. Choose a higher temperature.',
  GROUND_MEAT_TEMP_UNSAFE: 'Ground or minced meat must be cooked at 60.0 °C or hotter. Choose a higher temperature.',
  FOOD_SAFETY_TIME_UNSAFE: 'The cooking time is not safe for this food at this temperature. Cook longer or hotter.',
  DEVICE_BUSY:
    'The cooker is already running a cook (heating, cooking, or done and still holding temperature). Stop it first if you want to start a new one.',
  NO_ACTIVE_COOK: 'Nothing is cooking right now, so there is nothing to stop.',
};

export class CookError extends AppError<CookErrorCode> {
  override readonly name = 'CookError';

  constructor(
    code: CookErrorCode,
    publicMessage: string = DEFAULT_PUBLIC_MESSAGES[code],
    /** Machine-readable facts (snake_case, safe to show), e.g. the rule id or the required minutes. */
    readonly details?: Record<string, unknown>,
  ) {
    // The public message is safe by construction (no secrets, no paths), so it is also the log message.
    super(code, publicMessage);
  }
}

export function isCookError(err: unknown): err is CookError {
  return err instanceof CookError;
}
