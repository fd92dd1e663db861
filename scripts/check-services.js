#!/usr/bin/env node
// Fails loudly when the PostgreSQL or Redis the tests need does not answer.
const net = require('node:net');

const targets = [
  [
    'PostgreSQL',
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
  ],
  ['Redis', process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING],
];

function probe(name, connectionString) {
  const url = new URL(connectionString);
  const port = Number(
    url.port || (url.protocol.startsWith('redis') ? 6379 : 5432),
  );
  return new Promise((resolve, reject) => {
    const socket = net.connect(
      { host: url.hostname, port, timeout: 3000 },
      () => {
        socket.end();
        console.log(`${name} answers on ${url.hostname}:${port}`);
        resolve();
      },
    );
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
    socket.on('error', error =>
      reject(
        new Error(
          `${name} at ${url.hostname}:${port} is not reachable: ${error.message}`,
        ),
      ),
    );
  });
}

Promise.all(
  targets.map(([name, url]) => {
    if (!url)
      return Promise.reject(new Error(`${name} connection string is not set`));
    return probe(name, url);
  }),
).catch(error => {
  console.error(error.message);
  process.exit(1);
});
