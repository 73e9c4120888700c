/**
 * .env.example documents exactly what the stack reads: every variable of the server's config
 * (app/config.ts), plus the few that only compose reads, each with a comment; its placeholders
 * are ones the app refuses, so nobody runs with them by mistake.
 */
import { parseEnv } from 'node:util';
import {
  API_KEY_PLACEHOLDER,
  ANOVA_TOKEN_PLACEHOLDER,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
} from '../../app/config';
import { environmentOf, interpolatedNames, loadCompose, readRepoFile } from './support';

const example = readRepoFile('.env.example');
const lines = example.split('\n');
/** `NAME=value` (set) or `# NAME=value` (optional, shown with its default). */
const VARIABLE_LINE = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/;
const documented = lines
  .map((line, index) => ({ index, m: VARIABLE_LINE.exec(line) }))
  .filter((x): x is { index: number; m: RegExpExecArray } => x.m !== null)
  .map(({ index, m }) => ({ index, name: m[2], commented: m[1] !== undefined, value: m[3] }));
const documentedNames = documented.map((d) => d.name);

/** What compose.yaml reads from .env: ${NAME} interpolations and bare names under `environment:`. */
const composeSource = readRepoFile('compose.yaml');
const compose = loadCompose('compose.yaml');
const composeNames = new Set([
  ...interpolatedNames(composeSource).map((v) => v.name),
  ...Object.values(compose.services).flatMap((s) =>
    Object.entries(environmentOf(s))
      .filter(([, v]) => v === null)
      .map(([k]) => k),
  ),
]);

describe('.env.example', () => {
  it('documents every variable the server reads', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(5);
    for (const name of CONFIG_VARIABLES) expect(documentedNames).toContain(name);
  });

  it('documents every variable compose.yaml takes from .env', () => {
    for (const name of composeNames) expect(documentedNames).toContain(name);
  });

  it('documents nothing that nobody reads', () => {
    const read = new Set([...CONFIG_VARIABLES, ...composeNames]);
    for (const name of documentedNames) expect({ name, read: read.has(name) }).toEqual({ name, read: true });
  });

  it('documents each variable once', () => {
    expect(new Set(documentedNames).size).toBe(documentedNames.length);
  });

  it('explains each variable in a comment above it', () => {
    for (const d of documented) {
      let i = d.index - 1;
      while (i >= 0 && VARIABLE_LINE.test(lines[i])) i -= 1;
      const comment = lines[i] ?? '';
      expect({ variable: d.name, comment }).toEqual({
        variable: d.name,
        comment: expect.stringMatching(/^#\s*[^\s-]/),
      });
    }
  });

  it('leaves optional settings commented out (an empty value is not "unset")', () => {
    for (const d of documented.filter((x) => !x.commented)) {
      expect({ variable: d.name, value: d.value }).toEqual({ variable: d.name, value: expect.stringMatching(/\S/) });
    }
  });

  it('shows how to generate the API key', () => {
    expect(example).toContain('docker compose run --rm app generate-api-key');
  });

  it('holds placeholders the app refuses, never working secrets', () => {
    const values = parseEnv(example);
    expect(values.API_KEY).toBe(API_KEY_PLACEHOLDER);
    expect(values.ANOVA_TOKEN).toBe(ANOVA_TOKEN_PLACEHOLDER);
    let error: unknown;
    try {
      loadConfig(values);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^API_KEY /m);
    expect(problems).toMatch(/^ANOVA_TOKEN /m);
  });
});
