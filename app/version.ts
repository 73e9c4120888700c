import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read once (app/ in tests, dist/app/ when built). */
export const VERSION: string = (() => {
  for (const dir of [join(__dirname, '..'), join(__dirname, '..', '..')]) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return String(JSON.parse(readFileSync(file, 'utf8')).version);
  }
  return '0.0.0';
})();
