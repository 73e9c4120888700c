'use strict';
/** Pure number helpers for the benchmarks: percentiles, medians, slopes, formatting. */

/** The p-th percentile (0..100) of `values`, nearest-rank on a sorted copy; null when empty. */
function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50, p99 and max of a list of latencies in one sort. */
function latencySummary(values) {
  if (values.length === 0) return { count: 0, p50: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}

function median(values) {
  return percentile(values, 50);
}

/** Least-squares slope of y over x; null with fewer than two distinct x. */
function slope(points) {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

const MB = 1024 * 1024;

function mb(bytes, digits = 1) {
  return bytes == null ? 'n/a' : `${(bytes / MB).toFixed(digits)} MB`;
}

function ms(value, digits = 2) {
  return value == null ? 'n/a' : `${value.toFixed(digits)} ms`;
}

/** 12345.6 → "12,346". */
function int(value) {
  return value == null ? 'n/a' : Math.round(value).toLocaleString('en-US');
}

function pct(fraction, digits = 2) {
  return fraction == null ? 'n/a' : `${(fraction * 100).toFixed(digits)} %`;
}

/** Relative change from `before` to `after` as "+3.1 %", or "" when either is missing. */
function delta(before, after) {
  if (typeof before !== 'number' || typeof after !== 'number' || before === 0) return '';
  const d = ((after - before) / Math.abs(before)) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)} %`;
}

module.exports = { percentile, latencySummary, median, slope, MB, mb, ms, int, pct, delta };
