'use strict';
/**
 * How the bench machine's numbers translate to the Raspberry Pi Zero 2 W the server runs on
 * (512 MB RAM, 4 Cortex-A53 cores at 1 GHz, in Docker, an SD card for the data volume).
 *
 * CPU: one A53 core at 1 GHz runs Node roughly 8 to 10 times slower than one core of the x86-64
 * machines the bench has run on. The Pi-scaled figures use the slow end, 10x, so they err
 * towards too slow; they are estimates, not measurements on a Pi. Memory is not scaled: V8's
 * heap is the same size on arm64, and the arm64 node binary is of the same order as x86-64's.
 * Bytes written are not scaled either: they depend on what is written, not on the CPU.
 */
const PI_CPU_FACTOR = 10;
const PI_CPU_FACTOR_RANGE = [8, 10];

/** The real cloud pushes a state about every 2 s, idle or cooking (docs/anova-protocol.md §2.3). */
const REAL_PUSH_INTERVAL_S = 2;

module.exports = { PI_CPU_FACTOR, PI_CPU_FACTOR_RANGE, REAL_PUSH_INTERVAL_S };
