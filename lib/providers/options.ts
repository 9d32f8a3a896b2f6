/**
 * Option checks every provider shares. Each provider validates its options at construction, so a
 * wrong configuration fails at startup with a `PushError` of kind `config` naming the provider and
 * the option, never at a user's login. Messages never quote secrets.
 */
import { PushError } from '../errors';
import { requireHttps } from './http';

/** A `config` PushError prefixed with the provider's class name. */
export function configError(who: string, message: string): PushError {
  return new PushError('config', `${who}: ${message}`, { code: 'invalid_option' });
}

/** The options argument itself must be an object. */
export function requireOptionsObject(who: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw configError(who, 'needs an options object.');
  }
}

/** A whole number in `[min, max]`, or `fallback` when absent. */
export function integerOption(
  who: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw configError(who, `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** Like `integerOption`, but absent stays absent. */
export function optionalIntegerOption(
  who: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  return value === undefined ? undefined : integerOption(who, name, value, min, min, max);
}

/** `true` or `false`, or `fallback` when absent. */
export function booleanOption(who: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw configError(who, `${name} must be true or false.`);
  return value;
}

/** A string that is not blank. */
export function nonEmptyStringOption(who: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(who, `${name} must be a non-empty string.`);
  }
  return value;
}

/** A function, or undefined when absent. */
export function functionOption<F>(who: string, name: string, value: F | undefined): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw configError(who, `${name} must be a function.`);
  return value;
}

/** One of `allowed`, or `fallback` when absent. */
export function oneOfOption<T extends string>(
  who: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw configError(who, `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`);
  }
  return value as T;
}

/**
 * A server URL: https (http only with `allowInsecureHttp`), and no credentials, query or fragment,
 * which would otherwise end up in logs and error messages.
 */
export function serverUrlOption(who: string, name: string, value: unknown, allowInsecureHttp: boolean): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw configError(who, `${name} must be a URL string.`);
  }
  const url = requireHttps(String(value), allowInsecureHttp, `${who}: ${name}`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw configError(who, `${name} must be a plain server URL without credentials, query or fragment.`);
  }
  return url;
}
