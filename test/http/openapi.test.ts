import { isCookError, type CookErrorCode } from '../../app/cooking/errors';
import { parseStartCookBody } from '../../app/cooking/request';
import { API_ERROR_CODES, type JsonSchema } from '../../app/api/schemas';
import { START_COOK_FIELDS } from '../../app/cooking/schema';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiOperation } from '../../app/http/openapi';

const doc: OpenApiDocument = buildOpenApiDocument({ publicUrl: 'https://cook.example.com/', version: '1.2.3' });

function operations(document: OpenApiDocument): Array<[string, string, OpenApiOperation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, op]) => [path, method, op as OpenApiOperation] as [string, string, OpenApiOperation],
    ),
  );
}

/** Every value in a JSON tree, with its key path. */
function walk(node: unknown, path: string[] = []): Array<[string[], unknown]> {
  const here: Array<[string[], unknown]> = [[path, node]];
  if (node === null || typeof node !== 'object') return here;
  return here.concat(Object.entries(node).flatMap(([key, child]) => walk(child, [...path, key])));
}

const requestSchema = doc.components.schemas.StartCookRequest;
const requestProperty = (name: string): JsonSchema => requestSchema.properties![name];

describe('document shape', () => {
  test('is OpenAPI 3.1.0 with info and plain JSON content', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: '1.2.3', description: expect.any(String) });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // nothing undefined, no functions, no cycles
  });

  test('servers[0].url is the configured public URL (without a trailing slash)', () => {
    expect(doc.servers).toEqual([{ url: 'https://cook.example.com' }]);
    expect(buildOpenApiDocument({ publicUrl: 'https://a.example', version: '1' }).servers[0].url).toBe(
      'https://a.example',
    );
  });

  test('has exactly the operations of docs/api.md, with their operationIds', () => {
    expect(
      operations(doc)
        .map(([path, method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`)
        .sort(),
    ).toEqual([
      'GET /cook-plan planCook',
      'GET /cooks listCooks',
      'GET /cooks/{cook_id} getCook',
      'GET /health healthCheck',
      'GET /status getStatus',
      'POST /start-cook startCooking',
      'POST /stop-cook stopCooking',
    ]);
    expect(doc.paths).not.toHaveProperty('/openapi.json');
  });

  test('every operation has a summary, a description, a 200 JSON response and JSON error responses', () => {
    for (const [, , op] of operations(doc)) {
      expect(op.summary.length).toBeGreaterThan(0);
      expect(op.description.length).toBeGreaterThan(0);
      expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        expect(response.description.length).toBeGreaterThan(0);
        if (status !== '200')
          expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  test('every $ref points at an existing component', () => {
    const refs = walk(doc).filter(([path]) => path[path.length - 1] === '$ref');
    expect(refs.length).toBeGreaterThan(5);
    for (const [, ref] of refs) {
      const [, , kind, name] = String(ref).split('/');
      expect((doc.components as Record<string, Record<string, unknown>>)[kind]).toHaveProperty([name]);
    }
  });

  test('every object schema only requires properties it defines', () => {
    const objectSchemas = walk(doc).filter(([, node]) => Array.isArray((node as JsonSchema | null)?.required));
    // Every component, plus the nested objects (health's anova block, warnings, events, samples...).
    expect(objectSchemas.length).toBeGreaterThan(Object.keys(doc.components.schemas).length);
    for (const [path, node] of objectSchemas) {
      const schema = node as JsonSchema;
      for (const name of schema.required!) {
        expect([path.join('.'), name, schema.properties?.[name] !== undefined]).toEqual([path.join('.'), name, true]);
      }
    }
  });

  test('builds independent documents', () => {
    const first = buildOpenApiDocument({ publicUrl: 'https://a.example', version: '1' });
    first.components.schemas.StartCookRequest.properties!.temperature_celsius.maximum = 500;
    expect(
      buildOpenApiDocument({ publicUrl: 'https://a.example', version: '1' }).components.schemas.StartCookRequest
        .properties!.temperature_celsius.maximum,
    ).toBe(95);
  });
});

describe('ChatGPT Action requirements', () => {
  test('x-openai-isConsequential: true on start and stop, false on every read', () => {
    const flags = Object.fromEntries(
      operations(doc).map(([, , op]) => [op.operationId, op['x-openai-isConsequential']]),
    );
    expect(flags).toEqual({
      startCooking: true,
      stopCooking: true,
      getStatus: false,
      healthCheck: false,
      planCook: false,
      listCooks: false,
      getCook: false,
    });
  });

  test('Bearer security everywhere except /health', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/health'].get!.security).toEqual([]);
    for (const [path, , op] of operations(doc)) if (path !== '/health') expect(op.security).toBeUndefined();
  });

  test('operation summaries and descriptions are at most 300 characters', () => {
    for (const [, , op] of operations(doc)) {
      expect([op.operationId, op.summary.length <= 300, op.description.length <= 300]).toEqual([
        op.operationId,
        true,
        true,
      ]);
    }
  });

  test('every other description is at most 700 characters', () => {
    const descriptions = walk(doc).filter(
      ([path, value]) => path[path.length - 1] === 'description' && typeof value === 'string',
    );
    expect(descriptions.length).toBeGreaterThan(30);
    for (const [path, text] of descriptions)
      expect([path.join('.'), (text as string).length <= 700]).toEqual([path.join('.'), true]);
  });

  test('descriptions tell the assistant the units and what "done" means', () => {
    expect(requestProperty('temperature_celsius').description).toMatch(/degrees Celsius/);
    expect(requestProperty('time_minutes').description).toMatch(/minutes/);
    const status = doc.components.schemas.StatusResponse.properties!.state;
    expect(status.description).toMatch(/done.*STILL HOLDING/);
    expect(doc.paths['/status'].get!.description).toMatch(/still on/);
  });
});

describe('the request body comes from the same schema as the validator', () => {
  test('fields, types, limits and required list equal START_COOK_FIELDS', () => {
    expect(requestSchema.required).toEqual(['temperature_celsius', 'time_minutes']);
    expect(requestProperty('temperature_celsius')).toMatchObject({ type: 'number', minimum: 40, maximum: 95 });
    expect(requestProperty('time_minutes')).toMatchObject({ type: 'integer', minimum: 1, maximum: 5999 });
    expect(requestProperty('food_type')).toMatchObject({ type: 'string', maxLength: 100 });
    expect(requestProperty('thickness_mm')).toMatchObject({ type: 'number', minimum: 5, maximum: 100, default: 25 });
    for (const [name, spec] of Object.entries(START_COOK_FIELDS)) {
      expect(requestProperty(name).description).toBe(spec.description);
      expect(requestProperty(name).example).toBe(spec.example);
    }
    expect(requestSchema.additionalProperties).toBeUndefined(); // unknown fields are ignored, not refused
  });

  const parseCode = (overrides: Record<string, unknown>): CookErrorCode | 'OK' => {
    try {
      parseStartCookBody({ temperature_celsius: 85, time_minutes: 60, food_type: 'carrots', ...overrides }, true);
      return 'OK';
    } catch (err) {
      if (isCookError(err)) return err.code;
      throw err;
    }
  };

  test.each(['temperature_celsius', 'time_minutes', 'thickness_mm'] as const)(
    'the validator accepts the documented limits of %s and refuses just outside them',
    (name) => {
      const { minimum, maximum } = requestProperty(name) as { minimum: number; maximum: number };
      const step = name === 'time_minutes' ? 1 : 0.1;
      const spec = START_COOK_FIELDS[name];
      expect(parseCode({ [name]: minimum })).toBe('OK');
      expect(parseCode({ [name]: maximum })).toBe('OK');
      expect(parseCode({ [name]: minimum - step })).toBe(spec.codes.tooLow);
      expect(parseCode({ [name]: maximum + step })).toBe(spec.codes.tooHigh);
    },
  );

  test('the validator accepts the documented maxLength of food_type and refuses one more', () => {
    const { maxLength } = requestProperty('food_type') as { maxLength: number };
    expect(parseCode({ food_type: 'x'.repeat(maxLength) })).toBe('OK');
    expect(parseCode({ food_type: 'x'.repeat(maxLength + 1) })).toBe('INVALID_FOOD_TYPE');
  });

  test('every documented example is accepted', () => {
    const example = Object.fromEntries(Object.entries(START_COOK_FIELDS).map(([name, spec]) => [name, spec.example]));
    expect(parseCode(example)).toBe('OK');
  });
});

describe('errors', () => {
  test('the shared Error schema lists every code of docs/api.md as an enum', () => {
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(['error', 'message']);
    expect([...error.properties!.error.enum!].sort()).toEqual(Object.keys(API_ERROR_CODES).sort());
    expect(error.properties!.error.enum).toHaveLength(32); // 28 of v1 + COOK_NOT_FOUND, INVALID_LIMIT, JOURNAL_UNAVAILABLE, ORIGIN_NOT_ALLOWED
  });

  test('each error response names codes that belong to its status', () => {
    for (const [, , op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (status === '200') continue;
        const named = response.description.match(/[A-Z][A-Z_]{3,}/g) ?? [];
        expect(named.length).toBeGreaterThan(0);
        for (const code of named)
          expect([code, API_ERROR_CODES[code as keyof typeof API_ERROR_CODES].status]).toEqual([code, Number(status)]);
      }
    }
  });

  test('start-cook documents its validation, busy, auth and device errors', () => {
    const responses = doc.paths['/start-cook'].post!.responses;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '409', '413', '429', '500', '502', '503', '504']);
    expect(responses['400'].description).toContain('FOOD_SAFETY_TIME_UNSAFE');
    expect(responses['409'].description).toContain('DEVICE_BUSY');
    expect(responses['409'].description).not.toContain('NO_ACTIVE_COOK');
    expect(doc.paths['/stop-cook'].post!.responses['409'].description).toContain('NO_ACTIVE_COOK');
  });
});
