/**
 * The OpenAPI 3.1 document served at GET /openapi.json, ready to import into a ChatGPT Custom
 * GPT Action. Built from app/cooking/schema.ts, the same definitions the validator reads, so
 * the documented limits and the enforced ones cannot drift apart.
 *
 * ChatGPT Action limits (docs/deployment-design.md §4): operation summary and description ≤ 300 characters,
 * parameter/property descriptions ≤ 700. `x-openai-isConsequential: true` makes ChatGPT ask the
 * person before starting or stopping the cooker. /openapi.json itself is not listed: it is for
 * importing the Action, not something the assistant should call.
 */
import { COOKS_PAGE } from '../api/operations';
import {
  API_ERROR_CODES,
  COOK_DETAIL_RESPONSE_SCHEMA,
  COOK_LIST_RESPONSE_SCHEMA,
  COOK_PLAN_RESPONSE_SCHEMA,
  COOK_SUMMARY_SCHEMA,
  ERROR_RESPONSE_SCHEMA,
  FOOD_SAFETY_SCHEMA,
  HEALTH_RESPONSE_SCHEMA,
  START_COOK_RESPONSE_SCHEMA,
  STATUS_RESPONSE_SCHEMA,
  STOP_COOK_RESPONSE_SCHEMA,
  type ApiErrorCode,
  type JsonSchema,
} from '../api/schemas';
import { START_COOK_FIELDS, type NumericFieldSpec, type TextFieldSpec } from '../cooking/schema';

export interface OpenApiOptions {
  /** Public base URL of the server (the tunnel hostname), e.g. https://cook.example.com */
  publicUrl: string;
  /** Server version (package.json), shown as the document's info.version. */
  version: string;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  'x-openai-isConsequential': boolean;
  security?: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Partial<Record<'get' | 'post', OpenApiOperation>>>;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
    schemas: Record<string, JsonSchema>;
  };
}

const BEARER = 'bearerAuth';

/** Component schema names, referenced from the operations. */
const SCHEMAS = {
  StartCookRequest: startCookRequestSchema(),
  StartCookResponse: START_COOK_RESPONSE_SCHEMA,
  StatusResponse: STATUS_RESPONSE_SCHEMA,
  StopCookResponse: STOP_COOK_RESPONSE_SCHEMA,
  HealthResponse: HEALTH_RESPONSE_SCHEMA,
  FoodSafety: FOOD_SAFETY_SCHEMA,
  CookPlanResponse: COOK_PLAN_RESPONSE_SCHEMA,
  CookSummary: COOK_SUMMARY_SCHEMA,
  CookListResponse: COOK_LIST_RESPONSE_SCHEMA,
  CookDetailResponse: COOK_DETAIL_RESPONSE_SCHEMA,
  Error: ERROR_RESPONSE_SCHEMA,
} satisfies Record<string, JsonSchema>;
type SchemaName = keyof typeof SCHEMAS;

const ref = (name: SchemaName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });

/** The start-cook request body, field by field from START_COOK_FIELDS (limits included). */
function startCookRequestSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(START_COOK_FIELDS) as Array<[string, NumericFieldSpec | TextFieldSpec]>) {
    properties[name] = fieldSchema(spec);
    if (spec.required) required.push(name);
  }
  // No additionalProperties: false, because unknown fields are ignored rather than refused.
  return { type: 'object', required, properties };
}

function fieldSchema(spec: NumericFieldSpec | TextFieldSpec, withDescription = true): JsonSchema {
  const description = withDescription ? { description: spec.description } : {};
  if (spec.type === 'string') {
    return { type: 'string', maxLength: spec.maxLength, ...description, example: spec.example };
  }
  return {
    type: spec.type,
    minimum: spec.minimum,
    maximum: spec.maximum,
    ...(spec.default !== undefined && { default: spec.default }),
    ...description,
    example: spec.example,
  };
}

/** GET /cook-plan takes the start-cook fields that do not depend on time, as query parameters. */
function cookPlanParameters(): OpenApiParameter[] {
  const names = ['temperature_celsius', 'food_type', 'thickness_mm'] as const;
  return names.map((name) => {
    const spec = START_COOK_FIELDS[name];
    return {
      name,
      in: 'query',
      required: spec.required,
      description: spec.description,
      schema: fieldSchema(spec, false),
    };
  });
}

/** Error responses of an operation, one per status, each naming the codes it may carry. */
function errorResponses(codes: readonly ApiErrorCode[]): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) {
    const status = API_ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `Error ${statusCodes.join(', ')}. Tell the person the message; it says what to do.`,
      content: json('Error'),
    };
  }
  return responses;
}

/** The start-cook validation codes: every 400 but the journal's. */
const VALIDATION_CODES = (Object.keys(API_ERROR_CODES) as ApiErrorCode[]).filter(
  (code) => API_ERROR_CODES[code].status === 400 && code !== 'INVALID_LIMIT',
);
/** What /cook-plan can refuse: the start-cook codes without a body or a time. */
const PLAN_CODES = VALIDATION_CODES.filter(
  (code) =>
    !['MISSING_BODY', 'INVALID_JSON', 'MISSING_TIME', 'INVALID_TIME', 'TIME_TOO_SHORT', 'TIME_TOO_LONG'].includes(code),
);
const DEVICE_CODES: readonly ApiErrorCode[] = [
  'ANOVA_AUTH_FAILED',
  'ANOVA_API_ERROR',
  'DEVICE_OFFLINE',
  'CLOUD_UNREACHABLE',
  'TIMEOUT',
];

export function buildOpenApiDocument({ publicUrl, version }: OpenApiOptions): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Anova Sous Vide Control',
      version,
      description:
        'Start, monitor and stop an Anova Precision Cooker (sous vide). Temperatures are degrees Celsius, times are ' +
        'minutes. The server enforces food safety and explains every refusal; relay its messages and warnings.',
    },
    // A trailing slash would make clients request "//start-cook".
    servers: [{ url: publicUrl.replace(/\/+$/, '') }],
    security: [{ [BEARER]: [] }],
    paths: {
      '/start-cook': {
        post: {
          operationId: 'startCooking',
          summary: 'Start a sous-vide cook: heat the water to a temperature, then run a timer.',
          description:
            'Ask for the food, temperature (°C) and time (minutes), and the thickness for poultry or ground meat. The server ' +
            'refuses unsafe combinations and names a safe alternative. Tell the person every warning. DEVICE_BUSY means a ' +
            'cook is already running.',
          'x-openai-isConsequential': true,
          requestBody: { required: true, content: json('StartCookRequest') },
          responses: {
            '200': { description: 'The cook started; the water is heating.', content: json('StartCookResponse') },
            ...errorResponses([
              ...VALIDATION_CODES,
              'UNAUTHORIZED',
              'DEVICE_BUSY',
              'PAYLOAD_TOO_LARGE',
              'RATE_LIMITED',
              'INTERNAL_ERROR',
              ...DEVICE_CODES,
            ]),
          },
        },
      },
      '/status': {
        get: {
          operationId: 'getStatus',
          summary: "Get the cooker's state, water temperature and time remaining.",
          description:
            'Read-only and fast. State "done" means the timer ran out and the cooker is STILL HOLDING the water at ' +
            'temperature until stopped: say the food is ready and the cooker is still on. Temperatures in °C (°F also given), ' +
            'times in minutes.',
          'x-openai-isConsequential': false,
          responses: {
            '200': { description: 'Current state of the cooker.', content: json('StatusResponse') },
            ...errorResponses([
              'UNAUTHORIZED',
              'RATE_LIMITED',
              'INTERNAL_ERROR',
              // docs/api.md: a lost cloud link is DEVICE_OFFLINE here, a rejected token ANOVA_AUTH_FAILED.
              'DEVICE_OFFLINE',
              'ANOVA_AUTH_FAILED',
            ]),
          },
        },
      },
      '/stop-cook': {
        post: {
          operationId: 'stopCooking',
          summary: 'Stop the cooker: turn the heater off and end the current cook.',
          description:
            'Use when the person wants the cooker off, for example when the food is done. No request body needed. ' +
            'NO_ACTIVE_COOK means nothing was running. The water is not cooled; it cools down on its own.',
          'x-openai-isConsequential': true,
          responses: {
            '200': { description: 'The cooker stopped; the heater is off.', content: json('StopCookResponse') },
            ...errorResponses([
              'INVALID_JSON',
              'UNAUTHORIZED',
              'NO_ACTIVE_COOK',
              'PAYLOAD_TOO_LARGE',
              'RATE_LIMITED',
              'INTERNAL_ERROR',
              ...DEVICE_CODES,
            ]),
          },
        },
      },
      '/cook-plan': {
        get: {
          operationId: 'planCook',
          summary: 'Ask the server how long a food must cook at a temperature to be safe, before proposing a time.',
          description:
            'Call before startCooking and use its min_time_minutes (and max_time_minutes): the server refuses a shorter ' +
            'cook. Give food_type and thickness_mm. Tell the person the message and every warning.',
          'x-openai-isConsequential': false,
          parameters: cookPlanParameters(),
          responses: {
            '200': {
              description: 'The safe time window for this food at this temperature.',
              content: json('CookPlanResponse'),
            },
            ...errorResponses([...PLAN_CODES, 'UNAUTHORIZED', 'RATE_LIMITED', 'INTERNAL_ERROR']),
          },
        },
      },
      '/cooks': {
        get: {
          operationId: 'listCooks',
          summary: 'List past and current cooks from the journal, newest first.',
          description:
            'Each cook with its food, temperature, time, how it ended (end_reason), whether it was pasteurised and the ' +
            "alerts seen. Page with `before` = the previous answer's `next`.",
          'x-openai-isConsequential': false,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: `How many cooks to return, ${COOKS_PAGE.min} to ${COOKS_PAGE.max} (default ${COOKS_PAGE.default}).`,
              schema: {
                type: 'integer',
                minimum: COOKS_PAGE.min,
                maximum: COOKS_PAGE.max,
                default: COOKS_PAGE.default,
              },
            },
            {
              name: 'before',
              in: 'query',
              required: false,
              description: 'The `next` value of the previous page, to get older cooks.',
              schema: { type: 'string', format: 'uuid' },
            },
          ],
          responses: {
            '200': { description: 'A page of the journal.', content: json('CookListResponse') },
            ...errorResponses([
              'INVALID_LIMIT',
              'UNAUTHORIZED',
              'COOK_NOT_FOUND',
              'RATE_LIMITED',
              'INTERNAL_ERROR',
              'JOURNAL_UNAVAILABLE',
            ]),
          },
        },
      },
      '/cooks/{cook_id}': {
        get: {
          operationId: 'getCook',
          summary: 'Get one cook with its events and its temperature curve.',
          description:
            'Everything the server recorded about one cook: events (temperature reached, pasteurised, alerts, stops) and ' +
            'up to 500 samples of water, target and estimated core temperature.',
          'x-openai-isConsequential': false,
          parameters: [
            {
              name: 'cook_id',
              in: 'path',
              required: true,
              description: 'The cook_id of the cook.',
              schema: { type: 'string', format: 'uuid' },
            },
          ],
          responses: {
            '200': { description: 'The cook and its history.', content: json('CookDetailResponse') },
            ...errorResponses([
              'UNAUTHORIZED',
              'COOK_NOT_FOUND',
              'RATE_LIMITED',
              'INTERNAL_ERROR',
              'JOURNAL_UNAVAILABLE',
            ]),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'healthCheck',
          summary: 'Check that the control server is up (no authentication needed).',
          description:
            'Liveness of this server only; anova.connected is informational. Use getStatus to learn what the cooker is doing.',
          'x-openai-isConsequential': false,
          security: [],
          responses: {
            '200': { description: 'The server is up.', content: json('HealthResponse') },
            ...errorResponses(['RATE_LIMITED']),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          description: "The server's API key (API_KEY), configured as the Action's Bearer API key.",
        },
      },
      // A copy, so a caller editing its document cannot change the next one.
      schemas: structuredClone(SCHEMAS),
    },
  };
}
