import { Writable } from 'node:stream';
import { createLogger, type LogLevel } from '../../app/log';

/** A real winston logger whose JSON lines are kept in memory for assertions. */
export function captureLogger(secrets: string[] = [], level: LogLevel = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, secrets, stream });
  return {
    logger,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
