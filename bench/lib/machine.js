'use strict';
/** What the numbers were measured on: they mean little without it. */
const os = require('node:os');
const fs = require('node:fs');

function machineInfo() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpus.length,
    // What this process may actually use (containers and taskset can restrict it below cpuCount).
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryTotalBytes: os.totalmem(),
    arch: process.arch,
    platform: `${os.type()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
    virtualised: hypervisor(),
  };
}

/** "KVM" etc. when /proc/cpuinfo says we run under a hypervisor (timings are noisier there). */
function hypervisor() {
  try {
    return /^flags\s*:.*\bhypervisor\b/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

module.exports = { machineInfo };
