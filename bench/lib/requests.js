'use strict';
/** Requests the sections send to a spawned server (each from a new client address). */
const { request, nextClientIp } = require('./http');
const { AUTH } = require('./server-process');

/** A 72-hour cook, the longest a household runs (short ribs at 57 °C); time is set per run. */
const LONG_COOK = { temperature_celsius: 57, food_type: 'beef short ribs', thickness_mm: 50 };

const MCP_HEADERS = {
  ...AUTH,
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': '2025-06-18',
};
const MCP_TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

const withClient = (headers = {}) => ({ ...headers, 'cf-connecting-ip': nextClientIp() });

async function startCook(server, body) {
  const res = await request(`${server.url}/start-cook`, { method: 'POST', headers: withClient(AUTH), body });
  if (res.status !== 200) throw new Error(`start-cook answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.body;
}

async function stopCook(server) {
  const res = await request(`${server.url}/stop-cook`, { method: 'POST', headers: withClient(AUTH) });
  if (res.status !== 200) throw new Error(`stop-cook answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.body;
}

async function getJson(server, path) {
  const res = await request(server.url + path, { headers: withClient(AUTH) });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.body;
}

/** One MCP tools/list over POST /mcp with the API key (the first one loads the SDK). */
async function mcpToolsList(server) {
  const res = await request(`${server.url}/mcp`, {
    method: 'POST',
    headers: withClient(MCP_HEADERS),
    body: MCP_TOOLS_LIST,
  });
  if (res.status !== 200 || !res.text.includes('"tools"'))
    throw new Error(`/mcp tools/list answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.ms;
}

module.exports = { LONG_COOK, MCP_HEADERS, MCP_TOOLS_LIST, startCook, stopCook, getJson, mcpToolsList };
