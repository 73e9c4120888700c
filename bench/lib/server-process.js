'use strict';
/**
 * The server under test as its own process, `node [flags] [--expose-gc -r probe.js] dist/app/cli.js
 * serve`, configured only through its environment (as Docker runs it), pointed at the simulator.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createInterface } = require('node:readline');
const { request, nextClientIp, delay } = require('./http');

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'app', 'cli.js');
const PROBE = path.join(__dirname, 'probe.js');
const API_KEY = 'bench-api-key-0123456789abcdefghijklmnopqrstuvwxyz';
const AUTH = { authorization: `Bearer ${API_KEY}` };

/** A port nobody listens on right now (the server needs a known port before it logs anything). */
function freePort() {
  return new Promise((resolve, reject) => {
    const listener = net.createServer();
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => {
      const { port } = listener.address();
      listener.close(() => resolve(port));
    });
  });
}

/** VmRSS, VmHWM, RssAnon, RssFile of a process, in bytes, from /proc (Linux). */
function procMemory(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
}

/** Exit status, stderr, and the last lines of the log that are not access lines. */
function describeExit(child, stderr, logFile) {
  let logTail = '';
  if (logFile && fs.existsSync(logFile)) {
    const text = fs.readFileSync(logFile, 'utf8');
    logTail = text
      .slice(-20_000)
      .split('\n')
      .filter((l) => l && !l.includes('"message":"request"'))
      .slice(-5)
      .join('\n');
  }
  return `the server process exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode})\nstderr: ${stderr.slice(-2000)}\nlast log lines:\n${logTail}`;
}

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on x86-64 and arm64 Linux alike. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
function procCpuMs(pid) {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND);
}

/**
 * @param {object} opts
 * @param {{url: string, token: string}} opts.sim   the simulated cloud
 * @param {string[]} [opts.flags]                   Node flags, e.g. ['--max-semi-space-size=2']
 * @param {boolean} [opts.probe]                    preload probe.js (with --expose-gc and an IPC channel; default true)
 * @param {string|null} [opts.logFile]              stdout goes to this file; null = a pipe, read line by line
 * @param {Record<string,string>} [opts.env]        extra environment
 */
async function spawnServer(opts) {
  const port = await freePort();
  const probe = opts.probe !== false;
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    API_KEY,
    ANOVA_TOKEN: opts.sim.token,
    ANOVA_WS_URL: opts.sim.url,
    PUBLIC_URL: 'https://anova.example.com',
    TRUST_PROXY: 'true',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'anova-bench-data-')),
    ...opts.env,
  };
  const stdout = opts.logFile ? fs.openSync(opts.logFile, 'w') : 'pipe';
  const args = [...(opts.flags ?? []), ...(probe ? ['--expose-gc', '-r', PROBE] : []), CLI, 'serve'];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    env,
    cwd: os.tmpdir(), // no .env there: the environment above is the whole configuration
    stdio: ['ignore', stdout, 'pipe', ...(probe ? ['ipc'] : [])],
  });
  if (typeof stdout === 'number') fs.closeSync(stdout);

  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  /** Log lines with their arrival time (ms since spawn), only when stdout is a pipe. */
  const logLines = [];
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      logLines.push({ at: performance.now() - spawnedAt, line });
    });
  }

  /** Runs `read` on /proc, or explains why the server is gone (a crash must be reported, not hidden). */
  const whileAlive = (read) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        return read();
      } catch (err) {
        if (err.code !== 'ENOENT') throw err; // ENOENT: it exited meanwhile
      }
    }
    throw new Error(describeExit(child, stderr.join(''), opts.logFile));
  };

  let nextSampleId = 1;
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    child,
    spawnedAt,
    logLines,
    exited,
    stderr: () => stderr.join(''),
    memory: () => whileAlive(() => procMemory(child.pid)),
    cpuMs: () => whileAlive(() => procCpuMs(child.pid)),

    /** Heap, modules and resources from inside the process (probe.js); `gc` collects first. */
    sample({ gc = false } = {}) {
      if (!probe) return Promise.reject(new Error('spawned without the probe'));
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(describeExit(child, stderr.join(''), opts.logFile)));
      }
      const id = nextSampleId++;
      return new Promise((resolve, reject) => {
        const done = (err, msg) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          if (err) reject(err);
          else resolve(msg);
        };
        const timer = setTimeout(() => done(new Error('no answer from the probe within 10 s')), 10_000);
        const onMessage = (msg) => {
          if (msg && msg.probe === 'sample' && msg.id === id) done(null, msg);
        };
        child.on('message', onMessage);
        child.send({ probe: 'sample', id, gc }, (err) => err && done(err));
      });
    },

    /** Waits for /health 200, then /status 200 (the cooker is known and online). */
    async waitReady(timeoutMs = 15_000) {
      const deadline = performance.now() + timeoutMs;
      for (const path of ['/health', '/status']) {
        for (;;) {
          if (performance.now() > deadline) throw new Error(`server not ready within ${timeoutMs} ms: ${stderr.join('')}`);
          const res = await request(url + path, { headers: { ...AUTH, 'cf-connecting-ip': nextClientIp() } }).catch(() => null);
          if (res?.status === 200) break;
          await delay(10);
        }
      }
    },

    /** SIGTERM and wait for the exit (SIGKILL if it takes over 10 s, which would be a bug to report). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await exited;
      clearTimeout(killer);
      return result;
    },
  };
  return server;
}

module.exports = { spawnServer, procMemory, procCpuMs, freePort, API_KEY, AUTH, CLI, ROOT };
