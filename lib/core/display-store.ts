/**
 * Keeps what the wait page shows (access pass, binding message, QR, launch URL, instruction) by
 * challenge id until the challenge expires, so a reload or a browser without JavaScript still shows
 * it. The session never holds it: an access pass is a few kilobytes. Two stores: in this process
 * (`MemoryDisplayStore`, bounded) and in Redis (`RedisDisplayStore`), which every instance reads, so
 * a reload served by another instance still shows the access pass. A miss is never an error: the
 * page then says "confirm on your phone" without the picture.
 */
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';

/**
 * Where the wait page's display lives between the start and the end of a challenge.
 *
 * @example
 * ```ts
 * import type { DisplayStore } from 'passport-push';
 *
 * // What the router does with a display store (the default one, RedisDisplayStore or yours).
 * export async function keep(displays: DisplayStore): Promise<void> {
 *   await displays.set('challenge-id', { accessPass: 'data:image/png;base64,iVBOR…' }, Date.now() + 120_000);
 *   await displays.get('challenge-id');
 * }
 * ```
 */
export interface DisplayStore {
  /**
   * Keeps the display until `expiresAt` (epoch ms). Throws `PushError` `limit`
   * (`display_too_large`) for a display over the store's size cap; nothing is stored then.
   */
  set(challengeId: string, display: ChallengeDisplay, expiresAt: number): Promise<void>;
  /** The display, or `undefined` when it expired, was evicted or was never stored. */
  get(challengeId: string): Promise<ChallengeDisplay | undefined>;
  /** Forgets the display (the challenge ended). */
  delete(challengeId: string): Promise<void>;
}

/**
 * The default cap on one display, in bytes of its JSON: an access pass is 2–4 KB.
 */
export const MAX_DISPLAY_BYTES = 64 * 1024;

/** The JSON of a display, refused when it is over `maxBytes`. */
export function serializeDisplay(display: ChallengeDisplay, maxBytes: number): string {
  const json = JSON.stringify(display);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new PushError('limit', `The wait page's display is ${bytes} bytes, over the cap of ${maxBytes}.`, {
      code: 'display_too_large',
    });
  }
  return json;
}

/**
 * The display in a JSON value read back from a shared store, or `undefined` when the value is too
 * large, not JSON, or not an object of text fields (a corrupt or foreign value is a miss).
 */
export function parseDisplay(json: string, maxBytes: number): ChallengeDisplay | undefined {
  // Characters never outnumber UTF-8 bytes: a cheap first cut before counting bytes.
  if (json.length > maxBytes || Buffer.byteLength(json, 'utf8') > maxBytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // JSON.parse makes own properties only (even one named __proto__), so this checks them all.
  if (!Object.values(value).every((field) => typeof field === 'string')) return undefined;
  return value as ChallengeDisplay;
}

/**
 * Options of `MemoryDisplayStore`.
 */
export interface MemoryDisplayStoreOptions {
  /** Displays kept at most (default 10,000); past it the oldest goes. */
  maxEntries?: number;
  /** Largest display accepted, in bytes of its JSON (default `MAX_DISPLAY_BYTES`, 64 KB). */
  maxEntryBytes?: number;
  /** The clock expiries are compared with (tests move it by hand). */
  now?: () => number;
}

const PNG_DATA_URL = 'data:image/png;base64,';

/** A display field as kept in memory: a PNG data URL as its bytes (a quarter smaller), else the text. */
type CompactValue = string | Buffer;

interface Entry {
  readonly expiresAt: number;
  readonly fields: ReadonlyArray<readonly [string, CompactValue]>;
}

/**
 * The in-process display store (the default). Bounded by `maxEntries` and O(1) per operation: a
 * `Map` in insertion order, so the oldest entry is evicted first, and expired entries at the old end
 * are dropped as new ones arrive. No timers: an entry past its expiry is also dropped when read.
 */
export class MemoryDisplayStore implements DisplayStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxEntryBytes: number;
  private readonly now: () => number;

  constructor(options: MemoryDisplayStoreOptions = {}) {
    this.maxEntries = positiveInteger(options.maxEntries ?? 10_000, 'maxEntries');
    this.maxEntryBytes = positiveInteger(options.maxEntryBytes ?? MAX_DISPLAY_BYTES, 'maxEntryBytes');
    this.now = options.now ?? Date.now;
  }

  async set(challengeId: string, display: ChallengeDisplay, expiresAt: number): Promise<void> {
    serializeDisplay(display, this.maxEntryBytes);
    // Re-inserting moves the id to the new end, where its expiry now belongs.
    this.entries.delete(challengeId);
    const now = this.now();
    this.dropExpiredOldest(now);
    if (expiresAt <= now) return;
    if (this.entries.size >= this.maxEntries) this.dropOldest();
    this.entries.set(challengeId, { expiresAt, fields: compact(display) });
  }

  async get(challengeId: string): Promise<ChallengeDisplay | undefined> {
    const entry = this.entries.get(challengeId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(challengeId);
      return undefined;
    }
    return expand(entry.fields);
  }

  async delete(challengeId: string): Promise<void> {
    this.entries.delete(challengeId);
  }

  /** Drops every display (the memory benchmark measures what the store held). */
  clear(): void {
    this.entries.clear();
  }

  /** Displays currently held. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Challenges mostly share one lifetime, so insertion order is close to expiry order: dropping
   * from the old end while it is expired frees them without a scan (each entry is dropped once).
   * One with a longer lifetime in front only delays the ones behind it until the cap or a read.
   */
  private dropExpiredOldest(now: number): void {
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(id);
    }
  }

  private dropOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new PushError('config', `MemoryDisplayStore: ${name} must be a positive integer.`);
  }
  return value;
}

function compact(display: ChallengeDisplay): Entry['fields'] {
  // filter + map: arrays of exactly the right length (push grows an array to 17 slots at once).
  return Object.entries(display)
    .filter((field): field is [string, string] => typeof field[1] === 'string')
    .map(([name, value]) => [name, compactValue(value)] as const);
}

/** A PNG data URL becomes its bytes only when they turn back into exactly the same text. */
function compactValue(value: string): CompactValue {
  if (!value.startsWith(PNG_DATA_URL)) return value;
  const base64 = value.slice(PNG_DATA_URL.length);
  const decoded = Buffer.from(base64, 'base64');
  if (decoded.toString('base64') !== base64) return value;
  // A copy of its own: a slice of Node's shared pool would keep the whole 8 KB slab alive.
  const bytes = Buffer.allocUnsafeSlow(decoded.length);
  decoded.copy(bytes);
  return bytes;
}

function expand(fields: Entry['fields']): ChallengeDisplay {
  // fromEntries defines own properties, so even a field named __proto__ stays a field.
  return Object.fromEntries(
    fields.map(([name, value]) => [
      name,
      typeof value === 'string' ? value : PNG_DATA_URL + value.toString('base64'),
    ]),
  ) as ChallengeDisplay;
}
