/**
 * Resilience: bad-input fuzzing of POST /start-cook. A few thousand generated bodies (every JSON
 * type, huge and tiny numbers, NaN/Infinity spellings, numeric strings, unicode, control
 * characters, nesting, duplicate keys, long strings, raw invalid JSON, invalid UTF-8, bodies at
 * the size limit) go through the real server to the simulator. The oracle is
 * parseStartCookBody itself, fed exactly what the body parser would see:
 *   - every answer is the oracle's: its 400 code, 413 over 16 KiB, or 200 for a safe cook;
 *   - never a 500;
 *   - a CMD_APC_START reaches the cooker for every 200 and for nothing else, carrying the
 *     oracle's temperature and time: no unsafe cook is ever started.
 * Seeded: the seed is printed, and FUZZ_SEED=<seed> (FUZZ_COUNT=<n>) replays a run.
 */
import { CookError } from '../../app/cooking/errors';
import { parseStartCookBody, type CookRequest } from '../../app/cooking/request';
import { MAX_BODY_BYTES } from '../../app/http/middleware/json-body';
import type { ReceivedFrame } from '../../app/simulator/types';
import { startStack, TEST_API_KEY, type Stack } from '../helpers/stack';
import { until } from '../helpers/events';
import { http } from '../helpers/http';
import { mulberry32 } from '../helpers/random';
import { Gen, NOT_JSON, objectText, structuredBody } from '../helpers/start-cook-corpus';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const COUNT = Number(process.env.FUZZ_COUNT ?? 2_500);
/** Enough accepted cooks for the "never an unsafe START" claim to mean something. */
const MIN_ACCEPTED = Math.floor(COUNT / 20);

// ------------------------------------------------------------------------------- generator

/** Bodies that are not a start-cook object at all, or not JSON. */
function rawBody(g: Gen): string | Buffer {
  const good = () => structuredBody(g);
  switch (g.int(0, 10)) {
    case 0:
      return g.pick(['', ' ', '\n\t ', '\u00a0']);
    case 1:
      return g.pick([
        '[]',
        '[{"temperature_celsius":65,"time_minutes":90}]',
        '"text"',
        '65',
        'null',
        'true',
        '{}',
        '{"cook":{"temperature_celsius":65,"time_minutes":90}}',
      ]);
    case 2: {
      const text = good(); // truncated anywhere
      return text.slice(0, g.int(0, text.length - 1));
    }
    case 3:
      return objectText(
        [
          ['temperature_celsius', g.pick(NOT_JSON)],
          ['time_minutes', '90'],
        ],
        g,
      );
    case 4:
      return objectText(
        [
          ['temperature_celsius', '65'],
          ['time_minutes', g.pick(NOT_JSON)],
        ],
        g,
      );
    case 5:
      return g.pick([
        "{'temperature_celsius': 65, 'time_minutes': 90}",
        '{temperature_celsius: 65, time_minutes: 90}',
        '{"temperature_celsius": 65, "time_minutes": 90,}',
        '{"temperature_celsius": 65 /* hot */, "time_minutes": 90}',
        '{"temperature_celsius": 65, "time_minutes": 90}}',
        '{"temperature_celsius": 65, "time_minutes": 90} {"x":1}',
        '{"temperature_celsius": 65 "time_minutes": 90}',
        '{"temperature_celsius": "65, "time_minutes": 90}',
        '{"food_type": "chicken\u0001", "temperature_celsius": 65, "time_minutes": 90}', // raw control char: not JSON
      ]);
    case 6: {
      // Right at the size limit: one byte under, at, and over.
      const base = '{"temperature_celsius": 65, "time_minutes": 90, "food_type": "carrots", "pad": ""}';
      const target = MAX_BODY_BYTES + g.int(-1, 1);
      return base.replace('"pad": ""', `"pad": "${'p'.repeat(target - Buffer.byteLength(base))}"`);
    }
    case 7:
      return good() + ' '.repeat(g.pick([0, 1, MAX_BODY_BYTES])); // whitespace counts toward the limit
    case 8: {
      // Invalid UTF-8 inside a string: the parser sees U+FFFD.
      const [head, tail] = ['{"temperature_celsius": 65, "time_minutes": 90, "food_type": "carr', 'ots"}'];
      const junk = Buffer.from(g.pick([[0xc3], [0xff], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x8d], [0x80, 0x80]]));
      return Buffer.concat([Buffer.from(head), junk, Buffer.from(tail)]);
    }
    case 9: {
      const depth = g.int(10, 3_000); // deep nesting, well under the size limit
      return `{"temperature_celsius": 65, "time_minutes": 90, "deep": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    }
    default:
      return `${good()}\u0000`;
  }
}

function generateBody(g: Gen): Buffer {
  const body = g.chance(0.85) ? structuredBody(g) : rawBody(g);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

// ------------------------------------------------------------------------------- oracle

type Expectation = { status: 200; cook: CookRequest } | { status: 400 | 413; error: string };

/** What the server must answer, from the bytes alone (mirrors the JSON body reader, then the validator). */
function expectedAnswer(bytes: Buffer): Expectation {
  if (bytes.length > MAX_BODY_BYTES) return { status: 413, error: 'PAYLOAD_TOO_LARGE' };
  const text = bytes.toString('utf8');
  let parsed: unknown = '';
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: 400, error: 'INVALID_JSON' };
    }
  }
  try {
    return { status: 200, cook: parseStartCookBody(parsed, text.trim() !== '') };
  } catch (err) {
    if (err instanceof CookError) return { status: 400, error: err.code };
    throw err;
  }
}

// ------------------------------------------------------------------------------- the run

let stack: Stack;
let ip = 0;
const nextClient = () => `10.26.${(++ip >> 8) & 255}.${ip & 255}`;

beforeAll(async () => {
  stack = await startStack({
    // Hundreds of start/stop pairs: the simulated cloud's own command rate limit would cut the socket.
    sim: { behavior: { rateLimit: null } },
    env: { TRUST_PROXY: 'true' },
  });
});
afterAll(async () => {
  await stack.close();
});

/** POST /start-cook with exactly these bytes. */
async function postRaw(bytes: Buffer): Promise<{ status: number; body: any }> {
  const res = await http(stack.server.url, {
    method: 'POST',
    path: '/start-cook',
    headers: {
      authorization: `Bearer ${TEST_API_KEY}`,
      'content-type': 'application/json',
      'cf-connecting-ip': nextClient(),
    },
    body: bytes,
  });
  return { status: res.status, body: res.body ?? res.text };
}

test(`fuzzed start-cook bodies (seed ${SEED}): the oracle's answer every time, and no unsafe START ever reaches the cooker`, async () => {
  console.log(`start-cook fuzz: FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT}`);
  const g = new Gen(mulberry32(SEED));
  const starts: ReceivedFrame[] = [];
  const onCommand = (r: ReceivedFrame) => {
    if (r.frame.command === 'CMD_APC_START') starts.push(r);
  };
  stack.sim.events.on('command', onCommand);

  const mismatches: unknown[] = [];
  const tally: Record<string, number> = {};
  let accepted = 0;
  try {
    for (let i = 0; i < COUNT; i++) {
      const bytes = generateBody(g);
      const expected = expectedAnswer(bytes);
      const startsBefore = starts.length;
      const res = await postRaw(bytes);
      const sent = starts.slice(startsBefore);
      const key = `${res.status} ${res.body?.error ?? ''}`.trim();
      tally[key] = (tally[key] ?? 0) + 1;

      const problem = judge(expected, res, sent);
      if (problem) {
        mismatches.push({ seed: SEED, index: i, body: bytes.toString('utf8').slice(0, 300), problem });
        if (mismatches.length >= 10) break;
      }
      if (res.status === 200) {
        accepted++;
        const stop = await stack.api({
          method: 'POST',
          path: '/stop-cook',
          headers: { 'cf-connecting-ip': nextClient() },
        });
        expect(stop.status).toBe(200);
        await until(stack.server.client, 'state', () => stack.server.client.selected()?.state?.mode === 'idle');
      }
    }
  } finally {
    stack.sim.events.off('command', onCommand);
  }
  console.log(`answers: ${JSON.stringify(tally)}`);

  expect(mismatches).toEqual([]);
  expect(tally['500 INTERNAL_ERROR'] ?? 0).toBe(0);
  expect(accepted).toBeGreaterThanOrEqual(MIN_ACCEPTED);
  expect(starts).toHaveLength(accepted); // one START per 200, none for anything else
  expect(stack.logs.records().filter((r) => r.message === 'request failed')).toEqual([]);
}, 60_000); // a few seconds normally; the guard leaves room for a loaded machine or --detectOpenHandles

/** Null when the answer and the frames are what the oracle says; else what went wrong. */
function judge(expected: Expectation, res: { status: number; body: any }, sent: ReceivedFrame[]): string | null {
  if (expected.status !== 200) {
    if (sent.length > 0) return `START sent for a refused body: ${JSON.stringify(sent.map((s) => s.frame.payload))}`;
    if (res.status !== expected.status || res.body?.error !== expected.error) {
      return `expected ${expected.status} ${expected.error}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    }
    if (typeof res.body?.message !== 'string' || res.body.message === '') return 'error without a message';
    return null;
  }
  const { cook } = expected;
  if (res.status !== 200)
    return `expected 200 (${cook.temperatureC} °C, ${cook.timeMinutes} min), got ${res.status} ${res.body?.error}`;
  if (sent.length !== 1) return `expected one START, got ${sent.length}`;
  const payload = sent[0].frame.payload as Record<string, unknown>;
  if (
    payload.targetTemperature !== cook.temperatureC ||
    payload.timer !== cook.timeMinutes * 60 ||
    payload.unit !== 'C'
  ) {
    return `START ${JSON.stringify(payload)} does not match the validated ${cook.temperatureC} °C / ${cook.timeMinutes} min`;
  }
  if (res.body.target_temp_celsius !== cook.temperatureC || res.body.time_minutes !== cook.timeMinutes) {
    return `200 body ${JSON.stringify(res.body)} does not match the validated request`;
  }
  const warnings = (res.body.warnings as Array<{ code: string }>).map((w) => w.code);
  if (JSON.stringify(warnings) !== JSON.stringify(cook.warnings.map((w) => w.code))) {
    return `warnings ${JSON.stringify(warnings)} differ from the validator's`;
  }
  return null;
}
