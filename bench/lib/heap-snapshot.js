'use strict';
/**
 * Pure: a V8 .heapsnapshot (v8.writeHeapSnapshot) → what the heap is made of, by self size:
 * per node type (code, strings, objects, closures, arrays, hidden/system, ...), the largest
 * object constructors, and the strings longer than 10 KB (mostly the source text of loaded
 * modules, which V8 keeps for lazily compiled functions).
 */
function summariseHeapSnapshot(snapshot, opts = {}) {
  const top = opts.top ?? 12;
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const { nodes, strings } = snapshot;
  const byType = new Map();
  const byConstructor = new Map();
  let total = 0;
  let bigStrings = 0;
  let bigStringBytes = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]];
    const size = nodes[i + iSize];
    total += size;
    const group = type === 'concatenated string' || type === 'sliced string' ? 'string' : type;
    byType.set(group, (byType.get(group) ?? 0) + size);
    if (type === 'object' || type === 'closure' || type === 'native') {
      const name = `${type === 'object' ? '' : `${type} `}${strings[nodes[i + iName]]}`.slice(0, 60);
      const entry = byConstructor.get(name) ?? { bytes: 0, count: 0 };
      entry.bytes += size;
      entry.count++;
      byConstructor.set(name, entry);
    }
    if (type === 'string' && size > 10_240) {
      bigStrings++;
      bigStringBytes += size;
    }
  }
  const rank = (m, value) => [...m.entries()].sort((a, b) => value(b[1]) - value(a[1])).slice(0, top);
  return {
    totalBytes: total,
    nodeCount: nodes.length / width,
    byType: rank(byType, (v) => v).map(([type, bytes]) => ({ type, bytes })),
    topConstructors: rank(byConstructor, (v) => v.bytes).map(([name, v]) => ({ name, ...v })),
    bigStrings: { count: bigStrings, bytes: bigStringBytes },
  };
}

module.exports = { summariseHeapSnapshot };
