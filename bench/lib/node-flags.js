'use strict';
/**
 * The Node flags production runs with, read from their one source: `NODE_OPTIONS` in
 * docker/Dockerfile (what the Pi runs). `npm start` spells the same flags on its command line, and
 * test/deploy/node-flags.test.ts fails when the two drift apart; every server the bench spawns
 * gets these flags unless a section asks for others on purpose (the flag comparison).
 *
 * Why the Dockerfile and not package.json: the runtime stage has no RUN (docker/Dockerfile), so
 * it cannot compute NODE_OPTIONS from a file at build time, and an ENV line is the only place
 * the image can hold them. `npm start` cannot read the Dockerfile either, hence the test.
 */
const fs = require('node:fs');
const path = require('node:path');

const DOCKERFILE = path.join(__dirname, '..', '..', 'docker', 'Dockerfile');

/** The flags in `NODE_OPTIONS="..."` of a Dockerfile's text; throws unless there is exactly one. */
function parseNodeOptions(dockerfileText) {
  const found = [...dockerfileText.matchAll(/\bNODE_OPTIONS="([^"]*)"/g)];
  if (found.length !== 1)
    throw new Error(`docker/Dockerfile must set NODE_OPTIONS="..." exactly once (found ${found.length})`);
  return found[0][1].split(/\s+/).filter(Boolean);
}

/** The production flags, e.g. ['--max-semi-space-size=1', '--max-old-space-size=64']. */
function productionFlags() {
  return parseNodeOptions(fs.readFileSync(DOCKERFILE, 'utf8'));
}

module.exports = { productionFlags, parseNodeOptions, DOCKERFILE };
