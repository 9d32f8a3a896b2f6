/**
 * Where the CIBA test OP keeps its models (backchannel requests, grants, tokens): one map per OP,
 * every entry until it expires. oidc-provider's development adapter keeps about a thousand entries
 * for the whole process, so under a surge of logins it forgot requests still waiting for the phone
 * (their token requests then answered `invalid_grant`). Implements oidc-provider's adapter interface.
 */

/** A stored model: oidc-provider's payload, of which the adapter reads a few fields. */
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string };

interface Entry {
  payload: Payload;
  /** ms since the epoch; Infinity for no expiry. */
  expiresAt: number;
}

/** One model's view of the OP's storage (oidc-provider calls `new Adapter(modelName)`). */
interface OidcAdapterLike {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * oidc-provider's default `clockTolerance` (the OP keeps it): an entry outlives its expiry by this
 * much, as the development adapter's does, so an expired request answers `expired_token`, not
 * `invalid_grant`.
 */
const KEPT_PAST_EXPIRY_SECONDS = 15;

/** An adapter factory for one OP: unbounded, entries dropped when they expire. */
export function cibaOpStorage(): (model: string) => OidcAdapterLike {
  const entries = new Map<string, Entry>();
  /** Keys issued under each grant, so a grant's revocation removes them all. */
  const grants = new Map<string, Set<string>>();
  const read = (key: string): Payload | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    else return entry?.payload;
    return undefined;
  };
  const findBy = (field: 'userCode' | 'uid', value: string) => {
    for (const key of entries.keys()) {
      const payload = read(key);
      if (payload?.[field] === value) return payload;
    }
    return undefined;
  };
  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const expiresAt =
          typeof expiresIn === 'number'
            ? Date.now() + (expiresIn + KEPT_PAST_EXPIRY_SECONDS) * 1000
            : Infinity;
        entries.set(keyOf(id), { payload, expiresAt });
        if (payload.grantId) {
          const keys = grants.get(payload.grantId) ?? new Set<string>();
          grants.set(payload.grantId, keys.add(keyOf(id)));
        }
      },
      find: async (id) => read(keyOf(id)),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      findByUid: async (uid) => findBy('uid', uid),
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload) payload['consumed'] = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of grants.get(grantId) ?? []) entries.delete(key);
        grants.delete(grantId);
      },
    };
  };
}
