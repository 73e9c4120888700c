/**
 * The simulator's HTTP control API (docs/anova-protocol.md §6 item 23): the handle's switches as
 * JSON over HTTP, for the demo stack and for people testing their GPT by hand with curl.
 * Test-only by nature: no auth, so it binds to the simulator's host (127.0.0.1 by default).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import { SimulatorError } from './errors';
import { RECEIVED_FRAMES_KEPT, hostForUrl, listen } from './server';
import { delayMs, flag, mergeBehavior, mergeQuirks, validCommandAnswer } from './settings';
import type { CommandAnswer, SimulatorHandle } from './types';

export interface ControlApi {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_FRAME_LIMIT = 100;

type Body = Record<string, unknown>;
interface Reply {
  status: number;
  body: unknown;
}
interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: RegExp;
  /** `params` are the decoded path captures (a cooker id may hold a space: §2.3). */
  run(sim: SimulatorHandle, req: { params: string[]; body: Body; query: URLSearchParams }): Reply;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

const ROUTES: Route[] = [
  { method: 'GET', path: /^\/$/, run: (sim) => ok(sim.status()) },
  { method: 'GET', path: /^\/cookers$/, run: (sim) => ok(sim.cookers()) },
  {
    method: 'POST',
    path: /^\/cookers$/,
    run: (sim, { body }) => {
      only(body, ['cookerId', 'type', 'name', 'waterTempC', 'plugged']);
      return { status: 201, body: sim.addCooker(body) };
    },
  },
  {
    method: 'DELETE',
    path: /^\/cookers\/([^/]+)$/,
    run: (sim, { params: [id] }) => {
      sim.removeCooker(id);
      return ok({ removed: id });
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/unplug$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['announce']);
      sim.unplug(id, body.announce === undefined ? false : flag('announce', body.announce));
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/plug$/,
    run: (sim, { params: [id], body }) => {
      only(body, []);
      sim.plug(id);
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/water-temp$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['celsius']);
      sim.setWaterTemp(id, required(body, 'celsius') as number);
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/low-water$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['level']);
      sim.setLowWater(id, required(body, 'level') as 'ok');
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/force-state$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['value']);
      sim.forceStateString(id, required(body, 'value') as string | null);
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/stop-on-device$/,
    run: (sim, { params: [id], body }) => {
      only(body, []);
      sim.stopOnDevice(id);
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/add-time$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['seconds']);
      sim.addTimeOnDevice(id, required(body, 'seconds') as number);
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/heater$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['works']);
      sim.setHeaterWorking(id, flag('works', required(body, 'works')));
      return ok(sim.cooker(id));
    },
  },
  {
    method: 'POST',
    path: /^\/cookers\/([^/]+)\/power$/,
    run: (sim, { params: [id], body }) => {
      only(body, ['on']);
      if (flag('on', required(body, 'on'))) sim.restorePower(id);
      else sim.powerCut(id);
      return ok(sim.cooker(id));
    },
  },
  { method: 'POST', path: /^\/faults$/, run: (sim, { body }) => setFaults(sim, body) },
  {
    method: 'POST',
    path: /^\/drop$/,
    run: (sim, { body }) => {
      only(body, ['how']);
      const how = body.how ?? 'close';
      if (how === 'blackhole') sim.setBlackhole(true);
      else if (how === 'close' || how === 'abort') sim.dropConnections(how);
      else throw new SimulatorError('invalid', 'how must be one of "close", "abort", "blackhole"');
      return ok({ dropped: how });
    },
  },
  {
    method: 'POST',
    path: /^\/time-scale$/,
    run: (sim, { body }) => {
      only(body, ['scale']);
      sim.setTimeScale(required(body, 'scale') as number);
      return ok({ timeScale: sim.status().timeScale });
    },
  },
  {
    method: 'POST',
    path: /^\/physics$/,
    run: (sim, { body }) => {
      sim.setPhysics(body);
      return ok(sim.status().physics);
    },
  },
  {
    method: 'POST',
    path: /^\/push$/,
    run: (sim) => {
      sim.pushNow();
      return ok({ pushed: true });
    },
  },
  {
    method: 'POST',
    path: /^\/tokens\/revoke$/,
    run: (sim, { body }) => {
      only(body, ['token', 'how']);
      sim.revokeToken(required(body, 'token') as string, body.how as 'http401' | undefined);
      return ok({ revoked: true }); // never echo the token
    },
  },
  {
    method: 'POST',
    path: /^\/tokens\/accept$/,
    run: (sim, { body }) => {
      only(body, ['token']);
      sim.acceptToken(required(body, 'token') as string);
      return ok({ accepted: true });
    },
  },
  {
    method: 'POST',
    path: /^\/reset$/,
    run: (sim) => {
      sim.reset();
      return ok(sim.status());
    },
  },
  {
    method: 'GET',
    path: /^\/frames$/,
    run: (sim, { query }) => {
      const raw = query.get('limit');
      const limit = raw === null ? DEFAULT_FRAME_LIMIT : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > RECEIVED_FRAMES_KEPT) {
        throw new SimulatorError('invalid', `limit must be a whole number from 1 to ${RECEIVED_FRAMES_KEPT}`);
      }
      return ok(sim.received().slice(-limit));
    },
  },
];

const FAULT_FIELDS = [
  'blackhole',
  'answerPings',
  'refuseConnections',
  'commandAnswer',
  'responseDelayMs',
  'connectQuirks',
  'behavior',
];

/** Every field is checked before any is applied, so a bad request changes nothing. */
function setFaults(sim: SimulatorHandle, body: Body): Reply {
  only(body, FAULT_FIELDS);
  const current = sim.status();
  const given = <T>(key: string, check: (value: unknown) => T): T | undefined =>
    body[key] === undefined ? undefined : check(body[key]);
  const blackhole = given('blackhole', (v) => flag('blackhole', v));
  const answerPings = given('answerPings', (v) => flag('answerPings', v));
  const refuse = given('refuseConnections', (v) => flag('refuseConnections', v));
  const answer = given('commandAnswer', (v) => validCommandAnswer(commandAnswer(v)));
  const delay = given('responseDelayMs', (v) => delayMs('responseDelayMs', v));
  const quirks = given('connectQuirks', (v) => mergeQuirks(current.faults.connectQuirks, v as Body));
  const behavior = given('behavior', (v) => mergeBehavior(current.behavior, v as Body));

  if (blackhole !== undefined) sim.setBlackhole(blackhole);
  if (answerPings !== undefined) sim.setAnswerPings(answerPings);
  if (refuse !== undefined) sim.setRefuseConnections(refuse);
  if (answer !== undefined) sim.setCommandAnswer(answer);
  if (delay !== undefined) sim.setResponseDelayMs(delay);
  if (quirks !== undefined) sim.setConnectQuirks(quirks);
  if (behavior !== undefined) sim.setBehavior(behavior);
  const after = sim.status();
  return ok({ faults: after.faults, behavior: after.behavior });
}

/** "error" is shorthand for {mode: "error"}. */
function commandAnswer(value: unknown): CommandAnswer {
  return (typeof value === 'string' ? { mode: value } : value) as CommandAnswer;
}

function only(body: Body, allowed: string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new SimulatorError('invalid', `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  }
}

function required(body: Body, name: string): unknown {
  if (!(name in body)) throw new SimulatorError('invalid', `${name} is required`);
  return body[name];
}

// ---- HTTP plumbing

const STATUS_OF_KIND = { invalid: 400, not_found: 404, conflict: 409 } as const;
const CODE_OF_KIND = { invalid: 'invalid_input', not_found: 'not_found', conflict: 'conflict' } as const;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlApi(
  sim: SimulatorHandle,
  opts: { host: string; port: number; logger: Logger },
): Promise<ControlApi> {
  const server = createServer((req, res) => {
    handle(sim, req, opts.logger)
      .then((reply) => send(res, reply))
      .catch((err: unknown) => send(res, problemReply(err, opts.logger)));
  });
  await listen(server, opts.host, opts.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostForUrl(opts.host)}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(sim: SimulatorHandle, req: IncomingMessage, logger: Logger): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://control');
  const matching = ROUTES.map((route) => ({ route, match: route.path.exec(url.pathname) })).filter((m) => m.match);
  if (matching.length === 0) throw new HttpProblem(404, 'not_found', `no route ${url.pathname}`);
  const hit = matching.find((m) => m.route.method === req.method);
  if (!hit) throw new HttpProblem(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
  const body = req.method === 'POST' ? await readJsonBody(req) : {};
  // Never log bodies: /tokens/* carry tokens.
  logger.info('simulator control', { method: req.method, path: url.pathname });
  const params = hit.match!.slice(1).map(decodePathParam);
  return hit.route.run(sim, { params, body, query: url.searchParams });
}

function decodePathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpProblem(400, 'invalid_input', 'malformed percent-encoding in the path');
  }
}

async function readJsonBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpProblem(413, 'payload_too_large', `the body must be under ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpProblem(400, 'invalid_input', 'the body must be a JSON object');
  }
  return value as Body;
}

function problemReply(err: unknown, logger: Logger): Reply {
  if (err instanceof HttpProblem) return { status: err.status, body: { error: err.code, message: err.message } };
  if (err instanceof SimulatorError) {
    return { status: STATUS_OF_KIND[err.kind], body: { error: CODE_OF_KIND[err.kind], message: err.message } };
  }
  logger.error('simulator control: unexpected error', { error: err instanceof Error ? err.message : String(err) });
  return { status: 500, body: { error: 'internal', message: 'unexpected error' } };
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body, null, 2);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
