'use strict';
/**
 * The server under test as its own process, `node [production flags] [--expose-gc -r probe.js]
 * dist/app/cli.js serve`, configured only through its environment (as Docker runs it), pointed
 * at a simulator. Readers for what the kernel says about it: /proc/<pid>/status (RSS),
 * smaps_rollup (PSS), io (bytes written), stat (CPU), task/* /status (wake-ups).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { createInterface } = require('node:readline');
const { request, nextClientIp, delay } = require('./http');
const { productionFlags } = require('./node-flags');

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'app', 'cli.js');
const COMPRESSED = path.join(__dirname, 'compressed-server.js');
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

const kbField = (text, key) => {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : null;
};

/** VmRSS, VmHWM, RssAnon, RssFile of a process, in bytes, from /proc (Linux). */
function procMemory(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rss: kbField(text, 'VmRSS'),
    hwm: kbField(text, 'VmHWM'),
    rssAnon: kbField(text, 'RssAnon'),
    rssFile: kbField(text, 'RssFile'),
  };
}

/**
 * PSS and its parts from /proc/<pid>/smaps_rollup: each resident page divided by the number of
 * processes that map it. With a private copy of the node binary (privateNode below) nothing
 * shares the binary's pages, as on the Pi where the server is the only Node process.
 */
function procPss(pid) {
  const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return {
    rss: kbField(text, 'Rss'),
    pss: kbField(text, 'Pss'),
    pssAnon: kbField(text, 'Pss_Anon'),
    pssFile: kbField(text, 'Pss_File'),
    sharedClean: kbField(text, 'Shared_Clean'),
    privateClean: kbField(text, 'Private_Clean'),
    privateDirty: kbField(text, 'Private_Dirty'),
  };
}

/** /proc/<pid>/io: write_bytes counts pages dirtied in the page cache (what reaches the disk). */
function procIo(pid) {
  const text = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (k) => Number(new RegExp(`^${k}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rchar: field('rchar'),
    wchar: field('wchar'),
    syscw: field('syscw'),
    writeBytes: field('write_bytes'),
    cancelledWriteBytes: field('cancelled_write_bytes'),
  };
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
 * Context switches of every thread so far: a voluntary one is a thread going to sleep (the
 * event loop in epoll_wait, a V8 worker waiting for a task), so their count is the number of
 * wake-ups. The main thread's (tid = pid) is the event loop's.
 */
function procWakeups(pid) {
  let all = 0;
  let main = 0;
  let threads = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let text;
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const v = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    const n = Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    all += v + n;
    if (tid === String(pid)) main = v + n;
    threads++;
  }
  return { all, main, threads };
}

/**
 * A private copy of the node binary in `dir`: a server started from it shares no page of the
 * binary with the bench's own node or anyone else's, so its PSS is what it would be alone on
 * the Pi. Copies once per name.
 */
function privateNode(dir, name = 'node-private') {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    fs.copyFileSync(process.execPath, file);
    fs.chmodSync(file, 0o755);
  }
  return file;
}

/** The filesystem of `dir` keeps written bytes in RAM (tmpfs): write_bytes would read 0 there. */
function onTmpfs(dir) {
  try {
    return fs.statfsSync(dir).type === 0x01021994;
  } catch {
    return false;
  }
}

/** Exit status, stderr, and the last lines of the log that are not access lines. */
function describeExit(child, stderr, logTail) {
  return `the server process exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode})\nstderr: ${stderr.slice(-2000)}\nlast log lines:\n${logTail()}`;
}

/**
 * What the server wrote on stdout, counted as it arrives: bytes, lines, the bytes Docker's
 * json-file log driver would store for them (each line wrapped in {"log","stream","time"}),
 * and lines by level and message.
 */
class LogCounter {
  constructor({ keepLines, spawnedAt }) {
    this.bytes = 0;
    this.lines = 0;
    this.jsonFileBytes = 0;
    this.byMessage = new Map();
    this.keepLines = keepLines;
    this.spawnedAt = spawnedAt;
    /** Lines with arrival time (ms since spawn), when keepLines. */
    this.kept = [];
    this.recent = [];
  }

  add(line) {
    this.bytes += Buffer.byteLength(line) + 1;
    this.lines++;
    this.jsonFileBytes +=
      JSON.stringify({ log: `${line}\n`, stream: 'stdout', time: '2026-01-01T00:00:00.000000000Z' }).length + 1;
    let key = '(not JSON)';
    try {
      const parsed = JSON.parse(line);
      key = `${parsed.level} ${parsed.message}`;
    } catch {
      // counted as it is
    }
    this.byMessage.set(key, (this.byMessage.get(key) ?? 0) + 1);
    if (this.keepLines) this.kept.push({ at: performance.now() - this.spawnedAt, line });
    if (!line.includes('"message":"request"')) {
      this.recent.push(line);
      if (this.recent.length > 20) this.recent.shift();
    }
  }

  snapshot() {
    return {
      bytes: this.bytes,
      lines: this.lines,
      jsonFileBytes: this.jsonFileBytes,
      byMessage: Object.fromEntries(this.byMessage),
    };
  }
}

/** Counts in `b` minus those in `a` (two LogCounter snapshots). */
function logDelta(a, b) {
  const byMessage = {};
  for (const [k, v] of Object.entries(b.byMessage)) {
    const d = v - (a.byMessage[k] ?? 0);
    if (d > 0) byMessage[k] = d;
  }
  return {
    bytes: b.bytes - a.bytes,
    lines: b.lines - a.lines,
    jsonFileBytes: b.jsonFileBytes - a.jsonFileBytes,
    byMessage,
  };
}

/**
 * @param {object} opts
 * @param {{url: string, token: string}} opts.sim   the simulated cloud
 * @param {string[]} [opts.flags]                   Node flags; default the production flags (docker/Dockerfile)
 * @param {string} [opts.execPath]                  node binary (e.g. a privateNode copy); default this one
 * @param {'cli'|'compressed'} [opts.entry]         cli.js serve (default) or compressed-server.js
 * @param {boolean} [opts.probe]                    preload probe.js (with --expose-gc and an IPC channel; default true)
 * @param {string|null|'count'} [opts.logFile]      stdout to this file; null = a pipe, lines kept; 'count' = a pipe, counted only
 * @param {string} [opts.dataDir]                   DATA_DIR (default a new temporary directory)
 * @param {string[]} [opts.extraArgs]               more node arguments (e.g. --cpu-prof)
 * @param {Record<string,string>} [opts.env]        extra environment
 */
async function spawnServer(opts) {
  const port = await freePort();
  const probe = opts.probe !== false;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'anova-bench-data-'));
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    API_KEY,
    ANOVA_TOKEN: opts.sim.token,
    ANOVA_WS_URL: opts.sim.url,
    PUBLIC_URL: 'https://anova.example.com',
    TRUST_PROXY: 'true',
    DATA_DIR: dataDir,
    ...opts.env,
  };
  const toFile = typeof opts.logFile === 'string' && opts.logFile !== 'count';
  const stdout = toFile ? fs.openSync(opts.logFile, 'w') : 'pipe';
  const entry = opts.entry === 'compressed' ? [COMPRESSED] : [CLI, 'serve'];
  const flags = opts.flags ?? productionFlags();
  const args = [...flags, ...(opts.extraArgs ?? []), ...(probe ? ['--expose-gc', '-r', PROBE] : []), ...entry];
  const spawnedAt = performance.now();
  const child = spawn(opts.execPath ?? process.execPath, args, {
    env,
    cwd: os.tmpdir(), // no .env there: the environment above is the whole configuration
    stdio: ['ignore', stdout, 'pipe', ...(probe ? ['ipc'] : [])],
  });
  if (typeof stdout === 'number') fs.closeSync(stdout);

  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const log = new LogCounter({ keepLines: opts.logFile === null || opts.logFile === undefined, spawnedAt });
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => log.add(line));
  const logTail = () => {
    if (toFile && fs.existsSync(opts.logFile)) {
      return fs
        .readFileSync(opts.logFile, 'utf8')
        .slice(-20_000)
        .split('\n')
        .filter((l) => l && !l.includes('"message":"request"'))
        .slice(-5)
        .join('\n');
    }
    return log.recent.slice(-5).join('\n');
  };

  /** Runs `read` on /proc, or explains why the server is gone (a crash must be reported, not hidden). */
  const whileAlive = (read) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        return read();
      } catch (err) {
        if (err.code !== 'ENOENT' && err.code !== 'ESRCH') throw err; // it exited meanwhile
      }
    }
    throw new Error(describeExit(child, stderr.join(''), logTail));
  };

  let nextProbeId = 1;
  /** One request to probe.js; resolves its answer. */
  const ask = (kind, payload = {}, timeoutMs = 30_000) => {
    if (!probe) return Promise.reject(new Error('spawned without the probe'));
    if (child.exitCode !== null || child.signalCode !== null) {
      return Promise.reject(new Error(describeExit(child, stderr.join(''), logTail)));
    }
    const id = nextProbeId++;
    return new Promise((resolve, reject) => {
      const done = (err, msg) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        if (err) reject(err);
        else if (msg.error) reject(new Error(`probe: ${msg.error}`));
        else resolve(msg);
      };
      const timer = setTimeout(
        () => done(new Error(`no answer from the probe within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const onMessage = (msg) => {
        if (msg && msg.probe === kind && msg.id === id) done(null, msg);
      };
      child.on('message', onMessage);
      child.send({ probe: kind, id, ...payload }, (err) => err && done(err));
    });
  };

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    child,
    dataDir,
    flags,
    spawnedAt,
    /** Log lines with arrival time (logFile null only). */
    logLines: log.kept,
    exited,
    stderr: () => stderr.join(''),
    memory: () => whileAlive(() => procMemory(child.pid)),
    pss: () => whileAlive(() => procPss(child.pid)),
    io: () => whileAlive(() => procIo(child.pid)),
    cpuMs: () => whileAlive(() => procCpuMs(child.pid)),
    wakeups: () => whileAlive(() => procWakeups(child.pid)),
    /** stdout so far (pipe modes only): bytes, lines, json-file bytes, lines by message. */
    log: () => log.snapshot(),

    /** Heap, modules, resources and counters from inside the process (probe.js); `gc` collects first. */
    sample: ({ gc = false } = {}) => ask('sample', { gc }),
    /** Timer callbacks run so far (probe.js). */
    timers: () => ask('timers'),
    /** Writes a heap snapshot (after a GC) to `file`. */
    heapSnapshot: (file) => ask('heap-snapshot', { file }, 120_000),
    /** V8's CPU profiler over a window: start, then stop writes the .cpuprofile to `file`. */
    profileStart: (intervalUs) => ask('profile-start', { intervalUs }),
    profileStop: (file) => ask('profile-stop', { file }, 60_000),

    /** Waits for /health 200, then /status 200 (the cooker is known and online). */
    async waitReady(timeoutMs = 15_000) {
      const deadline = performance.now() + timeoutMs;
      for (const path of ['/health', '/status']) {
        for (;;) {
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(describeExit(child, stderr.join(''), logTail));
          if (performance.now() > deadline)
            throw new Error(`server not ready within ${timeoutMs} ms: ${stderr.join('')}`);
          const res = await request(url + path, { headers: { ...AUTH, 'cf-connecting-ip': nextClientIp() } }).catch(
            () => null,
          );
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

module.exports = {
  spawnServer,
  procMemory,
  procPss,
  procIo,
  procCpuMs,
  procWakeups,
  privateNode,
  onTmpfs,
  logDelta,
  freePort,
  API_KEY,
  AUTH,
  CLI,
  ROOT,
};
