'use strict';
/**
 * One memory checkpoint of a spawned server: what the kernel charges (RSS, PSS and their parts,
 * from /proc), then the heap before and after a forced GC (probe.js). PSS comes from a server
 * started from a private copy of the node binary (server-process.js privateNode), so it is the
 * PSS the process would have alone, as on the Pi.
 */
async function checkpoint(server, extra = {}) {
  const proc = server.memory();
  const pss = server.pss();
  const { before, afterGc, cpuStart, cpuEnd } = await server.sample({ gc: true });
  return {
    ...extra,
    // The process's CPU time (µs) when the checkpoint began, and what the checkpoint itself cost.
    cpuUs: cpuStart,
    probeCpuUs: cpuEnd - cpuStart,
    rss: proc.rss,
    rssAnon: proc.rssAnon,
    rssFile: proc.rssFile,
    hwm: proc.hwm,
    pss: pss.pss,
    pssAnon: pss.pssAnon,
    pssFile: pss.pssFile,
    heapTotal: before.memory.heapTotal,
    heapUsed: before.memory.heapUsed,
    heapUsedAfterGc: afterGc.memory.heapUsed,
    heapTotalAfterGc: afterGc.memory.heapTotal,
    external: afterGc.memory.external,
    arrayBuffers: afterGc.memory.arrayBuffers,
    newSpace: before.spaces.new_space?.size ?? null,
    codeSpace: afterGc.spaces.code_space?.size ?? null,
    rssAfterGc: server.memory().rss,
    modules: afterGc.modules.count,
    counters: afterGc.counters,
    detail: {
      spaces: afterGc.spaces,
      heap: afterGc.heap,
      code: afterGc.code,
      modules: afterGc.modules,
      resources: afterGc.resources,
    },
  };
}

/** A checkpoint without its bulky detail (for the saved series). */
function slim(point) {
  const out = { ...point };
  delete out.detail;
  return out;
}

module.exports = { checkpoint, slim };
