/**
 * The Compose files, read as data: what keeps the stack alive for months on a 512 MB Pi
 * (restart, health, bounded logs and memory), locked down (read-only, no capabilities, nothing
 * published beyond 127.0.0.1) and runnable as documented (demo without .env, pinned tunnel).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../app/config';
import {
  REPO_ROOT,
  MiB,
  activeServices,
  environmentOf,
  interpolatedNames,
  loadCompose,
  logBudgetBytes,
  mergeCompose,
  parseSize,
  readRepoFile,
  type ComposeFile,
  type Service,
} from './support';

/** A Zero 2 W has 512 MB; about 290 MB is free at idle on 64-bit Raspberry Pi OS Lite. */
const PI_FREE_MEMORY = 288 * MiB;
/** The seed's logrotate promise (docs/deployment-design.md §3): all logs of the stack together stay under 50 MB. */
const LOG_BUDGET = 50 * 1000 * 1000;

const COMPOSE_FILES = readdirSync(REPO_ROOT)
  .filter((f) => /^compose(\.[\w-]+)?\.ya?ml$/.test(f))
  .sort();
const production = loadCompose('compose.yaml');
const demoOverride = loadCompose('compose.demo.yaml');
const demo = mergeCompose(production, demoOverride);
/** Every service any documented combination can start: the production stack, the demo, and the tunnel profile. */
const everything = mergeCompose(production, demoOverride, loadCompose('compose.tunnel-config.yaml'));

const stacks: [string, Record<string, Service>][] = [
  ['compose.yaml', activeServices(production)],
  ['compose.yaml + compose.demo.yaml', activeServices(demo)],
  ['every service (incl. profiles)', everything.services],
];

function eachService(fn: (name: string, s: Service) => void): void {
  for (const [stack, services] of stacks) {
    for (const [name, s] of Object.entries(services)) {
      try {
        fn(name, s);
      } catch (err) {
        (err as Error).message = `${stack} / ${name}: ${(err as Error).message}`;
        throw err;
      }
    }
  }
}

describe('compose files', () => {
  it('are the documented set', () => {
    expect(COMPOSE_FILES).toEqual([
      'compose.demo.yaml',
      'compose.emulation.yaml',
      'compose.tunnel-config.yaml',
      'compose.yaml',
    ]);
  });

  it('run app and cloudflared in production, app and simulator in the demo', () => {
    expect(Object.keys(activeServices(production)).sort()).toEqual(['app', 'cloudflared']);
    expect(Object.keys(activeServices(demo)).sort()).toEqual(['app', 'simulator']);
  });

  it('interpolate only variables that have a default, so no .env is needed to parse them', () => {
    for (const file of COMPOSE_FILES) {
      for (const v of interpolatedNames(readRepoFile(file))) {
        expect({ file, variable: v.name, hasDefault: v.hasDefault }).toEqual({
          file,
          variable: v.name,
          hasDefault: true,
        });
      }
    }
  });
});

describe('every service', () => {
  it('restarts on its own after a crash or a reboot', () => {
    eachService((_, s) => expect(['unless-stopped', 'always']).toContain(s.restart));
  });

  it('runs under an init that forwards SIGTERM', () => {
    eachService((_, s) => expect(s.init).toBe(true));
  });

  it('has a read-only root filesystem with a small tmpfs for scratch', () => {
    eachService((_, s) => {
      expect(s.read_only).toBe(true);
      expect(s.tmpfs).toEqual(expect.arrayContaining([expect.stringMatching(/^\/tmp:.*size=\d+[km]\b/)]));
    });
  });

  it('drops every capability and cannot gain privileges', () => {
    eachService((_, s) => {
      expect(s.cap_drop).toContain('ALL');
      expect(s.cap_add ?? []).toEqual([]);
      expect(s.security_opt).toContain('no-new-privileges:true');
      expect(s.privileged ?? false).toBe(false);
      expect(s.network_mode ?? 'default').not.toBe('host');
    });
  });

  it('is health-checked', () => {
    eachService((_, s) => {
      expect(s.healthcheck?.disable).not.toBe(true);
      expect(s.healthcheck?.test?.[0]).toBe('CMD');
    });
  });

  it('has a memory limit that fits a Pi Zero 2 W', () => {
    eachService((_, s) => {
      expect(s.mem_limit).toBeDefined();
      expect(parseSize(s.mem_limit)).toBeLessThanOrEqual(128 * MiB);
    });
  });

  it('has rotated, size-capped logs', () => {
    eachService((_, s) => {
      expect(['local', 'json-file']).toContain(s.logging?.driver);
      expect(s.logging.options['max-size']).toBeDefined();
      expect(s.logging.options['max-file']).toBeDefined();
      expect(logBudgetBytes(s)).toBeLessThan(Infinity);
    });
  });
});

describe('budgets', () => {
  it.each(stacks.slice(0, 2))('%s: all memory limits together fit in what a Zero 2 W has free', (_, services) => {
    const total = Object.values(services).reduce((sum, s) => sum + parseSize(s.mem_limit), 0);
    expect(total).toBeLessThanOrEqual(PI_FREE_MEMORY);
  });

  it('all logs together, in the largest combination, stay within 50 MB', () => {
    const total = Object.values(everything.services).reduce((sum, s) => sum + logBudgetBytes(s), 0);
    expect(total).toBeLessThanOrEqual(LOG_BUDGET);
  });

  it('counts the local driver defaults (20 MB x 5) when no caps are set', () => {
    expect(logBudgetBytes({ logging: { driver: 'local' } })).toBe(100 * MiB);
    expect(logBudgetBytes({})).toBe(Infinity);
  });
});

describe('published ports', () => {
  it.each(COMPOSE_FILES)('%s binds host ports to 127.0.0.1 only', (file) => {
    for (const [name, s] of Object.entries(loadCompose(file).services)) {
      for (const p of s.ports ?? []) {
        // "IP:HOST:CONTAINER" once ${VAR:-default} is resolved; the long syntax names host_ip.
        const parts = typeof p === 'string' ? p.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').split(':') : null;
        const hostIp = parts ? (parts.length === 3 ? parts[0] : null) : p.host_ip;
        expect({ service: name, port: p, hostIp }).toEqual({ service: name, port: p, hostIp: '127.0.0.1' });
      }
    }
  });

  it('publishes the app alone, on the port APP_HOST_PORT picks', () => {
    expect(production.services.app.ports).toEqual(['127.0.0.1:${APP_HOST_PORT:-3000}:3000']);
    for (const [name, s] of Object.entries(everything.services)) {
      if (name !== 'app') expect({ name, ports: s.ports ?? [] }).toEqual({ name, ports: [] });
    }
  });
});

describe('app service', () => {
  const app = production.services.app;

  it('runs an image whose name .env can override, built from docker/Dockerfile otherwise', () => {
    expect(app.image).toMatch(/^\$\{APP_IMAGE:-[^}]+\}$/);
    expect(app.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
    expect(existsSync(join(REPO_ROOT, app.build.dockerfile))).toBe(true);
  });

  it('passes every variable the server reads, and only those', () => {
    expect(Object.keys(environmentOf(app)).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('listens on 0.0.0.0:3000 in the container, trusts the tunnel, and gets PUBLIC_URL from .env', () => {
    const env = environmentOf(app);
    expect(env.PORT).toBe('3000');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.TRUST_PROXY).toBe('${TRUST_PROXY:-true}');
    expect(env.PUBLIC_URL).toBeNull();
  });

  it('is health-checked through the image probe, patiently enough for a Pi', () => {
    expect(app.healthcheck.test).toEqual(['CMD', '/usr/local/bin/healthcheck']);
    expect(parseDuration(app.healthcheck.interval)).toBeGreaterThanOrEqual(30);
    expect(parseDuration(app.healthcheck.start_period)).toBeGreaterThanOrEqual(30);
    expect(app.healthcheck.retries).toBeGreaterThanOrEqual(3);
  });
});

describe('cloudflared service', () => {
  const cf = production.services.cloudflared;

  it('uses the official image at a pinned release (2025.4.0 or later)', () => {
    const m = /^cloudflare\/cloudflared:(\d{4})\.(\d{1,2})\.(\d+)$/.exec(cf.image);
    expect(m).not.toBeNull();
    const [year, month] = [Number(m![1]), Number(m![2])];
    expect(year * 100 + month).toBeGreaterThanOrEqual(202504);
  });

  it('runs a dashboard-managed tunnel with the token from .env', () => {
    expect(cf.command).toBe('tunnel run');
    expect(environmentOf(cf)).toHaveProperty('TUNNEL_TOKEN', null);
  });

  it('is ready-checked on its pinned metrics port', () => {
    const metrics = environmentOf(cf).TUNNEL_METRICS!;
    expect(metrics).toMatch(/^0\.0\.0\.0:\d+$/);
    const port = metrics.split(':')[1];
    expect(cf.healthcheck.test).toEqual(['CMD', 'cloudflared', 'tunnel', '--metrics', `127.0.0.1:${port}`, 'ready']);
  });

  it('starts only once the app is healthy', () => {
    expect(cf.depends_on).toEqual({ app: { condition: 'service_healthy' } });
  });
});

describe('demo override', () => {
  const app = demo.services.app;
  const sim = demo.services.simulator;
  const appEnv = environmentOf(app);
  const simEnv = environmentOf(sim);

  it('needs no .env file', () => {
    for (const s of Object.values(activeServices(demo))) expect(s.env_file).toBeUndefined();
  });

  it('leaves cloudflared out unless the tunnel profile is asked for', () => {
    expect(demo.services.cloudflared.profiles).toEqual(['tunnel']);
  });

  it('runs the simulator from the app image, reachable on the compose network', () => {
    expect(sim.image).toBe(production.services.app.image);
    expect(sim.command).toEqual(['simulator']);
    expect(simEnv.SIM_HOST).toBe('0.0.0.0');
    expect(appEnv.ANOVA_WS_URL).toBe(`ws://simulator:${simEnv.SIM_PORT}`);
    expect(app.depends_on).toHaveProperty('simulator');
  });

  it('health-checks the simulator on its control API with the image probe', () => {
    expect(sim.healthcheck.test).toEqual(['CMD', '/usr/local/bin/healthcheck', simEnv.SIM_CONTROL_PORT, '/']);
  });

  it('gives the app a token the simulator accepts and a key that no scanner mistakes for a real one', () => {
    expect(appEnv.ANOVA_TOKEN).toBe(simEnv.SIM_TOKEN);
    expect(appEnv.ANOVA_TOKEN).toMatch(/^anova-/);
    expect(appEnv.API_KEY!.length).toBeGreaterThanOrEqual(32);
    expect(appEnv.API_KEY).not.toMatch(/^sk-anova-/);
  });

  it('is a configuration the app accepts', () => {
    const concrete = Object.fromEntries(
      Object.entries(appEnv)
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
    );
    expect(() => loadConfig(concrete)).not.toThrow();
  });
});

describe('other overrides', () => {
  it('emulation: only arm64 platform and more memory, for tests on x86', () => {
    const emu: ComposeFile = loadCompose('compose.emulation.yaml');
    for (const s of Object.values(emu.services)) {
      expect(s.platform).toBe('linux/arm64');
      expect(parseSize(s.mem_limit)).toBeGreaterThan(128 * MiB);
    }
  });

  it('tunnel-config: mounts cloudflared/ read-only and runs cloudflared as a non-root user', () => {
    const cf = loadCompose('compose.tunnel-config.yaml').services.cloudflared;
    expect(cf.volumes).toEqual(['./cloudflared:/etc/cloudflared:ro']);
    expect(cf.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(cf.command).toMatch(/--config \/etc\/cloudflared\/config\.yml run$/);
    expect(existsSync(join(REPO_ROOT, 'cloudflared', 'config.example.yml'))).toBe(true);
  });
});

describe('app image: published by default, built here as the fallback', () => {
  const app = production.services.app;
  const PUBLISHED = /^\$\{APP_IMAGE:-ghcr\.io\/anova-control-server\/anova-control-server:(\d+)\.(\d+)\.(\d+)\}$/;

  it('defaults to the GHCR image at a pinned release, never a moving tag', () => {
    expect(app.image).toMatch(PUBLISHED);
  });

  it('pins a release no older than package.json (release.yml refuses a tag where they differ)', () => {
    const pinned = PUBLISHED.exec(app.image)!.slice(1).map(Number);
    const pkg = (JSON.parse(readRepoFile('package.json')) as { version: string }).version;
    const current = /^(\d+)\.(\d+)\.(\d+)/.exec(pkg)!.slice(1).map(Number);
    const compare = pinned.map((n, i) => Math.sign(n - current[i])).find((d) => d !== 0) ?? 0;
    // A pre-release (1.2.0-rc.1) is never the default: compose.yaml stays on the last release.
    const ok = compare >= 0 || pkg.includes('-');
    expect({ pinned: pinned.join('.'), pkg, ok }).toEqual({ pinned: pinned.join('.'), pkg, ok: true });
  });

  it("keeps Compose's default pull policy everywhere: a local copy, else pull, else build", () => {
    // "missing": `up` uses the image present (pulled, loaded, built), pulls it if absent and builds
    // from `build:` when the pull fails; `never` or `build` would break `docker compose pull` updates.
    eachService((_, s) => expect(s.pull_policy).toBeUndefined());
    expect(app.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
  });

  it('is the default .env.example shows for APP_IMAGE', () => {
    const shown = /^# APP_IMAGE=(.+)$/m.exec(readRepoFile('.env.example'))?.[1];
    expect(`\${APP_IMAGE:-${shown}}`).toBe(app.image);
  });

  it('is never pulled by the container tests: they name their own local build first', () => {
    const run = readRepoFile('test/container/run.sh');
    const exported = run.search(/^export APP_IMAGE=\$IMG$/m);
    expect(exported).toBeGreaterThan(0);
    expect(exported).toBeLessThan(run.search(/docker compose [^\n]*\b(run|up)\b/));
    expect(run).toMatch(/printf 'APP_IMAGE=%s\\n[^']*' "\$IMG"/); // the restored site's .env
    expect(run).toMatch(/APP_IMAGE=\$IMG_ARM [^\n]*docker compose/);
  });
});

/** Compose durations as used here ("30s", "1m", "1m30s") in seconds. */
function parseDuration(value: string): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') throw new Error(`not a duration: "${value}"`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}
