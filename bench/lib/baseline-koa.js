'use strict';
/**
 * Calibration only: the smallest Koa app with one winston JSON line per request, answering
 * GET /status with a small JSON object. Measured exactly like the server, it tells how far our
 * numbers are from "Koa + winston" on the machine the bench runs on.
 *   PORT=3001 node bench/lib/baseline-koa.js
 */
const Koa = require('koa');
const winston = require('winston');

const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console()],
});

const app = new Koa();
app.use(async (ctx) => {
  const started = performance.now();
  ctx.body = { device_online: true, state: 'idle', current_temp_celsius: 20, path: ctx.path };
  logger.info('request', {
    method: ctx.method,
    path: ctx.path,
    status: ctx.status,
    durationMs: performance.now() - started,
  });
});
const server = app.listen(Number(process.env.PORT ?? 3001), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
