/**
 * One source for Node's flags: NODE_OPTIONS in docker/Dockerfile's runtime stage is what the
 * Pi runs; `npm start` must spell the same flags (it cannot read the Dockerfile), and the
 * benchmark reads them from the Dockerfile (bench/lib/node-flags.js), so what is measured is
 * what runs. No compose file may replace them behind the image's back.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as benchFlags from '../../bench/lib/node-flags';
import { keyValues, parseDockerfile, readRepoFile, REPO_ROOT } from './support';

const instructions = parseDockerfile(readRepoFile('docker/Dockerfile'));
const finalStage = Math.max(...instructions.map((i) => i.stage));
const runtimeEnv = keyValues(
  instructions
    .filter((i) => i.stage === finalStage && i.keyword === 'ENV')
    .map((i) => i.args)
    .join(' '),
);
/** The one list: NODE_OPTIONS of the image. */
const FLAGS = (runtimeEnv.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };

describe('Node flags, one source (docker/Dockerfile NODE_OPTIONS)', () => {
  it('the image sets a memory cap and a small young generation', () => {
    expect(FLAGS).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^--max-old-space-size=\d+$/),
        expect.stringMatching(/^--max-semi-space-size=\d+$/),
      ]),
    );
  });

  it('npm start runs the server with exactly those flags', () => {
    expect(pkg.scripts.start).toBe(['node', ...FLAGS, 'dist/app/cli.js', 'serve'].join(' '));
  });

  it('the benchmark reads the same list', () => {
    expect(benchFlags.productionFlags()).toEqual(FLAGS);
  });

  it('every flag is one Node accepts in NODE_OPTIONS, and starts node', () => {
    for (const flag of FLAGS)
      expect({ flag, allowed: process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]) }).toEqual({
        flag,
        allowed: true,
      });
    const run = spawnSync(process.execPath, [...FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  const composeFiles = readdirSync(REPO_ROOT).filter((f) => /^compose[\w.-]*\.ya?ml$/.test(f));
  it.each(composeFiles)('%s does not replace NODE_OPTIONS', (file) => {
    expect(readRepoFile(file)).not.toMatch(/\bNODE_OPTIONS\b/);
  });

  it('the bench parser refuses a Dockerfile with no NODE_OPTIONS or two', () => {
    expect(() => benchFlags.parseNodeOptions('FROM node:24\n')).toThrow(/exactly once/);
    expect(() => benchFlags.parseNodeOptions('ENV NODE_OPTIONS="--a"\nENV NODE_OPTIONS="--b"\n')).toThrow(
      /exactly once/,
    );
    expect(benchFlags.parseNodeOptions('ENV A=1 \\\n    NODE_OPTIONS="--x=1  --y=2"\n')).toEqual(['--x=1', '--y=2']);
  });
});
