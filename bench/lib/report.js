'use strict';
/**
 * Pure: bench results → the key numbers, the verdicts against the targets, and the markdown the
 * lead pastes into the README. No I/O here.
 */
const { MB, mb, ms, int, pct, delta } = require('./stats');

/** Targets from the issue; `ok(value)` says whether a number meets it. */
const TARGETS = {
  idleRss: { text: '≤ 55 MB', ok: (v) => v <= 55 * MB },
  loadedRss: { text: '≤ 70 MB', ok: (v) => v <= 70 * MB },
  // A leak of even 5 bytes per request shows as 0.05 MB per 10,000.
  trend: { text: 'no upward trend (heap after GC < +0.05 MB per 10k)', ok: (v) => v < 0.05 },
  statusRps: { text: '≥ 7,000 req/s', ok: (v) => v >= 7_000 },
  statusP99: { text: 'p99 ≤ 10 ms', ok: (v) => v <= 10 },
  non200: { text: '~0 %', ok: (v) => v < 0.001 },
  coldStart: { text: '≤ 500 ms', ok: (v) => v <= 500 },
};

/**
 * A change worth bold type in the comparison: memory repeats within 1 % from run to run, but
 * req/s and latencies move by up to ~20 % on a shared VM.
 */
const NOTABLE = 0.15;

const verdict = (target, value) => (value == null ? 'n/a' : TARGETS[target].ok(value) ? 'met' : '**missed**');

/** The checkpoint the target is about (100,000 requests), or the last one in a shorter run. */
function at100k(m) {
  return m.checkpoints.find((p) => p.requests >= 100_000) ?? m.checkpoints[m.checkpoints.length - 1];
}

/** The few numbers worth tracking from run to run (name → value, and which way is better). */
function keyNumbers(r) {
  const status10 = r.latency.runs.find((x) => x.endpoint === 'GET /status' && x.connections === 10);
  const health10 = r.latency.runs.find((x) => x.endpoint === 'GET /health' && x.connections === 10);
  const [plain, tuned] = r.memory;
  return {
    'idle RSS, node defaults (MB)': { value: plain.checkpoints[0].rss / MB, better: 'lower' },
    'idle RSS, recommended flags (MB)': { value: tuned.checkpoints[0].rss / MB, better: 'lower' },
    'RSS after 100k requests, node defaults (MB)': { value: at100k(plain).rss / MB, better: 'lower' },
    'RSS after 100k requests, recommended flags (MB)': { value: at100k(tuned).rss / MB, better: 'lower' },
    'heap after GC at the end, recommended flags (MB)': {
      value: tuned.checkpoints[tuned.checkpoints.length - 1].heapUsedAfterGc / MB,
      better: 'lower',
    },
    'GET /status @10 req/s': { value: status10.rps, better: 'higher' },
    'GET /status @10 p99 (ms)': { value: status10.latencyMs.p99, better: 'lower' },
    'GET /health @10 req/s': { value: health10.rps, better: 'higher' },
    'server CPU per /status (µs)': { value: status10.serverCpuUsPerRequest, better: 'lower' },
    'cold start to /health (ms)': { value: r.coldStart.medianMs.health, better: 'lower' },
    'start-cook round trip p50 (ms)': { value: r.roundTrip.startCookMs.p50, better: 'lower' },
  };
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}

function render(run, previous) {
  const { machine, results: r, mode, plan } = run;
  const out = [];
  const status10 = r.latency.runs.find((x) => x.endpoint === 'GET /status' && x.connections === 10);
  const allNon200 = r.latency.runs.reduce((n, x) => n + x.non200Share * x.requests, 0) / r.latency.runs.reduce((n, x) => n + x.requests, 0);
  const [plain, tuned] = r.memory;
  const last = (m) => m.checkpoints[m.checkpoints.length - 1];
  const recommended = r.flags.find((f) => f.recommended);

  out.push(`## Benchmarks (\`npm run bench\`${mode === 'quick' ? ', BENCH_QUICK=1: short runs, not for comparison' : ''})`);
  out.push('');
  out.push(
    `${machine.cpuModel}, ${machine.cpuCount} CPUs${machine.virtualised ? ' (virtual machine)' : ''}, ` +
      `${(machine.memoryTotalBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${machine.platform} ${machine.arch}, ` +
      `Node ${machine.node}, ${machine.date.slice(0, 10)}. The server is one process; the load generator ` +
      `(autocannon) runs in the bench process${machine.cpuCount <= 2 ? `, and with ${machine.cpuCount} cores it competes with the server for CPU` : ''}.`,
  );
  out.push('');
  out.push('### Against the targets');
  out.push('');
  out.push(
    table(
      ['', 'result', 'target', ''],
      [
        ['idle RSS, node defaults', mb(plain.checkpoints[0].rss), TARGETS.idleRss.text, verdict('idleRss', plain.checkpoints[0].rss)],
        [`idle RSS, \`${tuned.flags.join(' ')}\``, mb(tuned.checkpoints[0].rss), TARGETS.idleRss.text, verdict('idleRss', tuned.checkpoints[0].rss)],
        [`RSS after ${int(at100k(plain).requests)} requests, node defaults`, mb(at100k(plain).rss), TARGETS.loadedRss.text, verdict('loadedRss', at100k(plain).rss)],
        [`RSS after ${int(at100k(tuned).requests)} requests, recommended flags`, mb(at100k(tuned).rss), TARGETS.loadedRss.text, verdict('loadedRss', at100k(tuned).rss)],
        tuned.steadyFrom === null
          ? ['memory trend', 'n/a (quick run: too short to reach the steady state)', TARGETS.trend.text, 'n/a']
          : [
              `memory trend from ${int(tuned.steadyFrom)} to ${int(last(tuned).requests)} requests, recommended flags`,
              `heap after GC ${signed(tuned.slopeMbPer10k.heapUsedAfterGc, 3)} MB per 10k; RSS ${mb(tuned.steadyRssRange[0])} to ${mb(tuned.steadyRssRange[1])}`,
              TARGETS.trend.text,
              verdict('trend', tuned.slopeMbPer10k.heapUsedAfterGc),
            ],
        [
          'GET /status, 10 connections',
          `${int(status10.rps)} req/s, p99 ${ms(status10.latencyMs.p99)}`,
          `${TARGETS.statusRps.text}, ${TARGETS.statusP99.text}`,
          TARGETS.statusRps.ok(status10.rps) && TARGETS.statusP99.ok(status10.latencyMs.p99) ? 'met' : '**missed**',
        ],
        ['non-200 answers in the load runs', pct(allNon200), TARGETS.non200.text, verdict('non200', allNon200)],
        [
          `cold start to /health 200 (median of ${r.coldStart.runs.length})`,
          ms(r.coldStart.medianMs.health, 0),
          TARGETS.coldStart.text,
          verdict('coldStart', r.coldStart.medianMs.health),
        ],
      ],
    ),
  );
  out.push('');

  out.push(`### Throughput and latency (${plan.loadS} s per row, loopback, one JSON log line per request to a file, a new client address per request)`);
  out.push('');
  const calib = r.latency.calibration;
  out.push(
    table(
      ['endpoint', 'connections', 'req/s', 'p50', 'p99', 'max', 'non-200', 'server CPU', 'server CPU per request'],
      [
        ...r.latency.runs.map((x) => [
          x.endpoint,
          x.connections,
          int(x.rps),
          ms(x.latencyMs.p50),
          ms(x.latencyMs.p99),
          ms(x.latencyMs.max, 1),
          pct(x.non200Share),
          pct(x.serverCpuShare, 0),
          `${int(x.serverCpuUsPerRequest)} µs`,
        ]),
        [
          'calibration: minimal Koa + winston',
          10,
          int(calib.load.rps),
          ms(calib.load.latencyMs.p50),
          ms(calib.load.latencyMs.p99),
          ms(calib.load.latencyMs.max, 1),
          pct(calib.load.non200Share),
          pct(calib.load.serverCpuShare, 0),
          `${int(calib.load.serverCpuUsPerRequest)} µs`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Server CPU is the share of one core the server used; near 100 % it is the bottleneck, below that the generator is. ` +
      `Access log lines written per GET /status: ${r.latency.accessLogLinesPerStatusRequest.toFixed(3)} ` +
      '(a successful /health logs at debug level only, so its rows carry no log write). ' +
      `The calibration app idles at ${mb(calib.idle.rss)} and reaches ${mb(calib.afterLoad.rss)} after its load.`,
  );
  out.push('');

  out.push(`### Memory growth (mixed requests at 10 connections: reads, refusals, 4xx of every kind, each from a new client)`);
  out.push('');
  const shown = (p, i, all) => i <= 1 || p.requests % 50_000 === 0 || i === all.length - 1;
  out.push(
    table(
      ['requests', 'RSS, defaults', 'heap after GC, defaults', 'RSS, recommended', 'heap after GC, recommended', 'young generation, defaults → recommended'],
      plain.checkpoints.flatMap((p, i, all) => {
        if (!shown(p, i, all)) return [];
        const q = tuned.checkpoints[i];
        return [[
          i === 0 ? 'idle' : int(p.requests),
          mb(p.rss),
          mb(p.heapUsedAfterGc),
          mb(q?.rss),
          mb(q?.heapUsedAfterGc),
          `${mb(p.newSpace)} → ${mb(q?.newSpace)}`,
        ]];
      }),
    ),
  );
  out.push('');
  out.push(
    (plain.steadyFrom === null
      ? 'No steady window in a quick run. '
      : `From ${int(plain.steadyFrom)} requests on (MB per 10,000 requests): heap after GC ${signed(plain.slopeMbPer10k.heapUsedAfterGc, 3)} (defaults), ` +
        `${signed(tuned.slopeMbPer10k.heapUsedAfterGc, 3)} (recommended); RSS ${signed(plain.slopeMbPer10k.rss)}, ${signed(tuned.slopeMbPer10k.rss)} ` +
        '(RSS moves in a saw-tooth as freed memory goes back to the system in batches; the heap is the leak test). ') +
      `Peak RSS (VmHWM): ${mb(last(plain).hwm)} (defaults), ${mb(last(tuned).hwm)} (recommended). ` +
      `Answers: ${Object.entries(plain.statuses).map(([k, v]) => `${k}: ${int(v)}`).join(', ')}. ` +
      'Every request is a new client, so the rate limiters fill their client tables (1,000 clients per endpoint, ' +
      'the least recently seen forgotten first): this is the worst case, and it is bounded.',
  );
  out.push('');

  out.push(
    `### Node flags (idle RSS after ${plan.idleSettleMs / 1000} s; then, after a warm-up, ${plan.flagLoadS} s of GET /status at 10 connections; ` +
      `median of ${plan.flagRounds} round${plan.flagRounds === 1 ? '' : 's'}, each on a fresh server)`,
  );
  out.push('');
  out.push(
    table(
      ['flags', 'idle RSS', 'RSS after load', 'req/s (range)', 'p99', 'server CPU per request', ''],
      r.flags.map((f) =>
        f.failed
          ? [`\`${f.flags.join(' ') || '(none)'}\``, 'failed', '', '', '', '', f.failed.slice(0, 80)]
          : [
              `\`${f.flags.join(' ') || '(none)'}\``,
              mb(f.idle.rss),
              mb(f.afterLoadRss),
              f.rounds > 1 ? `${int(f.rps)} (${int(f.rpsRange[0])} to ${int(f.rpsRange[1])})` : int(f.rps),
              ms(f.p99Ms),
              `${int(f.serverCpuUsPerRequest)} µs`,
              f.recommended ? '**recommended**' : f.label,
            ],
      ),
    ),
  );
  out.push('');
  if (recommended && !recommended.failed) {
    const base = r.flags[0];
    out.push(
      `Recommended: \`${recommended.flags.join(' ')}\`: idle ${mb(recommended.idle.rss)} (${delta(base.idle.rss, recommended.idle.rss)}), ` +
        `after load ${mb(recommended.afterLoadRss)} (${delta(base.afterLoadRss, recommended.afterLoadRss)}), ` +
        `${int(recommended.rps)} req/s (${delta(base.rps, recommended.rps)}) against node defaults.`,
    );
    out.push('');
  }

  out.push('### What the idle RSS is made of');
  out.push('');
  out.push(
    table(
      ['required alone in a fresh process', 'RSS', 'added anonymous', 'added file-backed', 'added heap', 'modules', 'load time'],
      r.composition.map((c) => [c.name, mb(c.rss), mb(c.anonDelta), mb(c.fileDelta), mb(c.heapUsedDelta, 2), c.modules, ms(c.loadMs, 0)]),
    ),
  );
  out.push('');
  const idle = plain.idleDetail;
  const spaces = idle.spaces;
  const topPackages = Object.entries(idle.modules.byPackage)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `The idle server (node defaults): RSS ${mb(plain.checkpoints[0].rss)} = ${mb(plain.checkpoints[0].rssFile)} file-backed ` +
      `(the node binary's pages, shared and reclaimable) + ${mb(plain.checkpoints[0].rssAnon)} anonymous. ` +
      `V8 heap ${mb(plain.checkpoints[0].heapTotal)} reserved, ${mb(plain.checkpoints[0].heapUsed)} used: ` +
      `young generation ${mb(spaces.new_space?.size)}, old ${mb(spaces.old_space?.size)}, code ${mb(spaces.code_space?.size)}, ` +
      `large objects ${mb(spaces.large_object_space?.size)}; off-heap (external) ${mb(plain.checkpoints[0].external)}. ` +
      `${idle.modules.count} CommonJS modules loaded (${topPackages}, ...).`,
  );
  out.push('');

  const cs = r.coldStart;
  out.push(`### Cold start (median of ${cs.runs.length} runs, from spawn)`);
  out.push('');
  out.push(
    table(
      ['/health 200', "log 'anova device selected'", '/status 200 (cooker known)', 'SIGTERM → exit (idle)', '`node -e 0` for reference'],
      [[ms(cs.medianMs.health, 0), ms(cs.medianMs.deviceSelected, 0), ms(cs.medianMs.status, 0), ms(cs.medianMs.shutdown, 0), ms(cs.nodeFloorMs, 0)]],
    ),
  );
  out.push('');

  const rt = r.roundTrip;
  out.push(`### Command round trip through the simulator (no injected delay; ${rt.startCookMs.count} each, one keep-alive connection)`);
  out.push('');
  out.push(
    table(
      ['call', 'p50', 'p99', 'max'],
      [
        ['POST /start-cook → 200', ms(rt.startCookMs.p50), ms(rt.startCookMs.p99), ms(rt.startCookMs.max)],
        ['POST /stop-cook → 200', ms(rt.stopCookMs.p50), ms(rt.stopCookMs.p99), ms(rt.stopCookMs.max)],
        ['GET /status (no cloud round trip)', ms(rt.statusMs.p50), ms(rt.statusMs.p99), ms(rt.statusMs.max)],
      ],
    ),
  );
  out.push('');

  if (previous) {
    const before = previous.keyNumbers ?? {};
    const now = run.keyNumbers;
    out.push(
      `### Compared with the previous run (${previous.machine?.date?.slice(0, 16) ?? '?'}; changes over ${NOTABLE * 100} % in the wrong direction in bold)`,
    );
    out.push('');
    out.push(
      table(
        ['', 'previous', 'now', 'change'],
        Object.entries(now).map(([name, { value, better }]) => {
          const old = before[name]?.value;
          const d = delta(old, value);
          const worse =
            typeof old === 'number' && value != null && (better === 'lower' ? value > old * (1 + NOTABLE) : value < old * (1 - NOTABLE));
          return [name, fmt(old), fmt(value), worse ? `**${d}**` : d];
        }),
      ),
    );
    out.push('');
  }
  return out.join('\n');
}

function fmt(v) {
  if (typeof v !== 'number') return 'n/a';
  return Math.abs(v) >= 100 ? int(v) : v.toFixed(2);
}

function signed(v, digits = 2) {
  if (v == null) return 'n/a';
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
}

module.exports = { render, keyNumbers, TARGETS };
