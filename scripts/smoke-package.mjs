// The built package loads with require() and import, and both give the same public surface.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cjs = require('passport-push');
const esm = await import('passport-push');
const testing = await import('passport-push/testing');

for (const name of ['PushStrategy', 'pushLogin', 'PushError', 'pushOutcome']) {
  if (typeof cjs[name] !== 'function') throw new Error(`require('passport-push').${name} is missing`);
  if (esm[name] !== cjs[name]) throw new Error(`import { ${name} } differs from require()`);
}
if (typeof testing.ScriptedProvider !== 'function')
  throw new Error('passport-push/testing has no ScriptedProvider');
// The subpaths, each as require() and import give it.
for (const [entry, name] of [
  ['passport-push/redis', 'RedisCompletionStore'],
  ['passport-push/messages', 'failureText'],
]) {
  const fromImport = (await import(entry))[name];
  if (typeof fromImport !== 'function' || fromImport !== require(entry)[name])
    throw new Error(`${entry} does not give ${name} alike to require() and import`);
}
console.log('package ok: require and import expose', Object.keys(cjs).length, 'names');
