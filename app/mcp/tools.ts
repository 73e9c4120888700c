/**
 * The MCP tools: the HTTP API's operations under MCP names (docs/api.md, "MCP"; docs/mcp.md).
 * Each tool calls the same ApiOperations method as its HTTP route, so validation, food safety
 * and the answer are the API's own:
 * - success: `structuredContent` is the API's response body, and the text is the same JSON;
 * - refusal or failure: `isError: true`, the text is the API's error message (what to tell the
 *   person), `structuredContent` is the API's error body ({error, message, ...}).
 *
 * Per-tool limits mirror the HTTP routes' (docs/api.md, "Rate limits"), on top of /mcp's own
 * 120 a minute: a model in a loop cannot send more start/stop commands to Anova's cloud through
 * MCP than a Custom GPT can through the Actions.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { McpServer } from '@modelcontextprotocol/server';
import type { ApiBody, ApiOperations } from '../api/operations';
import { toErrorResponse } from '../api/errors';
import { rateLimitedError, RateLimiter } from '../http/middleware/rate-limit';
import { RATE_LIMITS } from '../http/routes';
import type { Logger } from '../log';
import { TOOL_INPUTS } from './input-schemas';

export type ToolName = keyof typeof TOOL_INPUTS;

export const SERVER_INSTRUCTIONS =
  'Controls one Anova sous-vide cooker (water bath). Temperatures are °C, times are minutes. ' +
  'To cook: ask what food it is (and its thickness for poultry or ground meat), call plan_cook to learn the safe ' +
  'minimum time at the chosen temperature, propose temperature and time to the person, and only after they say yes ' +
  'call start_cook. Ask before stop_cook too. The server enforces food safety and explains every refusal: repeat ' +
  'its messages and every warning to the person, and never try to work around a refusal.';

interface ToolSpec {
  title: string;
  description: string;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
  /** Per client per minute (the HTTP route's limit). */
  perMinute: number;
  run(ops: ApiOperations, args: Record<string, unknown>): ApiBody | Promise<ApiBody>;
}

export const TOOLS: Record<ToolName, ToolSpec> = {
  plan_cook: {
    title: 'Plan a cook (safe time)',
    description:
      'Ask the server how long a food must cook at a temperature to be safe. Call it BEFORE start_cook, every time, and ' +
      'propose a time of at least min_time_minutes (and at most max_time_minutes when set): start_cook refuses a shorter ' +
      'time. Read-only; nothing is sent to the cooker.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    perMinute: RATE_LIMITS.cookPlan,
    run: (ops, args) => ops.planCook(args),
  },
  start_cook: {
    title: 'Start the cooker',
    description:
      'Start a sous-vide cook: the cooker heats the water to temperature_celsius, then runs a timer of time_minutes. ' +
      'First call plan_cook, then tell the person the temperature and time you will use and wait for their yes: this ' +
      'turns on a heater. The server refuses unsafe combinations and says what would be safe; DEVICE_BUSY means a cook ' +
      'is already running. Tell the person every warning in the answer.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    perMinute: RATE_LIMITS.startCook,
    run: (ops, args) => ops.startCook(args, true),
  },
  get_status: {
    title: 'Cooker status',
    description:
      "The cooker's state, water temperature, time remaining, food safety and alerts. Read-only and fast. State done " +
      'means the timer ran out but the cooker is STILL HOLDING the water at temperature until stopped: say the food is ' +
      'ready and that the cooker is still on. Tell the person about any alert.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    perMinute: RATE_LIMITS.status,
    run: (ops) => ops.getStatus(),
  },
  stop_cook: {
    title: 'Stop the cooker',
    description:
      'Stop the cooker: the heater turns off and the current cook ends (the water cools on its own). Ask the person to ' +
      'confirm before calling it, unless they just asked you to stop. NO_ACTIVE_COOK means nothing was running.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    perMinute: RATE_LIMITS.stopCook,
    run: (ops) => ops.stopCook(),
  },
  list_cooks: {
    title: 'Cook history',
    description:
      'Past and current cooks from the journal, newest first: food, temperature, time, how each ended (end_reason), ' +
      "whether it was pasteurised and the alerts seen. Page with before = the previous answer's next. Read-only.",
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    perMinute: RATE_LIMITS.cooks,
    run: (ops, args) => ops.listCooks(args),
  },
  get_cook: {
    title: 'One cook in detail',
    description:
      'Everything recorded about one cook: its events (temperature reached, pasteurised, alerts, stops) and up to 500 ' +
      'samples of water, target and estimated core temperature. Read-only.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    perMinute: RATE_LIMITS.cooks,
    run: (ops, args) => ops.getCook(typeof args.cook_id === 'string' ? args.cook_id : ''),
  },
};

export interface ToolDeps {
  operations: ApiOperations;
  logger: Logger;
  version: string;
  clock: () => number;
}

/** Per-tool limiters live as long as the endpoint; the MCP server instances are per request. */
export function createToolLimiters(clock: () => number): Record<ToolName, RateLimiter> {
  const limiters = {} as Record<ToolName, RateLimiter>;
  for (const [name, spec] of Object.entries(TOOLS) as Array<[ToolName, ToolSpec]>) {
    // list_cooks and get_cook share one budget, as GET /cooks and /cooks/{id} do.
    limiters[name] = name === 'get_cook' ? limiters.list_cooks : new RateLimiter({ limit: spec.perMinute, clock });
  }
  return limiters;
}

/** One McpServer with every tool, for one request (createMcpHandler's factory). */
export function buildMcpServer(deps: ToolDeps, limiters: Record<ToolName, RateLimiter>, caller: string): McpServer {
  const server = new McpServer(
    { name: 'anova-control-server', title: 'Anova sous-vide cooker', version: deps.version },
    { capabilities: { tools: { listChanged: false } }, instructions: SERVER_INSTRUCTIONS },
  );
  for (const [name, spec] of Object.entries(TOOLS) as Array<[ToolName, ToolSpec]>) {
    server.registerTool(
      name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: TOOL_INPUTS[name],
        annotations: { title: spec.title, ...spec.annotations },
      },
      async (args: Record<string, unknown>) => callTool(deps, name, spec, limiters[name], caller, args),
    );
  }
  return server;
}

async function callTool(
  deps: ToolDeps,
  name: ToolName,
  spec: ToolSpec,
  limiter: RateLimiter,
  caller: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    const wait = limiter.take(caller);
    if (wait > 0) throw rateLimitedError(wait, `Too many ${name} calls. Wait ${wait} seconds, then try again.`);
    const body = await spec.run(deps.operations, args);
    deps.logger.info('mcp tool', { tool: name, outcome: 'ok' });
    return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
  } catch (err) {
    const answer = toErrorResponse(err);
    if (answer.unexpected) deps.logger.error('mcp tool failed', { tool: name, error: err });
    else deps.logger.info('mcp tool', { tool: name, outcome: answer.body.error });
    return { content: [{ type: 'text', text: answer.body.message }], structuredContent: answer.body, isError: true };
  }
}
