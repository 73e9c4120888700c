/**
 * /mcp driven by the SDK's own client over real HTTP, in both protocol eras: the 2025
 * "initialize" handshake and 2026-07-28 (server/discover, no initialize). Tools are listed with
 * their annotations and the input schemas converted from START_COOK_FIELDS, and the cook goes
 * plan → start → status → stop through the simulator, with refusals as isError results that
 * carry the HTTP API's own error body.
 */
import type { Client } from '@modelcontextprotocol/client';
import { buildOpenApiDocument } from '../../app/http/openapi';
import type { ReceivedFrame } from '../../app/simulator/types';
import { until } from '../helpers/events';
import {
  connectMcp,
  MCP_HEADERS,
  initializeBody,
  PUBLIC_URL,
  startMcpStack,
  TEST_API_KEY,
  type Era,
  type McpStack,
} from './harness';

let stack: McpStack;
const starts: ReceivedFrame[] = [];

beforeAll(async () => {
  stack = await startMcpStack();
  stack.sim.events.on('command', (r: ReceivedFrame) => {
    if (r.frame.command === 'CMD_APC_START') starts.push(r);
  });
});
afterAll(async () => {
  await stack.close();
});

type ToolResult = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> };
const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args }) as Promise<ToolResult>;

const idle = () => until(stack.client, 'state', () => stack.client.selected()?.state?.mode === 'idle');

describe.each<Era>(['legacy', 'modern'])('the %s protocol era', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectMcp(stack.mcpUrl, TEST_API_KEY, era);
  });
  // A minute passes between tests: the per-client limits (start_cook 10 a minute) start afresh.
  beforeEach(() => stack.advance(60_000));
  afterAll(async () => {
    await client.close();
  });

  test('the client negotiated that era', () => {
    expect(client.getProtocolEra()).toBe(era);
    if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    else expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
  });

  test('six tools, each with a title, every annotation, and guidance to plan and confirm', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_cook',
      'get_status',
      'list_cooks',
      'plan_cook',
      'start_cook',
      'stop_cook',
    ]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const tool of tools) {
      expect(tool.title).toEqual(expect.any(String));
      expect(tool.annotations).toEqual({
        title: tool.title,
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
        openWorldHint: expect.any(Boolean),
      });
      expect(tool.inputSchema.type).toBe('object');
    }
    for (const name of ['get_status', 'plan_cook', 'list_cooks', 'get_cook'])
      expect(byName[name].annotations?.readOnlyHint).toBe(true);
    for (const name of ['start_cook', 'stop_cook']) expect(byName[name].annotations?.readOnlyHint).toBe(false);
    expect(byName.stop_cook.annotations?.destructiveHint).toBe(true);
    expect(byName.start_cook.annotations?.idempotentHint).toBe(false);
    expect(byName.start_cook.description).toMatch(/plan_cook/);
    expect(byName.start_cook.description).toMatch(/wait for their yes/);
    expect(byName.stop_cook.description).toMatch(/confirm/);
    expect(byName.plan_cook.description).toMatch(/BEFORE start_cook/);
  });

  test("the input schemas are the OpenAPI document's fields: one source, three outputs", async () => {
    const { tools } = await client.listTools();
    const start = tools.find((t) => t.name === 'start_cook')!;
    const openapi = buildOpenApiDocument({ publicUrl: PUBLIC_URL, version: 'x' }).components.schemas.StartCookRequest;
    const asToolProperty = ({ example, ...rest }: Record<string, unknown>) => ({ ...rest, examples: [example] });
    const expected = Object.fromEntries(
      Object.entries(openapi.properties ?? {}).map(([name, schema]) => [
        name,
        asToolProperty(schema as Record<string, unknown>),
      ]),
    );
    expect(start.inputSchema.properties).toEqual(expected);
    expect(start.inputSchema.required).toEqual(openapi.required);
    const plan = tools.find((t) => t.name === 'plan_cook')!;
    expect(Object.keys(plan.inputSchema.properties ?? {}).sort()).toEqual([
      'food_type',
      'temperature_celsius',
      'thickness_mm',
    ]);
    expect(plan.inputSchema.properties?.temperature_celsius).toEqual(expected.temperature_celsius);
    expect(plan.inputSchema.required).toEqual(['temperature_celsius']);
  });

  test('plan, start, status and stop: structuredContent is the HTTP API body, and the cooker gets the validated cook', async () => {
    const plan = await call(client, 'plan_cook', {
      temperature_celsius: 63,
      food_type: 'chicken breast',
      thickness_mm: 30,
    });
    expect(plan.isError).toBeFalsy();
    expect(plan.structuredContent).toEqual(
      stack.operations.planCook({ temperature_celsius: 63, food_type: 'chicken breast', thickness_mm: 30 }),
    );
    expect(JSON.parse(plan.content[0].text!)).toEqual(plan.structuredContent);

    const before = starts.length;
    const started = await call(client, 'start_cook', {
      temperature_celsius: '63.04',
      time_minutes: 90.7,
      food_type: ' chicken breast ',
      thickness_mm: 30,
    });
    expect(started.isError).toBeFalsy();
    expect(started.structuredContent).toMatchObject({
      success: true,
      device_state: 'preheating',
      target_temp_celsius: 63,
      time_minutes: 90,
      food_type: 'chicken breast',
      cook_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.parse(started.content[0].text!)).toEqual(started.structuredContent);
    expect(starts.slice(before).map((s) => s.frame.payload)).toEqual([
      expect.objectContaining({ targetTemperature: 63, timer: 5400, unit: 'C' }),
    ]);

    const status = await call(client, 'get_status');
    expect(status.isError).toBeFalsy();
    const http = await stack.api({ path: '/status' });
    expect(Object.keys(status.structuredContent).sort()).toEqual(Object.keys(http.body).sort());
    expect(status.structuredContent.cook_id).toBe(started.structuredContent.cook_id);

    const stopped = await call(client, 'stop_cook');
    expect(stopped.isError).toBeFalsy();
    expect(stopped.structuredContent).toMatchObject({ success: true, device_state: 'idle' });
    await idle();
  });

  test('a food-safety refusal is an isError result: the API message as text, the API error body as structuredContent', async () => {
    const before = starts.length;
    const args = { temperature_celsius: 52, time_minutes: 120, food_type: 'chicken thighs' };
    const refused = await call(client, 'start_cook', args);
    expect(refused.isError).toBe(true);
    const viaHttp = await stack.api({ method: 'POST', path: '/start-cook', body: args });
    expect(viaHttp.status).toBe(400);
    expect(refused.structuredContent).toEqual(viaHttp.body);
    expect(refused.structuredContent.error).toBe('POULTRY_TEMP_UNSAFE');
    expect(refused.content).toEqual([{ type: 'text', text: viaHttp.body.message }]);
    expect(starts.length).toBe(before);
  });

  test("invalid input gets the validator's own code, not a schema error", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'MISSING_TEMPERATURE'],
      [{ temperature_celsius: 65 }, 'MISSING_TIME'],
      [{ temperature_celsius: true, time_minutes: 60 }, 'INVALID_TEMPERATURE'],
      [{ temperature_celsius: 'hot', time_minutes: 60 }, 'INVALID_TEMPERATURE'],
      [{ temperature_celsius: 65, time_minutes: [60] }, 'INVALID_TIME'],
      [{ temperature_celsius: 65, time_minutes: 60, food_type: 'x'.repeat(101) }, 'INVALID_FOOD_TYPE'],
      [{ temperature_celsius: 65, time_minutes: 60, thickness_mm: 500 }, 'INVALID_THICKNESS'],
      [{ temperature_celsius: 99, time_minutes: 60 }, 'TEMPERATURE_TOO_HIGH'],
    ];
    for (const [args, code] of cases) {
      const result = await call(client, 'start_cook', args);
      expect({ args, isError: result.isError, code: result.structuredContent?.error }).toEqual({
        args,
        isError: true,
        code,
      });
      const viaHttp = await stack.api({ method: 'POST', path: '/start-cook', body: args });
      expect(result.structuredContent).toEqual(viaHttp.body);
    }
  });

  test('DEVICE_BUSY while a cook runs, NO_ACTIVE_COOK when idle, COOK_NOT_FOUND for an unknown cook', async () => {
    const first = await call(client, 'start_cook', { temperature_celsius: 70, time_minutes: 30, food_type: 'carrots' });
    expect(first.isError).toBeFalsy();
    const second = await call(client, 'start_cook', {
      temperature_celsius: 70,
      time_minutes: 30,
      food_type: 'carrots',
    });
    expect(second.structuredContent).toMatchObject({ error: 'DEVICE_BUSY' });
    expect((await call(client, 'stop_cook')).isError).toBeFalsy();
    await idle();
    const again = await call(client, 'stop_cook');
    expect(again).toMatchObject({ isError: true, structuredContent: { error: 'NO_ACTIVE_COOK' } });
    const unknown = await call(client, 'get_cook', { cook_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toMatchObject({ isError: true, structuredContent: { error: 'COOK_NOT_FOUND' } });
  });

  test('list_cooks and get_cook read the journal the cooks above were written to', async () => {
    const list = await call(client, 'list_cooks', { limit: 2 });
    expect(list.isError).toBeFalsy();
    expect(list.structuredContent).toEqual(stack.operations.listCooks({ limit: 2 }));
    const newest = list.structuredContent.cooks[0];
    expect(newest).toMatchObject({ food_type: 'carrots' });
    const detail = await call(client, 'get_cook', { cook_id: newest.cook_id });
    expect(detail.isError).toBeFalsy();
    expect(detail.structuredContent).toMatchObject({ cook_id: newest.cook_id, events: expect.any(Array) });
    const badLimit = await call(client, 'list_cooks', { limit: 0 });
    expect(badLimit.structuredContent).toMatchObject({ error: 'INVALID_LIMIT' });
  });
});

test("start_cook through MCP has the HTTP route's limit: the 11th in a minute is RATE_LIMITED and sends nothing", async () => {
  stack.advance(60_000);
  const client = await connectMcp(stack.mcpUrl, TEST_API_KEY, 'legacy', { 'cf-connecting-ip': '10.30.0.1' });
  try {
    const before = starts.length;
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) {
      const result = await call(client, 'start_cook', { temperature_celsius: 20, time_minutes: 60 }); // refused: too low
      answers.push(result.structuredContent.error);
    }
    expect(answers.slice(0, 10)).toEqual(Array(10).fill('TEMPERATURE_TOO_LOW'));
    expect(answers[10]).toBe('RATE_LIMITED');
    expect(starts.length).toBe(before);
    // Other tools keep their own budgets.
    expect((await call(client, 'get_status')).isError).toBeFalsy();
  } finally {
    await client.close();
  }
});

describe('the /mcp endpoint over raw HTTP', () => {
  const post = (headers: Record<string, string>, body: unknown = initializeBody()) =>
    stack.raw({ method: 'POST', path: '/mcp', headers: { ...MCP_HEADERS, ...headers }, body });

  test.each(['GET', 'DELETE', 'PUT'])('%s /mcp is 405 with Allow: POST, whatever the credentials', async (method) => {
    const res = await stack.api({ method, path: '/mcp', headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.error).toBe('METHOD_NOT_ALLOWED');
  });

  test('an authenticated initialize answers like any route: request id, no-store, no banner', async () => {
    const res = await post({ authorization: `Bearer ${TEST_API_KEY}`, 'x-request-id': 'mcp-req-1' });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('mcp-req-1');
    expect(res.headers['cache-control']).toBe('no-store, no-transform');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(stack.logs.records()).toContainEqual(
      expect.objectContaining({ message: 'request', requestId: 'mcp-req-1', status: 200 }),
    );
  });

  test('a foreign Origin is refused with 403 before anything else; our own Origin passes', async () => {
    const foreign = await post({ authorization: `Bearer ${TEST_API_KEY}`, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('ORIGIN_NOT_ALLOWED');
    const rebinding = await post({ authorization: `Bearer ${TEST_API_KEY}`, origin: 'http://127.0.0.1:3000' });
    expect(rebinding.status).toBe(403);
    const ours = await post({ authorization: `Bearer ${TEST_API_KEY}`, origin: PUBLIC_URL });
    expect(ours.status).toBe(200);
  });

  test('a body that is not JSON is 400 INVALID_JSON; one over 16 KiB is 413', async () => {
    const auth = { authorization: `Bearer ${TEST_API_KEY}` };
    expect((await post(auth, '{"jsonrpc":')).body.error).toBe('INVALID_JSON');
    const big = await post(auth, { ...initializeBody(), pad: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('PAYLOAD_TOO_LARGE');
  });
});
