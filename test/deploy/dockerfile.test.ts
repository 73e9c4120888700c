/**
 * docker/Dockerfile and .dockerignore, read as data: any Node base works, the runtime stage
 * holds only what runs, the npm CA secret leaves no trace, and the image describes itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  dockerignoreExcludes,
  fromImage,
  keyValues,
  parseDockerfile,
  readRepoFile,
  type Instruction,
} from './support';

const source = readRepoFile('docker/Dockerfile');
const instructions = parseDockerfile(source);
const globalArgs = keyValues(
  instructions
    .filter((i) => i.stage === -1 && i.keyword === 'ARG')
    .map((i) => i.args)
    .join(' '),
);
const finalStage = Math.max(...instructions.map((i) => i.stage));
const final = (keyword: string): Instruction[] =>
  instructions.filter((i) => i.stage === finalStage && i.keyword === keyword);
const runs = instructions.filter((i) => i.keyword === 'RUN');

/** Exec-form JSON array of CMD/ENTRYPOINT/HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

describe('Dockerfile base images', () => {
  it('defaults NODE_IMAGE to an official current-LTS Node image (amd64 + arm64)', () => {
    expect(globalArgs.NODE_IMAGE).toMatch(/^node:(22|24)(\.\d+)*-(bookworm-slim|bookworm|alpine[\d.]*|trixie-slim)$/);
  });

  it('starts every stage from NODE_IMAGE (directly or through an ARG that defaults to it)', () => {
    const froms = instructions.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const ref = /^\$\{(\w+)\}$/.exec(fromImage(from.args));
      expect({ from: from.args, variable: ref?.[1] }).toEqual({ from: from.args, variable: expect.any(String) });
      const name = ref![1];
      expect(name === 'NODE_IMAGE' || globalArgs[name] === '${NODE_IMAGE}').toBe(true);
    }
  });

  it('runs no distro package manager, so any Node base works', () => {
    for (const run of runs) expect(run.args).not.toMatch(/\b(apt|apt-get|apk|yum|dnf|microdnf|zypper|dpkg)\b/);
  });

  it('needs no registry for the Dockerfile frontend (no "# syntax=" line)', () => {
    expect(source).not.toMatch(/^#\s*syntax\s*=/m);
  });
});

describe('Dockerfile runtime stage', () => {
  it('runs as a non-root user', () => {
    const user = final('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('sets NODE_ENV=production and Node memory flags in one place', () => {
    const env = keyValues(
      final('ENV')
        .map((i) => i.args)
        .join(' '),
    );
    expect(env.NODE_ENV).toBe('production');
    expect(env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    expect(env.NODE_OPTIONS).toMatch(/--max-semi-space-size=\d+/);
  });

  it('copies only dist/, production node_modules, package.json, the health probe and an empty /data owned by the app', () => {
    const copies = final('COPY').map((c) => c.args.split(/\s+/));
    const sources = copies.map((words) =>
      words
        .filter((w) => !w.startsWith('--'))
        .slice(0, -1)
        .join(' '),
    );
    expect(sources.sort()).toEqual(
      ['/data-template', '/src/dist', '/src/node_modules', 'docker/healthcheck.sh', 'package.json'].sort(),
    );
    // The volume's mount point: a new named volume takes its owner from it, so uid 1000 can write there.
    const dataCopy = copies.find((words) => words.includes('/data-template'))!;
    expect(dataCopy).toEqual(expect.arrayContaining(['--chown=1000:1000', '/data']));
    expect(
      keyValues(
        final('ENV')
          .map((i) => i.args)
          .join(' '),
      ).DATA_DIR,
    ).toBe('/data');
    // node_modules comes from the stage that installed with --omit=dev, never from the build stage.
    const depsCopy = copies.find((words) => words.includes('/src/node_modules'))!;
    const depsStage = depsCopy.find((w) => w.startsWith('--from='))!.slice('--from='.length);
    const depsInstall = runs.find((r) => r.stage === stageIndex(depsStage) && /npm ci/.test(r.args));
    expect(depsInstall?.args).toMatch(/npm ci\b.*--omit=dev/);
    expect(final('RUN')).toEqual([]);
    expect(final('ADD')).toEqual([]);
  });

  it('has one CLI entry whose default command serves', () => {
    const entry = execForm(final('ENTRYPOINT').at(-1)!.args);
    const cmd = execForm(final('CMD').at(-1)!.args);
    expect([...entry, ...cmd]).toEqual(['node', 'dist/app/cli.js', 'serve']);
  });

  it('has a HEALTHCHECK that runs the shell probe, not a second Node process', () => {
    const hc = final('HEALTHCHECK').at(-1)!.args;
    expect(hc).toMatch(/--interval=\d+s/);
    expect(execForm(hc)).toEqual(['/usr/local/bin/healthcheck']);
    const probeCopy = /docker\/healthcheck\.sh \/usr\/local\/bin\/healthcheck$/;
    expect(final('COPY').some((c) => probeCopy.test(c.args))).toBe(true);
    const probe = readFileSync(join(REPO_ROOT, 'docker', 'healthcheck.sh'), 'utf8');
    expect(probe.startsWith('#!/bin/sh\n')).toBe(true);
  });

  it('carries the OCI labels, the version from a build argument', () => {
    const labels = keyValues(
      final('LABEL')
        .map((i) => i.args)
        .join(' '),
    );
    for (const key of ['source', 'version', 'title', 'description', 'licenses']) {
      expect(labels[`org.opencontainers.image.${key}`]).toBeTruthy();
    }
    expect(labels['org.opencontainers.image.version']).toBe('${VERSION}');
    expect(final('ARG').map((a) => a.args)).toEqual(expect.arrayContaining([expect.stringMatching(/^VERSION(=|$)/)]));
    expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
  });
});

describe('npm CA secret', () => {
  const installs = runs.filter((r) => /\bnpm (ci|install)\b/.test(r.args));

  it('is mounted for every npm install and exported only when present', () => {
    expect(installs.length).toBeGreaterThan(0);
    for (const run of installs) {
      expect(run.args).toMatch(/--mount=type=secret,id=npm_ca\b/);
      const guarded = [
        'if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi',
        '[ -f /run/secrets/npm_ca ] && export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca',
      ];
      expect(guarded.some((g) => run.args.includes(g))).toBe(true);
    }
  });

  it('leaves no trace: never an ENV, ARG or file copied into a layer', () => {
    for (const i of instructions.filter((x) => ['ENV', 'ARG', 'COPY', 'ADD', 'LABEL'].includes(x.keyword))) {
      expect(i.args).not.toMatch(/NODE_EXTRA_CA_CERTS|npm_ca|ca-certificates/);
    }
  });
});

describe('.dockerignore', () => {
  const ignore = readRepoFile('.dockerignore');

  it.each([
    '.env',
    '.env.production',
    '.git',
    'node_modules',
    'dist',
    'test/deploy/compose.test.ts',
    'docs/deploy-raspberry-pi.md',
    'bench/run.js',
    'backups/anova-backup-20250101T000000Z.tar.gz',
    'data',
    'cloudflared/0e5c2c9a-1d4b-4f0e-9a53-0123456789ab.json',
    'cloudflared/config.yml',
    'cloudflared/cert.pem',
  ])('keeps %s out of the build context', (path) => {
    expect(dockerignoreExcludes(ignore, path)).toBe(true);
  });

  const needed = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'app/cli.ts'];
  it.each([...needed, 'docker/healthcheck.sh'])('lets %s in (the build needs it)', (path) => {
    expect(dockerignoreExcludes(ignore, path)).toBe(false);
  });

  it('is read the way Docker reads it: anchored at the root, last match wins', () => {
    expect(dockerignoreExcludes('*.md\n', 'README.md')).toBe(true);
    expect(dockerignoreExcludes('*.md\n', 'docs/x.md')).toBe(false);
    expect(dockerignoreExcludes('docs/\n!docs/keep.md\n', 'docs/keep.md')).toBe(false);
  });
});

function stageIndex(name: string): number {
  const from = instructions.find((i) => i.keyword === 'FROM' && new RegExp(`\\bAS ${name}$`, 'i').test(i.args));
  if (!from) throw new Error(`no stage named ${name}`);
  return from.stage;
}
