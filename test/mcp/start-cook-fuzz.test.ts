/**
 * The start-cook fuzz corpus through the start_cook tool, with the SDK's client of both eras in
 * turn, to the simulator. The oracle is parseStartCookBody on the arguments as the server
 * receives them (after the JSON round trip):
 *   - an accepted cook is a success result and exactly one CMD_APC_START carrying the oracle's
 *     temperature and time;
 *   - anything else is an isError result with the oracle's code, and no command at all;
 *   - arguments that are not an object never reach a tool (a JSON-RPC error), nor the cooker.
 * Seeded: FUZZ_SEED=<seed> (MCP_FUZZ_COUNT=<n>) replays a run.
 */
import type { Client } from '@modelcontextprotocol/client';
import { CookError } from '../../app/cooking/errors';
import { parseStartCookBody, type CookRequest } from '../../app/cooking/request';
import type { ReceivedFrame } from '../../app/simulator/types';
import { until } from '../helpers/events';
import { mulberry32 } from '../helpers/random';
import { connectMcp, MCP_HEADERS, startMcpStack, TEST_API_KEY, type McpStack } from './harness';
import { Gen, structuredBody } from '../helpers/start-cook-corpus';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const COUNT = Number(process.env.MCP_FUZZ_COUNT ?? 600);
const MIN_ACCEPTED = Math.floor(COUNT / 20);

let stack: McpStack;
let clients: Client[];
const starts: ReceivedFrame[] = [];

beforeAll(async () => {
  // Hundreds of start/stop pairs: the simulated cloud's own command rate limit would cut the socket.
  stack = await startMcpStack({ sim: { behavior: { rateLimit: null } } });
  stack.sim.events.on('command', (r: ReceivedFrame) => {
    if (r.frame.command === 'CMD_APC_START') starts.push(r);
  });
  clients = [
    await connectMcp(stack.mcpUrl, TEST_API_KEY, 'legacy'),
    await connectMcp(stack.mcpUrl, TEST_API_KEY, 'modern'),
  ];
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await stack.close();
});

type Expectation = { ok: true; cook: CookRequest } | { ok: false; code: string };

function oracle(args: unknown): Expectation {
  try {
    return { ok: true, cook: parseStartCookBody(args, true) };
  } catch (err) {
    if (err instanceof CookError) return { ok: false, code: err.code };
    throw err;
  }
}

test(`fuzzed start_cook arguments (seed ${SEED}): the validator's answer every time, and no unsafe START`, async () => {
  console.log(`mcp start_cook fuzz: FUZZ_SEED=${SEED} MCP_FUZZ_COUNT=${COUNT}`);
  const g = new Gen(mulberry32(SEED));
  const mismatches: unknown[] = [];
  const tally: Record<string, number> = {};
  let accepted = 0;
  for (let i = 0; i < COUNT && mismatches.length < 10; i++) {
    // Every call gets a fresh per-client budget: start_cook is limited to 10 a minute.
    stack.advance(6_001);
    const args = JSON.parse(structuredBody(g)) as Record<string, unknown>;
    const received = JSON.parse(JSON.stringify(args)); // what the server parses (Infinity → null, -0 → 0)
    const expected = oracle(received);
    const before = starts.length;
    let result: { isError?: boolean; structuredContent?: any };
    try {
      result = (await clients[i % 2].callTool({ name: 'start_cook', arguments: args })) as typeof result;
    } catch (err) {
      mismatches.push({
        seed: SEED,
        index: i,
        args: JSON.stringify(args).slice(0, 300),
        problem: `call failed: ${String(err)}`,
      });
      continue;
    }
    const sent = starts.slice(before);
    const key = result.isError ? String(result.structuredContent?.error) : 'ok';
    tally[key] = (tally[key] ?? 0) + 1;
    const problem = judge(expected, result, sent);
    if (problem) mismatches.push({ seed: SEED, index: i, args: JSON.stringify(args).slice(0, 300), problem });
    if (!result.isError) {
      accepted++;
      const stop = await clients[0].callTool({ name: 'stop_cook', arguments: {} });
      expect(stop.isError).toBeFalsy();
      await until(stack.client, 'state', () => stack.client.selected()?.state?.mode === 'idle');
    }
  }
  console.log(`answers: ${JSON.stringify(tally)}`);
  expect(mismatches).toEqual([]);
  expect(tally.INTERNAL_ERROR ?? 0).toBe(0);
  expect(accepted).toBeGreaterThanOrEqual(MIN_ACCEPTED);
  expect(starts).toHaveLength(accepted);
}, 120_000);

function judge(
  expected: Expectation,
  result: { isError?: boolean; structuredContent?: any },
  sent: ReceivedFrame[],
): string | null {
  if (!expected.ok) {
    if (sent.length > 0) return `START sent for refused arguments: ${JSON.stringify(sent.map((s) => s.frame.payload))}`;
    if (!result.isError || result.structuredContent?.error !== expected.code) {
      return `expected ${expected.code}, got ${JSON.stringify(result).slice(0, 200)}`;
    }
    return typeof result.structuredContent?.message === 'string' && result.structuredContent.message !== ''
      ? null
      : 'error without a message';
  }
  const { cook } = expected;
  if (result.isError)
    return `expected a cook (${cook.temperatureC} °C, ${cook.timeMinutes} min), got ${result.structuredContent?.error}`;
  if (sent.length !== 1) return `expected one START, got ${sent.length}`;
  const payload = sent[0].frame.payload as Record<string, unknown>;
  if (payload.targetTemperature !== cook.temperatureC || payload.timer !== cook.timeMinutes * 60) {
    return `START ${JSON.stringify(payload)} is not the validated ${cook.temperatureC} °C / ${cook.timeMinutes} min`;
  }
  return null;
}

test('arguments that are not an object never reach the tool, nor the cooker', async () => {
  const before = starts.length;
  for (const args of [[65, 90], 'temperature_celsius=65', 65, true]) {
    const res = await stack.raw({
      method: 'POST',
      path: '/mcp',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TEST_API_KEY}`, 'mcp-protocol-version': '2025-06-18' },
      body: { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'start_cook', arguments: args } },
    });
    const message = res.body ?? JSON.parse(/^data: (.*)$/m.exec(res.text)?.[1] ?? 'null');
    expect(message?.error ?? message?.result?.isError).toBeTruthy();
  }
  expect(starts.length).toBe(before);
});
