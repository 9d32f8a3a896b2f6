/**
 * The packages only passport-push/testing needs (pngjs, oidc-provider) are optional peers, so apps
 * that never run a simulator do not install them. When one is missing, the simulator that needs it
 * fails with a PushError that names the install line, not with a bare "Cannot find module".
 */
import { createRequire } from 'node:module';
import { PushError } from '../errors';

const requireFromHere = createRequire(__filename);

/** The error for an optional peer that is not installed: `npm install -D <name>` in the message. */
export function missingPeerError(name: string, neededBy: string, cause: unknown): PushError {
  return new PushError(
    'config',
    `${neededBy} needs the ${name} package, an optional peer dependency of passport-push: npm install -D ${name}`,
    { code: 'missing_peer_dependency', details: { package: name }, cause },
  );
}

/** Whether `error` says that `name` itself (not something it requires) could not be found. */
export function isNotFound(error: unknown, name: string): boolean {
  // Duck-typed, not `instanceof Error`: loaders (Jest's, for one) may throw errors of another realm.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/** `require(name)`, or the missingPeerError when the package is not installed. */
export function requirePeer<Module>(name: string, neededBy: string): Module {
  try {
    return requireFromHere(name) as Module;
  } catch (error) {
    throw isNotFound(error, name) ? missingPeerError(name, neededBy, error) : error;
  }
}
