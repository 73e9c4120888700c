'use strict';
/**
 * Pure: a V8 .cpuprofile (node --cpu-prof) → where the time went, by self time: grouped by
 * owner (our dist/app/<area>, each npm package, node's own JavaScript, native/VM entries such as
 * the garbage collector) and the top functions. Idle time ("(idle)") is left out of the shares.
 */

/** The owner of a call frame: "app/http", "koa", "node:internal/http", "(garbage collector)"... */
function ownerOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName?.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(url);
  if (pkg) return pkg[1].replace('\\', '/');
  const app = /[\\/]dist[\\/]app[\\/]([^\\/]+)(?:[\\/]|\.js)/.exec(url);
  if (app) return `app/${app[1].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    return `node:${parts[0] === 'internal' ? `internal/${parts[1]?.replace(/\.js$/, '') ?? ''}` : parts[0]}`;
  }
  return url.replace(/^.*[\\/]/, '');
}

/**
 * @param {{nodes: Array<{id:number, callFrame: object, hitCount?: number}>, samples: number[], timeDeltas: number[], startTime: number, endTime: number}} profile
 * @param {{top?: number}} [opts]
 */
function summariseProfile(profile, opts = {}) {
  const top = opts.top ?? 12;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // Each sample's time is the delta to the next one (V8's own convention).
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  let idleUs = 0;
  let busyUs = 0;
  const owners = new Map();
  const functions = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    if (f.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const owner = ownerOf(f);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const name = `${f.functionName || '(anonymous)'} ${owner}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    durationMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    owners: rank(owners),
    functions: rank(functions),
  };
}

module.exports = { summariseProfile, ownerOf };
