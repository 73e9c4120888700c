'use strict';
/**
 * Pure: bench results → the Pi budget table (every row against its target, with the Pi-scaled
 * figure where one is asked for), the detail sections, the key numbers compared run to run,
 * and the shorter block the README shows. No I/O here.
 */
const { MB, mb, ms, int, pct, delta } = require('./stats');
const { PI_CPU_FACTOR, PI_CPU_FACTOR_RANGE } = require('./pi');

const KB = 1024;
const kb = (bytes, digits = 1) => (bytes == null || Number.isNaN(bytes) ? 'n/a' : `${(bytes / KB).toFixed(digits)} KB`);
const us = (v, digits = 1) => (v == null ? 'n/a' : `${v.toFixed(digits)} µs`);
const num = (v, digits = 2) => (v == null ? 'n/a' : v.toFixed(digits));
const signed = (v, digits = 2) => (v == null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`);
/** A CPU time on the Pi, scaled by PI_CPU_FACTOR, in the unit that reads best. */
const piTime = (usValue) => {
  if (usValue == null) return 'n/a';
  const v = usValue * PI_CPU_FACTOR;
  return v >= 1000 ? `~${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)} ms` : `~${v.toFixed(0)} µs`;
};

/**
 * Targets from the issue (and, for cold start, the previous one); `ok(value)` says whether a
 * number meets it. "≈ 0" for bytes is read as under one 4 KB page an hour.
 */
const TARGETS = {
  pss: { text: '≤ 45 MB', ok: (v) => v <= 45 * MB },
  trend: { text: '≈ 0 (< +0.05 MB per 10k)', ok: (v) => v < 0.05 },
  journalRss: { text: '≤ 5 MB', ok: (v) => v <= 5 * MB },
  cookWrites: { text: '≤ 200 KB/h', ok: (v) => v <= 200 * KB },
  idleWrites: { text: '≈ 0 (< 4 KB/h)', ok: (v) => v < 4 * KB },
  idleLogLines: { text: '≤ 10 per hour', ok: (v) => v <= 10 },
  p99: { text: '≤ 5 ms', ok: (v) => v <= 5 },
  coldStart: { text: '≤ 500 ms (previous issue)', ok: (v) => v <= 500 },
};

/**
 * A change worth bold type in the comparison: memory repeats within 1 % from run to run, but
 * req/s and latencies move by up to ~20 % on a shared VM.
 */
const NOTABLE = 0.15;

const verdict = (target, value) =>
  value == null || Number.isNaN(value) ? 'n/a' : TARGETS[target].ok(value) ? 'met' : '**missed**';

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

// ------------------------------------------------------------------ derived numbers

/** The checkpoint at 100,000 requests, or the last one in a shorter run. */
function at100k(m) {
  return m.checkpoints.find((p) => p.requests >= 100_000) ?? m.checkpoints[m.checkpoints.length - 1];
}

function status50(r) {
  return r.latency.runs.find((x) => x.endpoint === 'GET /status' && x.connections === 50);
}

/** Everything the tables need, computed once. */
function derive(r) {
  const soakLast = r.soak.checkpoints[r.soak.checkpoints.length - 1];
  const rt = r.realtime?.failed ? null : r.realtime;
  const cookLogPerHour = r.soak.cook.logJsonFileBytes / r.soak.cook.simHours;
  const dataPerCookHour = r.soak.cook.writeBytesPerHour;
  const journalRss = r.journal.idleCost.rss + r.journal.cookGrowth.rss;
  const notif = (kind, alerts = true) =>
    r.latency.notifications.find((n) => n.receiver === kind && (n.alerts ?? true) === alerts);
  return {
    idle: r.memory.checkpoints[0],
    afterMcp: r.memory.checkpoints[1],
    loaded: at100k(r.memory),
    soakLast,
    soakSlope: r.soak.slopeMbPer10kPushes.heapUsedAfterGc,
    requestSlope: r.memory.slopeMbPer10k?.heapUsedAfterGc ?? null,
    journalRss,
    dataPerCookHour,
    cookLogPerHour,
    cookTotalPerHour: dataPerCookHour + cookLogPerHour,
    rtCook: rt?.cooking ?? null,
    rtIdle: rt?.idle ?? null,
    status50: status50(r),
    status10: r.latency.runs.find((x) => x.endpoint === 'GET /status' && x.connections === 10),
    health10: r.latency.runs.find((x) => x.endpoint === 'GET /health' && x.connections === 10),
    cookNoAlerts: notif('none', false),
    notifNone: notif('none'),
    notifHang: notif('hang'),
    heat50: r.cpu.heat.find((h) => h.thicknessMm === 50),
  };
}

/** The few numbers worth tracking from run to run (name → value, and which way is better). */
function keyNumbers(r) {
  const d = derive(r);
  const out = {
    'idle RSS, production flags (MB)': { value: d.idle.rss / MB, better: 'lower' },
    'idle PSS, alone (MB)': { value: d.idle.pss / MB, better: 'lower' },
    'PSS after one /mcp request (MB)': { value: d.afterMcp.pss / MB, better: 'lower' },
    'RSS after 100k requests, production flags (MB)': { value: d.loaded.rss / MB, better: 'lower' },
    'PSS after 100k requests (MB)': { value: d.loaded.pss / MB, better: 'lower' },
    'heap after GC after 100k requests (MB)': { value: d.loaded.heapUsedAfterGc / MB, better: 'lower' },
    'PSS after the 72 h cook (MB)': { value: d.soakLast.pss / MB, better: 'lower' },
    'heap after GC slope over the cook (MB per 10k pushes)': { value: d.soakSlope, better: 'lower' },
    'journal RSS cost (MB)': { value: d.journalRss / MB, better: 'lower' },
    'data volume per cook-hour (KB)': { value: d.dataPerCookHour / KB, better: 'lower' },
    'container log per cook-hour (KB)': { value: d.cookLogPerHour / KB, better: 'lower' },
    'journal per cook-hour, replay (KB)': { value: r.journal.bytesPerCookHour / KB, better: 'lower' },
    'log lines per idle hour': { value: d.rtIdle?.logLinesPerHour ?? null, better: 'lower' },
    'idle CPU (%)': { value: d.rtIdle ? d.rtIdle.cpuShare * 100 : null, better: 'lower' },
    'CPU per push, cooking (µs)': { value: r.soak.cook.cpuUsPerPush, better: 'lower' },
    'GET /status @10 req/s': { value: d.status10.rps, better: 'higher' },
    'GET /status @10 p99 (ms)': { value: d.status10.latencyMs.p99, better: 'lower' },
    'GET /status @50 p99 (ms)': { value: d.status50.latencyMs.p99, better: 'lower' },
    'GET /health @10 req/s': { value: d.health10.rps, better: 'higher' },
    'server CPU per /status (µs)': { value: d.status10.serverCpuUsPerRequest, better: 'lower' },
    'cold start to /health (ms)': { value: r.coldStart.medianMs.health, better: 'lower' },
    'cold start to cooker known (ms)': { value: r.coldStart.medianMs.status, better: 'lower' },
    'start-cook round trip p50 (ms)': { value: r.roundTrip.startCookMs.p50, better: 'lower' },
  };
  return out;
}

/**
 * Names the previous format (version 1, Node 20) used for the same quantity: the comparison
 * looks them up there. Its memory runs had no journal, monitor, notifications or MCP loaded
 * and no cook running, so "same quantity" is approximate for memory.
 */
const PREVIOUS_NAMES = {
  'idle RSS, production flags (MB)': 'idle RSS, recommended flags (MB)',
  'RSS after 100k requests, production flags (MB)': 'RSS after 100k requests, recommended flags (MB)',
  'heap after GC after 100k requests (MB)': 'heap after GC at the end, recommended flags (MB)',
};

/** Numbers the previous format kept only in its results, not among its key numbers. */
const PREVIOUS_RESULTS = {
  'GET /status @50 p99 (ms)': (p) =>
    p.results?.latency?.runs?.find((x) => x.endpoint === 'GET /status' && x.connections === 50)?.latencyMs?.p99,
  'cold start to cooker known (ms)': (p) => p.results?.coldStart?.medianMs?.status,
};

function comparison(run, previous) {
  const before = { ...(previous.keyNumbers ?? {}) };
  for (const [name, pick] of Object.entries(PREVIOUS_RESULTS)) {
    if (before[name] === undefined && typeof pick(previous) === 'number') before[name] = { value: pick(previous) };
  }
  const rows = Object.entries(run.keyNumbers).map(([name, { value, better }]) => {
    const old = before[name]?.value ?? before[PREVIOUS_NAMES[name]]?.value;
    const d = delta(old, value);
    const worse =
      typeof old === 'number' &&
      typeof value === 'number' &&
      (better === 'lower' ? value > old * (1 + NOTABLE) : value < old * (1 - NOTABLE));
    return [name, fmt(old), fmt(value), worse ? `**${d}**` : d];
  });
  const pm = previous.machine ?? {};
  let better = 0;
  let worse = 0;
  let fresh = 0;
  for (const [name, { value, better: way }] of Object.entries(run.keyNumbers)) {
    const old = before[name]?.value ?? before[PREVIOUS_NAMES[name]]?.value;
    if (typeof old !== 'number' || typeof value !== 'number') fresh++;
    else if (way === 'lower' ? value < old : value > old) better++;
    else if (way === 'lower' ? value > old * (1 + NOTABLE) : value < old * (1 - NOTABLE)) worse++;
  }
  const sameMachine = pm.cpuModel === run.machine.cpuModel && pm.node === run.machine.node;
  return {
    note:
      `Against the previous run: ${better} of the tracked numbers better, ${worse} worse by more than ${NOTABLE * 100} %, ` +
      `${fresh} new (not measured before)` +
      (sameMachine
        ? '.'
        : `; the previous run was on another machine (${pm.cpuModel ?? '?'}, Node ${pm.node ?? '?'}) and ` +
          `${previous.version === 2 ? 'the same bench' : 'an earlier bench (no journal, monitor, notifications or MCP loaded, no cook running)'}, ` +
          "so memory and speed differences are not all the code's."),
    heading: `Compared with the previous run (${pm.date?.slice(0, 16) ?? '?'}, ${pm.cpuModel ?? '?'}, Node ${pm.node ?? '?'}; changes over ${NOTABLE * 100} % in the wrong direction in bold)`,
    table: table(['', 'previous', 'now', 'change'], rows),
  };
}

function fmt(v) {
  if (typeof v !== 'number') return 'n/a';
  return Math.abs(v) >= 100 ? int(v) : v.toFixed(2);
}

// ------------------------------------------------------------------ the Pi budget table

function budgetRows(run, previous) {
  const r = run.results;
  const d = derive(r);
  const pssCell = (p) => `${mb(p.pss)} (RSS ${mb(p.rss)})`;
  const rows = [];
  const row = (area, what, result, target, ok, pi = '') => rows.push([area, what, result, target, ok, pi]);

  // Memory
  row(
    'memory',
    'idle, journal + monitor + notifications loaded, a cook running (MCP not loaded yet)',
    pssCell(d.idle),
    '',
    '',
    'same',
  );
  row('memory', 'after one /mcp request (the MCP SDK loads)', pssCell(d.afterMcp), '', '', 'same');
  row(
    'memory',
    `after ${int(d.loaded.requests)} mixed requests`,
    pssCell(d.loaded),
    `PSS ${TARGETS.pss.text}`,
    verdict('pss', d.loaded.pss),
    'same',
  );
  row(
    'memory',
    `after the ${r.soak.cookHours} h cook (${int(r.soak.cook.pushes)} pushes through monitor and journal)`,
    pssCell(d.soakLast),
    `PSS ${TARGETS.pss.text}`,
    verdict('pss', d.soakLast.pss),
    'same',
  );
  row(
    'memory',
    `heap after GC over the cook, from ${int(r.soak.steadyFromPushes)} pushes`,
    d.soakSlope == null
      ? 'n/a'
      : `${signed(d.soakSlope, 3)} MB per 10k pushes (${signed((d.soakSlope * r.soak.cook.pushes) / 10_000, 2)} MB over the cook)`,
    TARGETS.trend.text,
    verdict('trend', d.soakSlope),
  );
  row(
    'memory',
    r.memory.steadyFrom === null
      ? 'heap after GC over the requests'
      : `heap after GC over the requests, from ${int(r.memory.steadyFrom)}`,
    d.requestSlope == null ? 'n/a (quick run: no steady window)' : `${signed(d.requestSlope, 3)} MB per 10k requests`,
    TARGETS.trend.text,
    verdict('trend', d.requestSlope),
  );
  row(
    'memory',
    `journal: open database at idle + what a ${r.journal.replay.cook.hours.toFixed(0)} h cook and reading it back add`,
    `${mb(d.journalRss)} (${mb(r.journal.idleCost.rss)} + ${mb(r.journal.cookGrowth.rss)})`,
    TARGETS.journalRss.text,
    verdict('journalRss', d.journalRss),
    'same',
  );

  // SD card
  row(
    'SD card',
    `cooking: data volume + container log, per cook-hour (the ${r.soak.cookHours} h cook, compressed)`,
    `${kb(d.cookTotalPerHour)}/h = ${kb(d.dataPerCookHour)} data + ${kb(d.cookLogPerHour)} log`,
    TARGETS.cookWrites.text,
    verdict('cookWrites', d.cookTotalPerHour),
    'same',
  );
  row(
    'SD card',
    d.rtCook
      ? `cooking, real time: data volume per hour (${(d.rtCook.seconds / 60).toFixed(1)} min${d.rtCook.alignedToFlushes ? `, ${d.rtCook.flushesInWindow} whole flush periods` : ', not aligned to flushes'}, extrapolated)`
      : 'cooking, real time',
    d.rtCook ? `${kb(d.rtCook.writeBytesPerHour)}/h + ${kb(d.rtCook.logJsonFileBytesPerHour)}/h log` : 'n/a',
    TARGETS.cookWrites.text,
    d.rtCook?.alignedToFlushes
      ? verdict('cookWrites', d.rtCook.writeBytesPerHour + d.rtCook.logJsonFileBytesPerHour)
      : 'n/a',
    'same',
  );
  row(
    'SD card',
    `journal alone per cook-hour, WAL checkpoints included (replay: ${int(r.journal.replay.cook.commits)} commits, ${r.journal.replay.cook.checkpoints} checkpoints in ${r.journal.replay.cook.hours.toFixed(1)} h)`,
    `${kb(r.journal.bytesPerCookHour)}/h`,
    TARGETS.cookWrites.text,
    verdict('cookWrites', r.journal.bytesPerCookHour),
    'same',
  );
  row(
    'SD card',
    'idle: data volume per hour (real time; journal replay of 24 h)',
    d.rtIdle
      ? `${kb(d.rtIdle.writeBytesPerHour)}/h (replay ${kb(r.journal.bytesPerIdleHour)}/h)`
      : `replay ${kb(r.journal.bytesPerIdleHour)}/h`,
    TARGETS.idleWrites.text,
    verdict('idleWrites', Math.max(d.rtIdle?.writeBytesPerHour ?? 0, r.journal.bytesPerIdleHour)),
    'same',
  );
  row(
    'SD card',
    'idle: container log per hour (json-file driver)',
    d.rtIdle ? `${kb(d.rtIdle.logJsonFileBytesPerHour)}/h` : 'n/a',
    TARGETS.idleWrites.text,
    d.rtIdle ? verdict('idleWrites', d.rtIdle.logJsonFileBytesPerHour) : 'n/a',
    'same',
  );
  row(
    'SD card',
    'idle: log lines per hour',
    d.rtIdle ? num(d.rtIdle.logLinesPerHour, 1) : 'n/a',
    TARGETS.idleLogLines.text,
    d.rtIdle ? verdict('idleLogLines', d.rtIdle.logLinesPerHour) : 'n/a',
    'same',
  );

  // CPU
  row(
    'CPU',
    'per state push, idle: receive + parse + bookkeeping (warm)',
    us(r.soak.idle.cpuUsPerPush),
    '',
    '',
    piTime(r.soak.idle.cpuUsPerPush),
  );
  row(
    'CPU',
    'per state push, cooking: + cook service, monitor, journal (warm)',
    us(r.soak.cook.cpuUsPerPush),
    '',
    '',
    piTime(r.soak.cook.cpuUsPerPush),
  );
  row(
    'CPU',
    'per GET /status (10 connections)',
    us(d.status10.serverCpuUsPerRequest, 0),
    '',
    '',
    piTime(d.status10.serverCpuUsPerRequest),
  );
  const sl = run.results.realtime?.sleeper;
  const sleeperShare = sl ? sl.cpuMs / (sl.seconds * 1000) : null;
  const warmIdleShare = (r.soak.idle.cpuUsPerPush * 0.5) / 1e6;
  row(
    'CPU',
    'idle, real time (pushes every 2 s, healthcheck every 30 s)',
    d.rtIdle
      ? `${pct(d.rtIdle.cpuShare, 3)}${sleeperShare != null ? ` (a Node process that only wakes every 2 s: ${pct(sleeperShare, 3)})` : ''}`
      : 'n/a',
    '',
    '',
    d.rtIdle
      ? `~${pct(warmIdleShare * PI_CPU_FACTOR, 3)} to ${pct(d.rtIdle.cpuShare * PI_CPU_FACTOR, 2)} of one core`
      : 'n/a',
  );
  row(
    'CPU',
    'idle: timer wake-ups per second (probe) / thread wake-ups per second (kernel)',
    d.rtIdle
      ? `${num(d.rtIdle.timerCallbacksPerSecond, 3)} / ${num(d.rtIdle.wakeupsPerSecond.all, 2)} (event loop ${num(d.rtIdle.wakeupsPerSecond.main, 2)})`
      : 'n/a',
    '',
    '',
    'same',
  );
  row(
    'CPU',
    `heat model, one step (${d.heat50.thicknessMm} mm: ${d.heat50.dtSeconds} s of cook time)`,
    us(d.heat50.stepUs, 2),
    '',
    '',
    piTime(d.heat50.stepUs),
  );

  // Latency: /status p99 at 50 connections, idle and during a cook (the rows that ran)
  const p99Rows = [
    [d.status50, () => 'GET /status p99, 50 connections, one log line per request'],
    [d.cookNoAlerts, () => '... during a cook (the food-safety view in every answer)'],
    [
      d.notifNone,
      (x) =>
        `... during a cook raising ${x.alertsRaised} alerts (journal: ${int(x.alertEventsRecorded)} alert events), no notification receiver`,
    ],
    [
      d.notifHang,
      (x) =>
        `... the same, NOTIFY_WEBHOOK_URL at a receiver that never answers (journal: ${int(x.alertEventsRecorded)} alert events)`,
    ],
  ];
  for (const [run, label] of p99Rows) {
    if (!run) continue;
    row(
      'latency',
      label(run),
      `${ms(run.latencyMs.p99)} (${int(run.rps)} req/s)`,
      TARGETS.p99.text,
      verdict('p99', run.latencyMs.p99),
    );
  }
  const prevRt = previous?.results?.roundTrip?.startCookMs?.p50;
  const rtNow = r.roundTrip.startCookMs.p50;
  row(
    'latency',
    'start-cook round trip through the simulator, p50 / p99',
    `${ms(rtNow)} / ${ms(r.roundTrip.startCookMs.p99)}`,
    prevRt ? `unchanged (previous p50 ${ms(prevRt)})` : 'unchanged',
    prevRt
      ? rtNow <= prevRt * (1 + NOTABLE)
        ? `met (${delta(prevRt, rtNow)})`
        : `**missed** (${delta(prevRt, rtNow)})`
      : 'n/a',
  );

  // Cold start
  const cs = r.coldStart;
  row(
    'cold start',
    `to /health 200, journal created and migrated (median of ${cs.runs.length})`,
    ms(cs.medianMs.health, 0),
    TARGETS.coldStart.text,
    verdict('coldStart', cs.medianMs.health),
    piTime(cs.medianMs.health * 1000),
  );
  row(
    'cold start',
    'to cooker known (/status 200)',
    ms(cs.medianMs.status, 0),
    '',
    '',
    piTime(cs.medianMs.status * 1000),
  );
  row(
    'cold start',
    'to /health 200 and to cooker known, existing journal (opened, checked)',
    `${ms(cs.reopenedMedianMs.health, 0)} / ${ms(cs.reopenedMedianMs.status, 0)}`,
    TARGETS.coldStart.text,
    verdict('coldStart', cs.reopenedMedianMs.health),
    `${piTime(cs.reopenedMedianMs.health * 1000)} / ${piTime(cs.reopenedMedianMs.status * 1000)}`,
  );
  return rows;
}

function budgetTable(run, previous) {
  return table(['', 'what', 'result', 'target', '', `Pi Zero 2 W (CPU x${PI_CPU_FACTOR})`], budgetRows(run, previous));
}

function machineLine(machine) {
  return (
    `${machine.cpuModel}, ${machine.cpuCount} CPUs${machine.virtualised ? ' (virtual machine)' : ''}, ` +
    `${(machine.memoryTotalBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${machine.platform} ${machine.arch}, ` +
    `Node ${machine.node}, ${machine.date.slice(0, 10)}`
  );
}

function budgetNotes(run) {
  const r = run.results;
  const sl = r.realtime?.sleeper;
  const wakeCost = sl && sl.wakes > 0 ? `${int((sl.cpuMs * 1000) / sl.wakes)} µs` : 'about a millisecond';
  return (
    `PSS is measured on a server started from a private copy of the node binary, so none of its pages are shared with ` +
    `another process: the PSS it would have alone, as on the Pi (where it is the only Node process); RSS beside it. ` +
    `Pi figures: CPU times x${PI_CPU_FACTOR} (one Cortex-A53 core at 1 GHz is ${PI_CPU_FACTOR_RANGE[0]} to ${PI_CPU_FACTOR_RANGE[1]} times slower than ` +
    `one core here; the slow end is used, and it is an estimate, not a measurement on a Pi); memory and bytes written unscaled. ` +
    `CPU per push is the warm cost (pushes arriving 500 a second); this virtual machine charges a process ${wakeCost} for each ` +
    `wake-up after an idle stretch, whatever it does (measured with a Node process that only wakes every 2 s), so idle CPU on ` +
    `the Pi is given as a range: from the warm per-push cost, to what was measured here. ` +
    `The ${r.soak.cookHours} h cook runs at ${r.soak.scale}x with one push per 2 s of cook time (the real cloud's cadence), so every ` +
    `per-push and per-hour cost is that of a real cook. KB = 1,024 bytes. Node flags: \`${r.memory.flags.join(' ')}\` ` +
    `(NODE_OPTIONS in docker/Dockerfile, the same as \`npm start\`).`
  );
}

// ------------------------------------------------------------------ detail sections

function memorySection(run) {
  const r = run.results;
  const out = [];
  const m = r.memory;
  out.push(
    `### Memory under requests (production flags, a cook running, notifications to a loopback receiver; mixed requests at 10 connections, each from a new client)`,
  );
  out.push('');
  const shown = (p, i, all) => i <= 2 || p.requests % 50_000 === 0 || i === all.length - 1;
  out.push(
    table(
      ['', 'PSS', 'RSS', 'anonymous', 'file-backed', 'heap after GC', 'heap reserved', 'modules'],
      m.checkpoints
        .filter(shown)
        .map((p) => [
          p.label === 'idle' || p.label?.startsWith('after') ? p.label : `${int(p.requests)} requests`,
          mb(p.pss),
          mb(p.rss),
          mb(p.rssAnon),
          mb(p.rssFile),
          mb(p.heapUsedAfterGc),
          mb(p.heapTotal),
          p.modules,
        ]),
    ),
  );
  out.push('');
  out.push(
    `Answers: ${Object.entries(m.statuses)
      .map(([k, v]) => `${k}: ${int(v)}`)
      .join(', ')}; the first /mcp request took ${ms(m.mcpFirstRequestMs, 0)} ` +
      `(it loads the SDK). Every request is a new client, so the rate limiters fill their client tables (1,000 clients per endpoint, ` +
      'the least recently seen forgotten first): the worst case, bounded.',
  );
  out.push('');

  const s = r.soak;
  out.push(
    `### Memory over the ${s.cookHours} h cook (${int(s.totalPushes)} pushes in all, ${int(s.cook.pushes)} during the cook; a checkpoint at every tenth, after a forced GC)`,
  );
  out.push('');
  out.push(
    table(
      ['cook time', 'pushes', 'PSS', 'RSS', 'heap after GC', 'heap reserved', 'external'],
      [s.idleCheckpoint, ...s.checkpoints].map((p) => [
        p.phase === 'idle' ? 'idle, before' : `${(p.cookHours ?? 0).toFixed(1)} h`,
        int(p.pushes),
        mb(p.pss),
        mb(p.rss),
        mb(p.heapUsedAfterGc, 2),
        mb(p.heapTotal),
        mb(p.external),
      ]),
    ),
  );
  out.push('');
  out.push(
    `Pushes the driver had to drop to keep the pace: ${int(s.droppedPushes)}. Journal at the end: ${s.journal.events} events (${s.journal.eventTypes.join(', ')}), ` +
      `end reason ${s.journal.endReason}, database ${kb(s.journal.dbBytes.db, 0)} + WAL ${kb(s.journal.dbBytes.wal, 0)}. Notifications delivered: ${s.notificationsDelivered}.`,
  );
  out.push('');

  out.push('### What the memory is made of');
  out.push('');
  const smaps = m.smaps;
  const pssTotal = Object.values(smaps).reduce((a, b) => a + b, 0);
  out.push(
    table(
      [`PSS after ${int(at100k(m).requests)} requests, by mapping`, 'PSS', 'share'],
      Object.entries(smaps)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, mb(v), pct(v / pssTotal, 0)]),
    ),
  );
  out.push('');
  if (m.binary && !m.binary.failed) {
    out.push(
      table(
        [`node binary: resident parts (${mb(m.binary.total)} of the file)`, 'resident'],
        Object.entries(m.binary.parts)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, mb(v)]),
      ),
    );
    out.push('');
  }
  const fd = m.finalDetail;
  const spaces = fd.spaces;
  const topPackages = Object.entries(fd.modules.byPackage)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `V8 heap after GC: ${mb(fd.heap.used_heap_size)} used of ${mb(fd.heap.total_heap_size)} reserved: old ${mb(spaces.old_space?.used)}, ` +
      `code ${mb(spaces.code_space?.used)}, large objects ${mb(spaces.large_object_space?.used)}, young ${mb(spaces.new_space?.used)} ` +
      `(young generation reserved ${mb(spaces.new_space?.size)}); bytecode and metadata ${mb(fd.code.bytecode_and_metadata_size)}, ` +
      `compiled code ${mb(fd.code.code_and_metadata_size)}, external ${mb(fd.code.external_script_source_size)} of script source. ` +
      `${fd.modules.count} CommonJS modules loaded (${topPackages}, ...).`,
  );
  out.push('');
  if (m.heap) {
    out.push(
      table(
        [`heap snapshot after ${int(at100k(m).requests)} requests (${mb(m.heap.totalBytes)})`, 'self size'],
        m.heap.byType.slice(0, 8).map((t) => [t.type, mb(t.bytes, 2)]),
      ),
    );
    out.push('');
    out.push(
      `Largest constructors: ${m.heap.topConstructors
        .slice(0, 8)
        .map((c) => `${c.name || '(unnamed)'} ${mb(c.bytes, 2)} (${int(c.count)})`)
        .join(
          ', ',
        )}. Strings over 10 KB (module source text, mostly): ${m.heap.bigStrings.count}, ${mb(m.heap.bigStrings.bytes, 2)}.`,
    );
    out.push('');
  }
  out.push(
    table(
      [
        'required alone in a fresh process',
        'RSS',
        'added anonymous',
        'added file-backed',
        'added heap',
        'modules',
        'load time',
      ],
      r.composition.map((c) => [
        c.name,
        mb(c.rss),
        mb(c.anonDelta),
        mb(c.fileDelta),
        mb(c.heapUsedDelta, 2),
        c.modules,
        ms(c.loadMs, 0),
      ]),
    ),
  );
  out.push('');
  const j = r.journal;
  out.push(
    `Journal memory: the idle server with its database ${mb(j.ab.with.rss)} RSS (${mb(j.ab.with.rssAnon)} anonymous), without it (degraded) ` +
      `${mb(j.ab.without.rss)} (${mb(j.ab.without.rssAnon)}), median of ${j.ab.rounds}. The journal alone through a ${j.replay.cook.hours.toFixed(0)} h cook ` +
      `and reading it back: RSS +${mb(j.replay.mem.afterRead.rss - j.replay.mem.opened.rss)} (the same replay without a database: ` +
      `+${mb(j.control.mem.afterRead.rss - j.control.mem.opened.rss)}); node:sqlite and opening the database in a bare process: ` +
      `+${mb(j.replay.mem.opened.rss - j.replay.mem.start.rss)}.`,
  );
  out.push('');
  return out;
}

function sdSection(run) {
  const r = run.results;
  const out = [];
  const s = r.soak;
  const j = r.journal;
  out.push('### SD card');
  out.push('');
  const rt = r.realtime?.failed ? null : r.realtime;
  const rows = [
    [
      `${s.cookHours} h cook, compressed (whole server)`,
      `${s.cook.simHours.toFixed(1)} h`,
      kb(s.cook.writeBytesPerHour),
      num(s.cook.commits / s.cook.simHours, 1),
      kb(s.cook.writeBytes / Math.max(1, s.cook.commits)),
      kb(s.cook.logJsonFileBytes / s.cook.simHours),
      num(s.cook.logLines / s.cook.simHours, 1),
    ],
    [
      'journal alone, replay',
      `${j.replay.cook.hours.toFixed(1)} h`,
      kb(j.bytesPerCookHour),
      num(j.commitsPerCookHour, 1),
      kb(j.replay.cook.bytes / Math.max(1, j.replay.cook.commits)),
      '',
      '',
    ],
  ];
  if (rt) {
    for (const [label, run] of [
      ['cooking, real time', rt.cooking],
      ['idle, real time', rt.idle],
    ]) {
      rows.push([
        label,
        `${(run.seconds / 60).toFixed(1)} min`,
        kb(run.writeBytesPerHour),
        '',
        '',
        kb(run.logJsonFileBytesPerHour),
        num(run.logLinesPerHour, 1),
      ]);
    }
  }
  rows.push([
    'idle, journal replay',
    `${j.replay.idle.hours} h`,
    kb(j.bytesPerIdleHour),
    num(j.replay.idle.commits / j.replay.idle.hours, 2),
    '',
    '',
    '',
  ]);
  out.push(
    table(
      [
        'run',
        'covers',
        'data volume per hour',
        'commits per hour',
        'per commit',
        'container log per hour',
        'log lines per hour',
      ],
      rows,
    ),
  );
  out.push('');
  const sys = j.replay.syscallBytes;
  out.push(
    `Data volume bytes are the kernel's write_bytes: pages of the page cache the server dirtied (a 4 KB page each time, however few ` +
      `bytes changed), which is what reaches the card; in the compressed runs each commit is written back before the next, as 10 real ` +
      `minutes apart would be (bench/lib/sync-after-commit.js). ` +
      (sys
        ? `What SQLite itself wrote over the replay's cook: WAL ${kb(sys['anova.db-wal'], 0)} (${kb((sys['anova.db-wal'] ?? 0) / j.replay.cook.hours)}/h), ` +
          `checkpoints into the database ${kb(sys['anova.db'], 0)}; the rest of the page count is page rounding and the WAL index (-shm, ` +
          `a shared mapping). `
        : '') +
      `Container log bytes are stdout as Docker's json-file driver stores it (each line wrapped in {"log","stream","time"}). ` +
      (rt && Object.keys(rt.idle.logByMessage).length
        ? `Idle log lines: ${Object.entries(rt.idle.logByMessage)
            .map(([k, v]) => `${k} x${v}`)
            .join(', ')}. `
        : '') +
      `Log lines during the compressed cook: ${
        Object.entries(s.logByMessage)
          .map(([k, v]) => `${k} x${v}`)
          .join(', ') || 'none'
      }.`,
  );
  out.push('');
  return out;
}

function cpuSection(run) {
  const r = run.results;
  const out = [];
  const c = r.cpu;
  out.push('### CPU');
  out.push('');
  const rt = r.realtime?.failed ? null : r.realtime;
  out.push(
    table(
      ['', 'here', `Pi Zero 2 W (x${PI_CPU_FACTOR})`, ''],
      [
        [
          'state push, idle (compressed run)',
          us(r.soak.idle.cpuUsPerPush),
          piTime(r.soak.idle.cpuUsPerPush),
          `${int(r.soak.idle.pushes)} pushes; the whole process, every thread`,
        ],
        [
          'state push, cooking (compressed run)',
          us(r.soak.cook.cpuUsPerPush),
          piTime(r.soak.cook.cpuUsPerPush),
          `${int(r.soak.cook.pushes)} pushes`,
        ],
        [
          'a cook at 0.5 pushes per second',
          pct((r.soak.cook.cpuUsPerPush * 0.5) / 1e6, 3),
          `~${pct((r.soak.cook.cpuUsPerPush * 0.5 * PI_CPU_FACTOR) / 1e6, 2)} of one core`,
          'per push x the real cadence',
        ],
        [
          '  parse one frame (JSON + the protocol parser), alone',
          `${us(c.parse.cooking.parseUs, 2)}`,
          piTime(c.parse.cooking.parseUs),
          `a ${c.parse.cooking.bytes}-byte cooking state; JSON.parse alone ${us(c.parse.cooking.jsonParseUs, 2)}`,
        ],
        [
          '  monitor.observe per push, alone',
          us(c.monitor.beef72h.observeUs, 2),
          piTime(c.monitor.beef72h.observeUs),
          `${c.monitor.beef72h.plan}; ${c.monitor.chicken.plan}: ${us(c.monitor.chicken.observeUs, 2)}`,
        ],
        [
          '  monitor.view, alone',
          us(c.monitor.beef72h.viewUs, 2),
          piTime(c.monitor.beef72h.viewUs),
          `built for each /status, not per push (a push reads coreTempC()); chicken: ${us(c.monitor.chicken.viewUs, 2)}`,
        ],
        ...c.heat.map((h) => [
          `  heat model step, ${h.thicknessMm} mm`,
          us(h.stepUs, 3),
          piTime(h.stepUs),
          `dt ${num(h.dtSeconds, 1)} s of cook time: ${num(h.stepsPerPush, 2)} steps per push`,
        ]),
        [
          'GET /status (10 connections, server CPU per request)',
          us(derive(r).status10.serverCpuUsPerRequest, 0),
          piTime(derive(r).status10.serverCpuUsPerRequest),
          'incl. the access log line',
        ],
        ...(rt
          ? [
              [
                'idle, real time',
                pct(rt.idle.cpuShare, 3),
                `~${pct(rt.idle.cpuShare * PI_CPU_FACTOR, 2)}`,
                `${int(rt.idle.pushes)} pushes, ${rt.idle.healthchecks} healthchecks in ${(rt.idle.seconds / 60).toFixed(1)} min`,
              ],
              [
                'cooking, real time',
                pct(rt.cooking.cpuShare, 3),
                `~${pct(rt.cooking.cpuShare * PI_CPU_FACTOR, 2)}`,
                `${int(rt.cooking.pushes)} pushes`,
              ],
              ...(rt.sleeper
                ? [
                    [
                      'sleeper: a Node process that only wakes every 2 s',
                      pct(rt.sleeper.cpuMs / (rt.sleeper.seconds * 1000), 3),
                      '',
                      `${us((rt.sleeper.cpuMs * 1000) / Math.max(1, rt.sleeper.wakes), 0)} per wake-up: this machine's price of waking, not work`,
                    ],
                  ]
                : []),
            ]
          : []),
      ],
    ),
  );
  out.push('');
  out.push(
    'The pieces alone run hot in a loop; in the server every push arrives on its own, wakes the process from epoll, goes through ' +
      'the socket, the WebSocket framing and the event emitters with cold caches: that, not the parsing or the model, is most of a push.',
  );
  out.push('');
  if (rt) {
    const timers = Object.entries(rt.idle.timersFired)
      .sort((a, b) => b[1].fired - a[1].fired)
      .map(([k, v]) => `${v.perMinute.toFixed(2)}/min ${k.split(' ').slice(0, 3).join(' ')} (${v.site})`)
      .join('; ');
    out.push(
      `Idle wake-ups: ${num(rt.idle.timerCallbacksPerSecond, 3)} timer callbacks per second (counted by wrapping setTimeout/setInterval in the ` +
        `probe preload): ${timers || 'none'}. The kernel counts ${num(rt.idle.wakeupsPerSecond.all, 2)} context switches per second over ` +
        `${rt.idle.threads} threads, ${num(rt.idle.wakeupsPerSecond.main, 2)} of them the event loop's: mostly the pushes (0.5 per second), ` +
        'the healthcheck and the WebSocket ping.',
    );
    out.push('');
  }
  const p = r.profile;
  const owners = (w, n = 8) =>
    w.owners
      .slice(0, n)
      .map((o) => `${o.name} ${pct(o.share, 0)}`)
      .join(', ');
  const fns = (w, n = 5) =>
    w.functions
      .slice(0, n)
      .map((o) => `${o.name} ${pct(o.share, 0)}`)
      .join(', ');
  out.push(
    table(
      ['CPU profile (main thread, self time)', 'per operation', 'by owner', 'top functions'],
      [
        [`GET /status, ${int(p.status.count)} requests`, us(p.status.busyUsPerOp, 0), owners(p.status), fns(p.status)],
        [
          `push, idle, ${int(p.pushes.idle.count)} pushes`,
          us(p.pushes.idle.busyUsPerOp, 0),
          owners(p.pushes.idle),
          fns(p.pushes.idle),
        ],
        [
          `push, cooking, ${int(p.pushes.cooking.count)} pushes`,
          us(p.pushes.cooking.busyUsPerOp, 0),
          owners(p.pushes.cooking),
          fns(p.pushes.cooking),
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    '"(native)" is time in C++ called from JavaScript, mostly socket writes (on loopback the sender also runs the receiver\'s side of TCP). The profiler adds its own overhead; shares are what to read.',
  );
  out.push('');
  return out;
}

function latencySection(run) {
  const r = run.results;
  const { plan } = run;
  const out = [];
  out.push(
    `### Latency (${plan.loadS} s per row, loopback, closed loop, one JSON log line per request to a file, a new client address per request)`,
  );
  out.push('');
  const calib = r.latency.calibration;
  const rowOf = (name, conns, x) => [
    name,
    conns,
    int(x.rps),
    ms(x.latencyMs.p50),
    ms(x.latencyMs.p99),
    ms(x.latencyMs.max, 1),
    pct(x.non200Share),
    pct(x.serverCpuShare, 0),
    x.serverCpuUsPerRequest == null ? 'n/a' : `${int(x.serverCpuUsPerRequest)} µs`,
  ];
  out.push(
    table(
      ['endpoint', 'connections', 'req/s', 'p50', 'p99', 'max', 'non-200', 'server CPU', 'server CPU per request'],
      [
        ...r.latency.runs.map((x) => rowOf(x.endpoint, x.connections, x)),
        ...r.latency.notifications.map((n) =>
          rowOf(
            `GET /status, cook${n.alerts === false ? '' : ` + ${n.alertsRaised} alerts`}, ${n.receiver === 'none' ? 'no receiver' : 'receiver never answers'}`,
            50,
            n,
          ),
        ),
        rowOf('calibration: minimal Koa + winston', 10, calib.load),
      ],
    ),
  );
  out.push('');
  const s50 = derive(r).status50;
  const hang = derive(r).notifHang;
  out.push(
    `Server CPU is the share of one core the server used; near 100 % it is the bottleneck. Access log lines per GET /status: ` +
      `${r.latency.accessLogLinesPerStatusRequest.toFixed(3)}. In a closed loop, latency = connections / throughput (Little's law): ` +
      `50 connections at ${int(s50.rps)} req/s queue ${ms((50 / s50.rps) * 1000)} on average whatever the code does, so p99 ≤ 5 ms at 50 ` +
      `connections needs about ${int(50 / 0.0025)} req/s here (the p99 runs about twice the mean). ` +
      (hang
        ? `With the hanging receiver: ${hang.receiverConnections} connection(s) to it, "queue full" warnings: ${hang.queueFullLines}. `
        : '') +
      `The calibration app idles at ${mb(calib.idle.rss)} and reaches ${mb(calib.afterLoad.rss)} after its load.`,
  );
  out.push('');
  const rt = r.roundTrip;
  out.push(
    `Command round trip through the simulator (no injected delay; ${rt.startCookMs.count} each, one keep-alive connection):`,
  );
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
  return out;
}

function flagsSection(run) {
  const r = run.results;
  const { plan } = run;
  const out = [];
  out.push(
    `### Node flags (idle after ${plan.idleSettleMs / 1000} s; then, after a warm-up, ${plan.flagLoadS} s of GET /status at 10 connections; ` +
      `median of ${plan.flagRounds} round${plan.flagRounds === 1 ? '' : 's'}, each on a fresh server)`,
  );
  out.push('');
  out.push(
    table(
      [
        'flags',
        'idle PSS',
        'PSS after load',
        'RSS after load',
        'req/s (range)',
        'p99',
        'CPU per request',
        'in NODE_OPTIONS',
        '',
      ],
      r.flags.map((f) => {
        const name = `\`${f.flags.join(' ') || '(none)'}\`${
          f.env
            ? ` ${Object.entries(f.env)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}`
            : ''
        }`;
        if (f.failed) return [name, 'failed', '', '', '', '', '', '', f.failed.slice(0, 80)];
        return [
          name,
          mb(f.idle.pss),
          mb(f.afterLoadPss),
          mb(f.afterLoadRss),
          f.rounds > 1 ? `${int(f.rps)} (${int(f.rpsRange[0])} to ${int(f.rpsRange[1])})` : int(f.rps),
          ms(f.p99Ms),
          `${int(f.serverCpuUsPerRequest)} µs`,
          f.nodeOptions ? 'yes' : 'no',
          f.production ? '**production**' : f.label,
        ];
      }),
    ),
  );
  out.push('');
  return out;
}

function coldStartSection(run) {
  const cs = run.results.coldStart;
  const out = [];
  out.push(`### Cold start (median of ${cs.runs.length} runs, from spawn, production flags)`);
  out.push('');
  out.push(
    table(
      [
        'data directory',
        '/health 200',
        "log 'anova device selected'",
        '/status 200 (cooker known)',
        'SIGTERM → exit (idle)',
        'migrations run',
      ],
      [
        [
          'new (created, migrated)',
          ms(cs.medianMs.health, 0),
          ms(cs.medianMs.deviceSelected, 0),
          ms(cs.medianMs.status, 0),
          ms(cs.medianMs.shutdown, 0),
          cs.medianMs.migrations,
        ],
        [
          'existing (opened, checked)',
          ms(cs.reopenedMedianMs.health, 0),
          ms(cs.reopenedMedianMs.deviceSelected, 0),
          ms(cs.reopenedMedianMs.status, 0),
          ms(cs.reopenedMedianMs.shutdown, 0),
          cs.reopenedMedianMs.migrations,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `\`node -e 0\` for reference: ${ms(cs.nodeFloorMs, 0)}. Module load times and counts per dependency are in "What the memory is made of".`,
  );
  out.push('');
  return out;
}

// ------------------------------------------------------------------ whole reports

function render(run, previous) {
  const { machine, mode } = run;
  const out = [];
  out.push(
    `## Benchmarks (\`npm run bench\`${mode === 'quick' ? ', BENCH_QUICK=1: short runs, not for comparison' : ''})`,
  );
  out.push('');
  out.push(
    `${machineLine(machine)}. The server is one process; the load generator (autocannon) and the simulators run in the bench ` +
      `process${machine.cpuCount <= 2 ? `, and with ${machine.cpuCount} cores they compete with the server for CPU` : ''}.`,
  );
  out.push('');
  out.push('### Against the Pi budget');
  out.push('');
  out.push(budgetTable(run, previous));
  out.push('');
  out.push(budgetNotes(run));
  out.push('');
  out.push(
    ...memorySection(run),
    ...sdSection(run),
    ...cpuSection(run),
    ...latencySection(run),
    ...flagsSection(run),
    ...coldStartSection(run),
  );
  if (previous) {
    const c = comparison(run, previous);
    out.push(`### ${c.heading}`);
    out.push('');
    out.push(c.table);
    out.push('');
    out.push(c.note);
    out.push('');
  }
  return out.join('\n');
}

/** The block between <!-- BENCH:START --> and <!-- BENCH:END --> in README.md. */
function renderReadmeBlock(run, previous) {
  const out = [];
  out.push(
    '### Latest benchmark (`npm run bench`; full report, method and findings in [bench/README.md](bench/README.md))',
  );
  out.push('');
  out.push(
    `${machineLine(run.machine)}; the numbers are this machine's, the last column estimates a Raspberry Pi Zero 2 W.`,
  );
  out.push('');
  out.push(budgetTable(run, previous));
  out.push('');
  out.push(budgetNotes(run));
  out.push('');
  const missed = budgetRows(run, previous).filter((row) => row[4].includes('missed')).length;
  out.push(
    `${missed} row${missed === 1 ? '' : 's'} miss${missed === 1 ? 'es' : ''} ${missed === 1 ? 'its target' : 'their targets'}: what each cost is made of, ` +
      'and what can be done about it, is under "Findings" in [bench/README.md](bench/README.md).',
  );
  out.push('');
  if (previous) {
    const c = comparison(run, previous);
    out.push(`#### ${c.heading}`);
    out.push('');
    out.push(c.table);
    out.push('');
    out.push(c.note);
    out.push('');
  }
  return out.join('\n');
}

module.exports = { render, renderReadmeBlock, keyNumbers, TARGETS, derive };
