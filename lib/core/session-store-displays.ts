/**
 * The default display store: each display is kept in the app's session store (express-session's
 * `req.sessionStore`) under a key of its own, never inside a user's session. So it lives where the
 * sessions live: with a shared session store (connect-redis…) a pending access pass costs this
 * process nothing, and a reload served by another instance still shows it. The router hands the
 * store over on each request; until it has one, or when the app has none (cookie sessions), a
 * bounded `MemoryDisplayStore` keeps the displays in this process as before.
 */
import {
  MAX_DISPLAY_BYTES,
  MemoryDisplayStore,
  parseDisplay,
  serializeDisplay,
  type DisplayStore,
} from './display-store';
import type { ChallengeDisplay } from '../providers/provider';

/** The three methods of an express-session store this store calls. */
interface SessionStoreLike {
  get(sid: string, callback: (error: unknown, data?: unknown) => void): void;
  set(sid: string, data: unknown, callback?: (error?: unknown) => void): void;
  destroy(sid: string, callback?: (error?: unknown) => void): void;
}

/** Session ids are random base64url: this prefix can never be one, so no cookie can load an entry. */
const KEY_PREFIX = 'push-display:';

/** What an entry holds besides the cookie stores read the expiry (and Redis its TTL) from. */
interface StoredDisplay {
  cookie: { expires: string; originalMaxAge: number };
  pushDisplay: string;
  /** The challenge's expiry on the login's clock. */
  pushExpiresAt: number;
}

/**
 * A `DisplayStore` in the app's session store (see the file's comment); `PushStrategy`'s default.
 */

export class SessionStoreDisplays implements DisplayStore {
  private store: SessionStoreLike | undefined;
  private readonly memory: MemoryDisplayStore;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntryBytes = MAX_DISPLAY_BYTES,
  ) {
    this.memory = new MemoryDisplayStore({ now, maxEntryBytes });
  }

  /** The app's session store (the first one seen is kept; anything without get/set/destroy is not one). */
  useSessionStore(store: unknown): void {
    if (this.store === undefined && isSessionStore(store)) this.store = store;
  }

  async set(challengeId: string, display: ChallengeDisplay, expiresAt: number): Promise<void> {
    const store = this.store;
    if (!store) return this.memory.set(challengeId, display, expiresAt);
    const json = serializeDisplay(display, this.maxEntryBytes);
    const left = expiresAt - this.now();
    if (left <= 0) return;
    const entry: StoredDisplay = {
      cookie: { expires: new Date(Date.now() + left).toISOString(), originalMaxAge: left },
      pushDisplay: json,
      pushExpiresAt: expiresAt,
    };
    await new Promise<void>((resolve, reject) =>
      store.set(KEY_PREFIX + challengeId, entry, (error) => (error ? reject(asError(error)) : resolve())),
    );
  }

  async get(challengeId: string): Promise<ChallengeDisplay | undefined> {
    const store = this.store;
    if (!store) return this.memory.get(challengeId);
    const entry = await new Promise<unknown>((resolve, reject) =>
      store.get(KEY_PREFIX + challengeId, (error, data) => (error ? reject(asError(error)) : resolve(data))),
    );
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { pushDisplay, pushExpiresAt } = entry as Partial<StoredDisplay>;
    // A store that does not drop expired entries itself: past its expiry an entry is a miss.
    if (typeof pushExpiresAt !== 'number' || pushExpiresAt <= this.now()) return undefined;
    if (typeof pushDisplay !== 'string') return undefined;
    return parseDisplay(pushDisplay, this.maxEntryBytes);
  }

  async delete(challengeId: string): Promise<void> {
    const store = this.store;
    if (!store) return this.memory.delete(challengeId);
    await new Promise<void>((resolve, reject) =>
      store.destroy(KEY_PREFIX + challengeId, (error) => (error ? reject(asError(error)) : resolve())),
    );
  }
}

function isSessionStore(store: unknown): store is SessionStoreLike {
  if (typeof store !== 'object' || store === null) return false;
  const methods = store as Record<string, unknown>;
  return ['get', 'set', 'destroy'].every((name) => typeof methods[name] === 'function');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
