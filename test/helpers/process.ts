/**
 * The compiled CLI (dist/app/cli.js) as a real child process, what Docker runs: its JSON log
 * lines, stderr and exit. Needs `npm run build` (npm test does it first).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CLI = join(__dirname, '..', '..', 'dist', 'app', 'cli.js');

export interface Proc {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
  /** Resolves with the first JSON log line whose message matches. */
  waitForLog(message: string): Promise<Record<string, any>>;
}

export function run(
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
  spawnOptions: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Proc {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: __dirname, // no .env here
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spawnOptions,
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ message: string; resolve: (r: Record<string, any>) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    try {
      const rec = JSON.parse(line);
      for (const w of [...waiters]) {
        if (rec.message === w.message) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(rec);
        }
      }
    } catch {
      /* not a log line */
    }
  });
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLog: (message) =>
      new Promise((resolve, reject) => {
        const found = lines
          .map((l) => {
            try {
              return JSON.parse(l);
            } catch {
              return null;
            }
          })
          .find((r) => r?.message === message);
        if (found) return resolve(found);
        waiters.push({ message, resolve });
        void exited.then(() => reject(new Error(`process exited before logging "${message}": ${stderr.join('')}`)));
      }),
  };
}
