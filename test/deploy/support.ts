/**
 * Readers for the deployment files, shared by the test/deploy suites: compose files (with
 * Compose's own merge of override files), the Dockerfile, .dockerignore and size strings.
 * Pure functions over file contents, plus `readRepoFile` for the one place that touches disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..');

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

// ------------------------------------------------------------------ compose

export type Service = Record<string, any>;
export interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: any;
}

/** Parses a compose file; `<<` merge keys are resolved as Compose resolves them. */
export function parseCompose(source: string): ComposeFile {
  const doc = parse(source, { merge: true }) as ComposeFile;
  if (!doc || typeof doc.services !== 'object') throw new Error('not a compose file: no services');
  return doc;
}

export function loadCompose(path: string): ComposeFile {
  return parseCompose(readRepoFile(path));
}

/** Keys whose sequences an override replaces; Compose appends to every other sequence. */
const REPLACED_SEQUENCES = new Set(['command', 'entrypoint', 'test', 'profiles']);

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeValue(key: string, base: unknown, over: unknown): unknown {
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over);
  if (Array.isArray(base) && Array.isArray(over) && !REPLACED_SEQUENCES.has(key)) {
    return [...base, ...over.filter((x) => !base.some((b) => JSON.stringify(b) === JSON.stringify(x)))];
  }
  return over;
}

function mergeMappings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeValue(k, base[k], v) : v;
  return out;
}

/** `docker compose -f a -f b ...`: later files override earlier ones, service by service. */
export function mergeCompose(...files: ComposeFile[]): ComposeFile {
  return files.reduce((acc, f) => mergeMappings(acc, f) as ComposeFile);
}

/** The services `docker compose up` starts (those without a profile). */
export function activeServices(file: ComposeFile): Record<string, Service> {
  return Object.fromEntries(Object.entries(file.services).filter(([, s]) => !s.profiles || s.profiles.length === 0));
}

/** Environment as a map; bare names (passed through from .env / the shell) map to null. */
export function environmentOf(service: Service): Record<string, string | null> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, null] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? null : String(v)]));
}

/** Every `${NAME...}` interpolation in a text. */
export function interpolatedNames(text: string): { name: string; hasDefault: boolean }[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?\}/g)].map((m) => ({
    name: m[1],
    hasDefault: (m[2] ?? '').replace(/^:/, '').startsWith('-'),
  }));
}

// ------------------------------------------------------------------ sizes

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Docker's size strings ("128m", "5M", "1g", a plain byte count), in bytes (binary units, as Docker reads them). */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(value.trim());
  if (!m) throw new Error(`not a size: "${value}"`);
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

export const MiB = 1024 ** 2;

/**
 * The most disk a service's logs can take: max-size x max-file. The `local` driver's defaults
 * (20 MB x 5) count when unset; json-file without max-size never rotates (Infinity).
 */
export function logBudgetBytes(service: Service): number {
  const logging = service.logging ?? {};
  const driver = logging.driver ?? 'json-file';
  const opts = logging.options ?? {};
  if (driver === 'none') return 0;
  if (driver === 'local') return parseSize(opts['max-size'] ?? '20m') * Number(opts['max-file'] ?? 5);
  if (driver === 'json-file') {
    return opts['max-size'] === undefined ? Infinity : parseSize(opts['max-size']) * Number(opts['max-file'] ?? 1);
  }
  throw new Error(`unexpected log driver "${driver}"`);
}

// ------------------------------------------------------------------ Dockerfile

export interface Instruction {
  keyword: string;
  args: string;
  /** Index of the build stage (-1 before the first FROM). */
  stage: number;
}

/** Instructions with continuation lines joined and comments dropped. */
export function parseDockerfile(source: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    const keyword = m[1].toUpperCase();
    if (keyword === 'FROM') stage += 1;
    out.push({ keyword, args: m[2], stage });
  }
  return out;
}

/** `FROM [--platform=...] IMAGE [AS name]` -> IMAGE. */
export function fromImage(args: string): string {
  return args.split(/\s+/).filter((w) => !w.startsWith('--'))[0];
}

/** `KEY=value KEY2="a b"` pairs of ENV/LABEL/ARG instructions. */
export function keyValues(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  }
  return out;
}

// ------------------------------------------------------------------ .dockerignore

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether a .dockerignore excludes a context path. Patterns are anchored at the context root
 * (unlike .gitignore); a pattern that matches a folder excludes what is inside; later `!`
 * patterns re-include; the last match wins.
 */
export function dockerignoreExcludes(ignoreFile: string, path: string): boolean {
  const rules = ignoreFile
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.re.test(c))) excluded = !rule.negate;
  }
  return excluded;
}
