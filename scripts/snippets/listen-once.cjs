// Preloaded (`node --require`) into every snippet the runner executes, CommonJS or ESM. A server
// that a snippet starts on a port of its own choosing (`app.listen(3000)`) is the app a reader would
// open: here it listens on a free loopback port instead, answers one `GET /` (any status below 500),
// and closes, so the program ends. Servers a snippet starts on port 0 (the simulators) are left to
// the snippet, which must close them: a program that does not end fails the check.
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
const LOOPBACK = '127.0.0.1';

/** The listen arguments with port 0 on loopback, or undefined when the snippet asked for port 0. */
function onFreePort(args) {
  const [first] = args;
  if (first !== null && typeof first === 'object') {
    if (!first.port || Number(first.port) === 0) return undefined;
    return [{ ...first, port: 0, host: LOOPBACK }, ...args.slice(1)];
  }
  if (
    !(typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) ||
    Number(first) === 0
  )
    return undefined;
  const rest = args.slice(1);
  if (typeof rest[0] === 'string') rest[0] = LOOPBACK;
  else rest.unshift(LOOPBACK);
  return [0, ...rest];
}

net.Server.prototype.listen = function listenOnce(...args) {
  const moved = onFreePort(args);
  if (!moved) return listen.apply(this, args);
  this.once('listening', () => {
    const { port } = this.address();
    fetch(`http://${LOOPBACK}:${port}/`, { redirect: 'manual' })
      .then((response) => {
        if (response.status >= 500) throw new Error(`GET / answered ${response.status}`);
        console.error(`[snippet check] the app answered GET / with ${response.status}`);
      })
      .catch((error) => {
        console.error(`[snippet check] the app's server: ${error.message}`);
        process.exitCode = 1;
      })
      .finally(() => {
        this.close();
        this.closeAllConnections?.();
      });
  });
  return listen.apply(this, moved);
};
