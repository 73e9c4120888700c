'use strict';
/**
 * Loopback notification receivers for NOTIFY_WEBHOOK_URL (http:// is accepted for loopback):
 *   'answer'  reads the request and answers 204 at once (a working Home Assistant, say);
 *   'hang'    accepts the connection and never answers (a receiver that is up but stuck): the
 *             server's attempt runs into its 10 s timeout and retries with backoff.
 */
const http = require('node:http');
const net = require('node:net');

/** @returns {Promise<{url: string, received: () => number, close: () => Promise<void>}>} */
async function startReceiver(kind) {
  let received = 0;
  const sockets = new Set();
  const server =
    kind === 'hang'
      ? net.createServer((socket) => {
          received++;
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
          socket.resume(); // read and drop, never write
        })
      : http.createServer((req, res) => {
          received++;
          req.resume();
          req.on('end', () => {
            res.statusCode = 204;
            res.end();
          });
        });
  if (kind !== 'hang') {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/anova-hook`,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

module.exports = { startReceiver };
